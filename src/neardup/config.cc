#include "neardup/config.h"

namespace neardup {

double DefaultThreshold(Mode mode) { return mode == Mode::kStory ? 0.16 : 0.7; }

}  // namespace neardup
