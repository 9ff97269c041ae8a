// Tests of shingle.h's sets against their plain definition: SortUnique (a bucket sort with one
// insertion pass, or per-bucket sorts when a bucket is large) must equal std::sort + std::unique
// on uniform hashes, repeats, skewed values and the word shingles of generated text.
#include "neardup/shingle.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "neardup/hash.h"
#include "neardup/normalize.h"
#include "neardup/synth_corpus.h"

namespace neardup {
namespace {

std::vector<std::uint64_t> Reference(std::vector<std::uint64_t> values) {
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  return values;
}

void ExpectSortUniqueIsReference(const std::vector<std::uint64_t>& values,
                                 const std::string& label) {
  std::vector<std::uint64_t> sorted = values;
  SortUnique(&sorted);
  ASSERT_EQ(sorted, Reference(values)) << label << ", " << values.size() << " values";
}

TEST(Shingle, SortUniqueEqualsSortAndUnique) {
  std::mt19937_64 random(7);
  // Sizes around the small-input cut (64), the dense stack buckets' limit (2048) and more.
  for (const std::size_t n :
       {0, 1, 2, 63, 64, 65, 100, 1000, 2047, 2048, 2049, 4096, 4097, 9000, 40000}) {
    std::vector<std::uint64_t> uniform(n);
    for (std::uint64_t& x : uniform) x = random();
    ExpectSortUniqueIsReference(uniform, "uniform");
    std::vector<std::uint64_t> repeats(n);  // each value several times, in random order
    for (std::uint64_t& x : repeats) x = uniform.empty() ? 0 : uniform[random() % (n / 3 + 1)];
    ExpectSortUniqueIsReference(repeats, "repeats");
    std::vector<std::uint64_t> small(n);  // all in the first bucket: the large-bucket path
    for (std::uint64_t& x : small) x = random() % 1000;
    ExpectSortUniqueIsReference(small, "small values");
    std::vector<std::uint64_t> clustered(n);  // a few crowded buckets among uniform ones
    for (std::size_t i = 0; i < n; ++i) {
      clustered[i] = i % 4 == 0 ? (random() >> 20) | (std::uint64_t{0xABC} << 52) : uniform[i];
    }
    ExpectSortUniqueIsReference(clustered, "clustered");
    std::vector<std::uint64_t> descending = Reference(uniform);
    std::reverse(descending.begin(), descending.end());
    ExpectSortUniqueIsReference(descending, "descending");
  }
}

// WordShingles against shingle.h's definition (each window's token hashes rotated by 13 bits a
// position, xor-ed and finalized; XXH3 over them past 64 tokens; as a set), on the tokens of
// generated Arabic and English documents, for 5-grams and other widths.
TEST(Shingle, WordShinglesOfGeneratedTextEqualDefinition) {
  Tokenizer tokenizer;
  std::vector<std::uint64_t> shingles;
  for (const SynthLanguage language : {SynthLanguage::kArabic, SynthLanguage::kEnglish}) {
    SynthConfig config;
    config.seed = 3;
    config.language = language;
    config.target_bytes = 1 << 20;
    for (const Document& doc : SynthDocuments(config)) {
      const std::vector<std::string_view>& tokens = tokenizer.Tokenize(doc.text);
      ASSERT_GE(tokens.size(), 5u);
      // 5-grams, other widths (the window buffer holds 256 hashes; wider ones take the heap), and
      // a width past the document's tokens (one shingle of them all).
      for (const std::size_t n : {std::size_t{5}, std::size_t{1}, std::size_t{3}, std::size_t{64},
                                  std::size_t{130}, tokens.size() + 2}) {
        const std::size_t width = std::min(n, tokens.size());
        std::vector<std::uint64_t> token_hashes(tokens.size());
        HashWordsPortable(tokens, kTokenSeed, token_hashes.data());
        std::vector<std::uint64_t> expected;
        for (std::size_t i = 0; i + width <= tokens.size(); ++i) {
          if (width > 64) {
            expected.push_back(Hash64(token_hashes.data() + i, width * sizeof(std::uint64_t), kShingleSeed));
            continue;
          }
          std::uint64_t rotated = 0;
          for (std::size_t j = 0; j < width; ++j) {
            const std::uint64_t hash = token_hashes[i + j];
            const unsigned bits = static_cast<unsigned>(13 * j % 64);
            rotated ^= bits == 0 ? hash : (hash << bits) | (hash >> (64 - bits));
          }
          expected.push_back(Fmix64(rotated));
        }
        WordShingles(tokens, static_cast<int>(n), &shingles);
        ASSERT_EQ(shingles, Reference(expected)) << "document " << doc.id << ", n = " << n;
      }
    }
  }
}

}  // namespace
}  // namespace neardup
