// Hash64Long must give Hash64's value at every length (its AVX2 kernel takes over above 240 bytes),
// and HashWords its portable value (its AVX-512 path reads a word with one masked load), so that
// hashes, and so outputs, do not depend on the CPU.
#include "neardup/hash.h"

#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <random>
#include <string>
#include <unordered_set>
#include <vector>

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

std::vector<std::uint64_t> WordHashes(const std::vector<std::string_view>& words, std::uint64_t seed,
                                      bool portable) {
  std::vector<std::uint64_t> out(words.size());
  if (portable) {
    HashWordsPortable(words, seed, out.data());
  } else {
    HashWords(words, seed, out.data());
  }
  return out;
}

TEST(HashWords, EqualsThePortablePathAndHash64AboveShortWords) {
  std::mt19937_64 random(11);
  std::string bytes(200, '\0');
  for (char& byte : bytes) byte = static_cast<char>(random());
  std::vector<std::string_view> words;
  for (std::size_t size = 0; size <= 80; ++size) {
    for (const std::size_t offset : {std::size_t{0}, std::size_t{1}, std::size_t{7}, std::size_t{33}}) {
      words.emplace_back(bytes.data() + offset, size);
    }
  }
  for (const std::uint64_t seed : {std::uint64_t{0}, kTokenSeed, std::uint64_t{random()}}) {
    const std::vector<std::uint64_t> hashes = WordHashes(words, seed, false);
    EXPECT_EQ(hashes, WordHashes(words, seed, true)) << "seed " << seed;
    for (std::size_t w = 0; w < words.size(); ++w) {
      if (words[w].size() > kShortWordBytes) {
        EXPECT_EQ(hashes[w], Hash64(words[w], seed)) << words[w].size();
      }
    }
  }
#if defined(__x86_64__)
  EXPECT_EQ(HashWordsUsesAvx512(), __builtin_cpu_supports("avx512bw") != 0 && __builtin_cpu_supports("avx512vl") != 0 &&
                                       __builtin_cpu_supports("bmi2") != 0);
#endif
}

// A word that ends where readable memory ends: neither path may touch the page after it.
TEST(HashWords, ReadsNoBytePastAWordAtTheEndOfReadableMemory) {
  const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  void* mapping = ::mmap(nullptr, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(mapping, MAP_FAILED);
  char* const first = static_cast<char*>(mapping);
  for (std::size_t i = 0; i < page; ++i) first[i] = static_cast<char>('a' + i % 26);
  ASSERT_EQ(::mprotect(first + page, page, PROT_NONE), 0);
  std::vector<std::string_view> words;
  for (std::size_t size = 0; size <= kShortWordBytes; ++size) words.emplace_back(first + page - size, size);
  // Both paths fault if they read past the word.
  const std::vector<std::uint64_t> hashes = WordHashes(words, kTokenSeed, false);
  EXPECT_EQ(hashes, WordHashes(words, kTokenSeed, true));
  std::vector<std::string> copies(words.begin(), words.end());
  EXPECT_EQ(hashes, WordHashes(std::vector<std::string_view>(copies.begin(), copies.end()), kTokenSeed, true));
  ::munmap(mapping, 2 * page);
}

// Distinct words get distinct hashes, including words that differ only in trailing zero bytes
// (which the zero padding would otherwise merge) and Arabic words of two-byte letters.
TEST(HashWords, DistinctWordsGetDistinctHashes) {
  std::vector<std::string> words = {"", std::string(1, '\0'), std::string(2, '\0'), "ab", std::string("ab\0", 3),
                                    std::string("ab\0\0", 4), "\xD9\x85\xD9\x86", "\xD9\x85\xD9\x86\xD8\xB0"};
  std::mt19937_64 random(5);
  std::unordered_set<std::string> seen(words.begin(), words.end());
  while (words.size() < 400000) {
    std::string word(1 + random() % 40, '\0');
    for (char& byte : word) byte = static_cast<char>(random() % 3 == 0 ? 'a' + random() % 26 : random());
    if (seen.insert(word).second) words.push_back(word);
  }
  const std::vector<std::string_view> views(words.begin(), words.end());
  std::vector<std::uint64_t> hashes = WordHashes(views, kTokenSeed, false);
  std::sort(hashes.begin(), hashes.end());
  EXPECT_EQ(std::adjacent_find(hashes.begin(), hashes.end()), hashes.end());
}

// 5-grams of word hashes: distinct for distinct word sequences (order included), and their low
// bits uniform, since the clean stage samples the 5-grams whose hash is 0 modulo 4.
TEST(HashWordGram, DistinctForDistinctSequencesAndUniformInTheLowBits) {
  std::vector<std::string> vocabulary;
  for (int i = 0; i < 50; ++i) vocabulary.push_back("w" + std::to_string(i));
  const std::vector<std::string_view> views(vocabulary.begin(), vocabulary.end());
  const std::vector<std::uint64_t> word_hashes = WordHashes(views, kTokenSeed, false);
  std::vector<std::uint64_t> grams;
  std::uint64_t word[5];
  std::size_t low_zero = 0;
  // Every sequence of 5 words from the first 14 (537,824), repeats and reorderings included.
  for (std::size_t code = 0; code < 14 * 14 * 14 * 14 * 14; ++code) {
    std::size_t rest = code;
    for (std::uint64_t& hash : word) {
      hash = word_hashes[rest % 14];
      rest /= 14;
    }
    grams.push_back(HashWordGram(word, 5));
    low_zero += grams.back() % 4 == 0 ? 1 : 0;
  }
  const double fraction = static_cast<double>(low_zero) / static_cast<double>(grams.size());
  EXPECT_NEAR(fraction, 0.25, 0.003);  // 5 standard deviations
  std::sort(grams.begin(), grams.end());
  EXPECT_EQ(std::adjacent_find(grams.begin(), grams.end()), grams.end());
  // Order matters: a b c d e and e d c b a differ; a a a a a is not 0 (the xor of equal rotations).
  const std::uint64_t forward[5] = {word_hashes[0], word_hashes[1], word_hashes[2], word_hashes[3], word_hashes[4]};
  const std::uint64_t backward[5] = {word_hashes[4], word_hashes[3], word_hashes[2], word_hashes[1], word_hashes[0]};
  const std::uint64_t same[5] = {word_hashes[0], word_hashes[0], word_hashes[0], word_hashes[0], word_hashes[0]};
  EXPECT_NE(HashWordGram(forward, 5), HashWordGram(backward, 5));
  EXPECT_NE(HashWordGram(same, 5), Fmix64(0));
}

}  // namespace
}  // namespace neardup
