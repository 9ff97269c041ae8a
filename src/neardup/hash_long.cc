#include "neardup/hash.h"

namespace neardup {

#if defined(NEARDUP_HASH_AVX2)
namespace internal {
std::uint64_t Hash64Avx2(const void* data, std::size_t size, std::uint64_t seed);  // hash_long_avx2.cc
}  // namespace internal

bool Hash64LongUsesAvx2() {
  static const bool avx2 = __builtin_cpu_supports("avx2") != 0;
  return avx2;
}

std::uint64_t Hash64Long(std::string_view text, std::uint64_t seed) {
  // Below XXH3's long-input threshold the vector kernel is not used: the inlined scalar code is faster.
  if (text.size() > XXH3_MIDSIZE_MAX && Hash64LongUsesAvx2()) {
    return internal::Hash64Avx2(text.data(), text.size(), seed);
  }
  return Hash64(text, seed);
}
#else
bool Hash64LongUsesAvx2() { return false; }

std::uint64_t Hash64Long(std::string_view text, std::uint64_t seed) { return Hash64(text, seed); }
#endif

}  // namespace neardup
