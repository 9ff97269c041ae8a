#include "neardup/embedded_data.h"

#include <string>

#include "neardup/error.h"

namespace neardup {

std::string_view EmbeddedData(std::string_view name) {
  for (const EmbeddedFile& file : EmbeddedDataFiles()) {
    if (file.name == name) return file.content;
  }
  throw Error("no embedded data file '" + std::string(name) + "'");
}

}  // namespace neardup
