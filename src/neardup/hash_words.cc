#include "neardup/hash.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace neardup {
namespace {

// The 128-bit product of a and b, its halves xor-ed (xxHash's portable helper).
inline std::uint64_t FoldedProduct(std::uint64_t a, std::uint64_t b) { return XXH3_mul128_fold64(a, b); }

// The keys of one seed. A word's hash is
//   Fmix64((FoldedProduct(lane0 ^ k0, lane1 ^ k1) + FoldedProduct(lane2 ^ k2, lane3 ^ k3)) ^ size * kSizeMultiplier)
// where lane i holds bytes 8i .. 8i+7 of the word, zero-padded, little-endian.
struct WordKeys {
  std::uint64_t k0, k1, k2, k3;
  std::uint64_t upper_zero;  // the second product when lanes 2 and 3 are zero (words of <= 16 bytes)
  explicit WordKeys(std::uint64_t seed)
      : k0(0xbe4ba423396cfeb8ull + seed),
        k1(0x1cad21f72c81017cull - seed),
        k2(0xdb979083e96dd4deull + seed),
        k3(0x1f67b3b7a4a44072ull - seed),
        upper_zero(FoldedProduct(k2, k3)) {}
};
constexpr std::uint64_t kSizeMultiplier = 0x9e3779b185ebca87ull;

inline std::uint64_t FinishWord(std::uint64_t low_product, std::uint64_t upper_product, std::size_t size) {
  return Fmix64((low_product + upper_product) ^ (size * kSizeMultiplier));
}

#if defined(__x86_64__)
#define NEARDUP_MASKED_LOAD __attribute__((target("avx512f,avx512bw,avx512vl,bmi2")))

NEARDUP_MASKED_LOAD void HashWordsMasked(std::span<const std::string_view> words, std::uint64_t seed,
                                         std::uint64_t* out) {
  const WordKeys keys(seed);
  for (std::size_t w = 0; w < words.size(); ++w) {
    const std::size_t size = words[w].size();
    if (size > kShortWordBytes) {
      out[w] = Hash64(words[w], seed);
      continue;
    }
    // Bytes past the word are masked off: not read, so they cannot fault.
    const auto mask = static_cast<__mmask32>(_bzhi_u32(~0u, static_cast<unsigned>(size)));
    const __m256i bytes = _mm256_maskz_loadu_epi8(mask, words[w].data());
    const __m128i low = _mm256_castsi256_si128(bytes);
    const __m128i high = _mm256_extracti128_si256(bytes, 1);
    const std::uint64_t low_product = FoldedProduct(static_cast<std::uint64_t>(_mm_cvtsi128_si64(low)) ^ keys.k0,
                                                    static_cast<std::uint64_t>(_mm_extract_epi64(low, 1)) ^ keys.k1);
    const std::uint64_t upper_product = FoldedProduct(static_cast<std::uint64_t>(_mm_cvtsi128_si64(high)) ^ keys.k2,
                                                      static_cast<std::uint64_t>(_mm_extract_epi64(high, 1)) ^ keys.k3);
    out[w] = FinishWord(low_product, upper_product, size);
  }
}
#endif

// The lane holding bytes [8 * lane, size) of a word of `size` bytes, 8 * lane < size <= 8 * lane + 8,
// zero-padded: from the 8 bytes that end the word (size >= 8), shifted down past the bytes before.
inline std::uint64_t LastLane(const unsigned char* bytes, std::size_t size, std::size_t lane) {
  return XXH_readLE64(bytes + size - 8) >> (8 * (8 * lane + 8 - size));
}

// The lane of a word of 1..8 bytes, from its 4-byte ends or its bytes, as xxHash reads short keys.
inline std::uint64_t OnlyLane(const unsigned char* bytes, std::size_t size) {
  if (size >= 4) {
    const std::uint64_t high = XXH_readLE32(bytes + size - 4);  // bytes size-4 .. size-1
    return XXH_readLE32(bytes) | ((high >> (8 * (8 - size))) << 32);
  }
  return std::uint64_t{bytes[0]} | (std::uint64_t{bytes[size / 2]} << (8 * (size / 2))) |
         (std::uint64_t{bytes[size - 1]} << (8 * (size - 1)));
}

}  // namespace

void HashWordsPortable(std::span<const std::string_view> words, std::uint64_t seed, std::uint64_t* out) {
  const WordKeys keys(seed);
  for (std::size_t w = 0; w < words.size(); ++w) {
    const std::size_t size = words[w].size();
    const auto* bytes = reinterpret_cast<const unsigned char*>(words[w].data());
    if (size > kShortWordBytes) {
      out[w] = Hash64(words[w], seed);
    } else if (size > 16) {
      const std::uint64_t lane2 = size > 24 ? XXH_readLE64(bytes + 16) : LastLane(bytes, size, 2);
      const std::uint64_t lane3 = size > 24 ? LastLane(bytes, size, 3) : 0;
      out[w] = FinishWord(FoldedProduct(XXH_readLE64(bytes) ^ keys.k0, XXH_readLE64(bytes + 8) ^ keys.k1),
                          FoldedProduct(lane2 ^ keys.k2, lane3 ^ keys.k3), size);
    } else if (size > 8) {
      out[w] = FinishWord(FoldedProduct(XXH_readLE64(bytes) ^ keys.k0, LastLane(bytes, size, 1) ^ keys.k1),
                          keys.upper_zero, size);
    } else {
      const std::uint64_t lane0 = size == 8 ? XXH_readLE64(bytes) : size > 0 ? OnlyLane(bytes, size) : 0;
      out[w] = FinishWord(FoldedProduct(lane0 ^ keys.k0, keys.k1), keys.upper_zero, size);
    }
  }
}

bool HashWordsUsesAvx512() {
#if defined(__x86_64__)
  static const bool avx512 = __builtin_cpu_supports("avx512f") != 0 && __builtin_cpu_supports("avx512bw") != 0 &&
                             __builtin_cpu_supports("avx512vl") != 0 && __builtin_cpu_supports("bmi2") != 0;
  return avx512;
#else
  return false;
#endif
}

void HashWords(std::span<const std::string_view> words, std::uint64_t seed, std::uint64_t* out) {
#if defined(__x86_64__)
  if (HashWordsUsesAvx512()) {
    HashWordsMasked(words, seed, out);
    return;
  }
#endif
  HashWordsPortable(words, seed, out);
}

}  // namespace neardup
