#pragma once
// neardup's version and the versions of the libraries it is linked with, for --version.
#include <string>

namespace neardup {

std::string VersionText();

}  // namespace neardup
