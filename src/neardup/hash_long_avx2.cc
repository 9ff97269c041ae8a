// xxHash compiled for AVX2, in a file of its own: CMake builds this file alone with -mavx2 on
// x86-64, and Hash64Long (hash_long.cc) calls it only when the CPU has AVX2. The file includes
// nothing but xxHash (all static under XXH_INLINE_ALL), so no AVX2 code can leak into inline
// functions the rest of the program shares.
#include <cstddef>
#include <cstdint>

#if defined(__AVX2__)
#define XXH_INLINE_ALL
#define XXH_VECTOR XXH_AVX2
#include <xxhash.h>

namespace neardup::internal {

std::uint64_t Hash64Avx2(const void* data, std::size_t size, std::uint64_t seed) {
  return XXH3_64bits_withSeed(data, size, seed);
}

}  // namespace neardup::internal
#endif
