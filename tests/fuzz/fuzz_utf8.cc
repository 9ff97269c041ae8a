// libFuzzer target: UTF-8 validation and repair. Repair must produce valid UTF-8, leave valid input
// unchanged, and count a repair exactly when the input was invalid.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "neardup/clean_utf8.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string repaired;
  const std::uint32_t repairs = neardup::RepairUtf8(input, &repaired);
  const bool valid = neardup::FindInvalidUtf8(input) == std::string_view::npos;
  if (neardup::FindInvalidUtf8(repaired) != std::string_view::npos) std::abort();
  if (valid != (repairs == 0)) std::abort();
  if (valid && repaired != input) std::abort();
  return 0;
}
