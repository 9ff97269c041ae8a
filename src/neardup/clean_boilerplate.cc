#include "neardup/clean_boilerplate.h"

namespace neardup {

// First version: no signal yet; the full stage is issue #3.
struct BoilerplateCleaner::Model {};

BoilerplateCleaner::BoilerplateCleaner(std::span<const Document> /*docs*/) : model_(std::make_unique<Model>()) {}
BoilerplateCleaner::~BoilerplateCleaner() = default;
void BoilerplateCleaner::Clean(Document* /*doc*/) const {}

}  // namespace neardup
