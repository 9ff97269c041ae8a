#include "neardup/version.h"

#include <simdjson.h>
#include <tbb/version.h>
#include <unicode/uversion.h>
#include <zlib.h>
#include <zstd.h>

#include "neardup/hash.h"

namespace neardup {

std::string VersionText() {
  const unsigned xxh = XxhashVersionNumber();
  std::string text = "neardup " NEARDUP_VERSION "\n";
  text += "  ICU " U_ICU_VERSION "\n";
  text += "  xxHash " + std::to_string(xxh / 10000) + "." + std::to_string(xxh / 100 % 100) + "." +
          std::to_string(xxh % 100) + "\n";
  text += "  simdjson " + std::to_string(simdjson::SIMDJSON_VERSION_MAJOR) + "." +
          std::to_string(simdjson::SIMDJSON_VERSION_MINOR) + "." +
          std::to_string(simdjson::SIMDJSON_VERSION_REVISION) + " (" +
          simdjson::get_active_implementation()->name() + ")\n";
  text += std::string("  oneTBB ") + TBB_runtime_version() + "\n";
  text += std::string("  zlib ") + zlibVersion() + "\n";
  text += std::string("  zstd ") + ZSTD_versionString() + "\n";
  return text;
}

}  // namespace neardup
