// Hash64Long must give Hash64's value at every length (its AVX2 kernel takes over above 240 bytes),
// so that hashes, and so outputs, do not depend on the CPU.
#include "neardup/hash.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace neardup {
namespace {

TEST(Hash64Long, EqualsHash64AtEveryLengthAndSeed) {
  std::mt19937_64 random(7);
  std::string bytes(5000, '\0');
  for (char& byte : bytes) byte = static_cast<char>(random());
  for (std::size_t size = 0; size <= 3000; ++size) {
    for (const std::uint64_t seed : {std::uint64_t{0}, kLineSeed, std::uint64_t{random()}}) {
      // At an odd offset too, so that unaligned loads are covered.
      for (const std::size_t offset : {std::size_t{0}, std::size_t{3}}) {
        const std::string_view text(bytes.data() + offset, size);
        ASSERT_EQ(Hash64Long(text, seed), Hash64(text, seed)) << "size " << size << " offset " << offset;
      }
    }
  }
  const std::string_view whole(bytes);
  EXPECT_EQ(Hash64Long(whole, kLineSeed), Hash64(whole, kLineSeed));
#if defined(__x86_64__)
  // On an x86-64 CPU with AVX2 the vector kernel is the one compared above.
  EXPECT_EQ(Hash64LongUsesAvx2(), __builtin_cpu_supports("avx2") != 0);
#endif
}

}  // namespace
}  // namespace neardup
