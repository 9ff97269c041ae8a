#pragma once
// The only include of xxHash. All hashing goes through these functions so that hash values (and
// so signatures, band keys and output) are the same on every machine and in every build.
// Seeds are named constants; every function is pure and thread-safe.
#include <bit>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace neardup {

inline constexpr std::uint64_t kTokenSeed = 0x6e65617264757031ull;     // "neardup1"
inline constexpr std::uint64_t kShingleSeed = 0x73686e676c653031ull;   // "shngle01"
inline constexpr std::uint64_t kBandSeed = 0x62616e646b657931ull;      // "bandkey1"
inline constexpr std::uint64_t kLineSeed = 0x6c696e6568617331ull;      // "linehas1"

inline std::uint64_t Hash64(const void* data, std::size_t size, std::uint64_t seed) {
  return XXH3_64bits_withSeed(data, size, seed);
}
inline std::uint64_t Hash64(std::string_view text, std::uint64_t seed) {
  return XXH3_64bits_withSeed(text.data(), text.size(), seed);
}
// The same value as Hash64, for long inputs (whole texts, long lines): inputs over 240 bytes go
// through xxHash's AVX2 kernel when the CPU has it (about three times as fast on text in cache).
std::uint64_t Hash64Long(std::string_view text, std::uint64_t seed);
bool Hash64LongUsesAvx2();  // for tests and benchmarks

// SplitMix64: a bijective 64-bit mixer, used to derive per-slot constants from a seed.
inline std::uint64_t SplitMix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

// MurmurHash3's 64-bit finalizer: a bijection that mixes every input bit into every output bit.
inline std::uint64_t Fmix64(std::uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdull;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ull;
  x ^= x >> 33;
  return x;
}

// Hashes of words for word shingles (copy mode's and the clean stage's scan), cheaper than
// Hash64: a word of at most kShortWordBytes bytes is read as four zero-padded little-endian 64-bit
// lanes, folded in pairs by 128-bit multiplies with keys derived from `seed`, plus its length,
// through Fmix64; a longer word is Hash64(word, seed). With AVX-512BW one masked load reads a word, without a branch on
// its length; the portable path loads the lanes from the word's own bytes as xxHash does. Neither
// reads a byte outside the word, and both give these values.
inline constexpr std::size_t kShortWordBytes = 32;
void HashWords(std::span<const std::string_view> words, std::uint64_t seed, std::uint64_t* out);
void HashWordsPortable(std::span<const std::string_view> words, std::uint64_t seed, std::uint64_t* out);
bool HashWordsUsesAvx512();  // for tests and benchmarks

// The hash of an n-gram of words from their HashWords values, first word first, n <= 64
// (kMaxRotatedGramWords): the i-th hash rotated left by 13 * i bits, all xor-ed, through Fmix64.
// 13 is odd, so the n rotations differ: order matters, and no choice of words makes collisions
// likelier than for random hashes (two n-grams collide only if their differing words' hashes
// cancel under different rotations).
inline constexpr std::size_t kMaxRotatedGramWords = 64;
inline std::uint64_t HashWordGram(const std::uint64_t* word_hashes, std::size_t n) {
  std::uint64_t h = 0;
  for (std::size_t i = 0; i < n; ++i) h ^= std::rotl(word_hashes[i], static_cast<int>(13 * i));
  return Fmix64(h);
}

// The linked xxHash version as major*10000 + minor*100 + release, for --version.
inline unsigned XxhashVersionNumber() { return XXH_versionNumber(); }

}  // namespace neardup
