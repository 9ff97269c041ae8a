#pragma once
// Story terms: text -> the weighted terms that carry a story rather than its wording (issue #4).
// A term is a light stem of a content token (Arabic: Light10, stem_arabic.h; Latin script:
// Snowball for the document's language among en/fr/es/de, English when unsure), after dropping
// stopwords (data/stopwords_*.txt) and one-character tokens. Tokens that pin a story down get a
// boost: Latin-script words inside Arabic text, codes mixing letters and digits (R2, H20, Qwen3),
// "number unit" pairs (data/story_units.txt), capitalized names in Latin text, and short quoted
// names ("Huawei", «هواوي»). Weight = boost * (1 + ln count) * idf (StoryIdf).
// StoryLexicon is immutable after construction and may be shared by threads; a
// StoryTermExtractor holds a Tokenizer, Snowball stemmers and a cache of recent tokens' results,
// and is used by one thread at a time.
#include <cmath>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace neardup {

inline constexpr std::uint64_t kStoryTermSeed = 0x73746f7279746d31ull;  // "storytm1"

// Boosts of the tokens that pin a story down (1 = an ordinary content word).
inline constexpr float kBoostLatinInArabic = 3.0f;
inline constexpr float kBoostCode = 3.0f;
inline constexpr float kBoostNumberUnit = 3.0f;
inline constexpr float kBoostName = 2.0f;
inline constexpr float kBoostQuoted = 2.0f;

// One term of one document: its hash, how often it occurs, and the largest boost it got.
struct TermCount {
  std::uint64_t hash = 0;
  std::uint32_t count = 0;
  float boost = 1.0f;
};

// One weighted term; vectors of them are sorted by hash, without repeats.
struct WeightedTerm {
  std::uint64_t hash = 0;
  float weight = 0;
};

// Stopwords and unit words, loaded from the embedded data files and normalized like text.
class StoryLexicon {
 public:
  StoryLexicon();
  ~StoryLexicon();
  StoryLexicon(const StoryLexicon&) = delete;
  StoryLexicon& operator=(const StoryLexicon&) = delete;

  struct Tables;
  const Tables& tables() const { return *tables_; }

 private:
  std::unique_ptr<Tables> tables_;
};

class StoryTermExtractor {
 public:
  // `cache_tokens`: keep what each recent token gave (its kind, stopword tests, stem hash) for the
  // next calls, in fixed memory (about 1.3 MB). Exact: a cached token is compared byte for byte,
  // so the terms are the same either way; off is the reference for tests and benchmarks.
  explicit StoryTermExtractor(const StoryLexicon& lexicon, bool cache_tokens = true);
  ~StoryTermExtractor();
  StoryTermExtractor(const StoryTermExtractor&) = delete;
  StoryTermExtractor& operator=(const StoryTermExtractor&) = delete;

  // Terms of `text` (valid UTF-8) into `out` (cleared first), sorted by hash, without repeats.
  void Extract(std::string_view text, std::vector<TermCount>* out);
  // The surface form (normalized token, before stemming) of each term of `text`, the most
  // frequent one per term, as (hash, surface) sorted by hash. For explanations; allocates.
  std::vector<std::pair<std::uint64_t, std::string>> Surfaces(std::string_view text);
  // The same for the terms in `wanted` only (a few hashes; the others cost no allocation).
  std::vector<std::pair<std::uint64_t, std::string>> Surfaces(std::string_view text,
                                                              std::span<const std::uint64_t> wanted);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Inverse document frequency of a term found in `df` of `n` documents (BM25's form, always > 0):
// ln(1 + (n - df + 0.5) / (df + 0.5)). With n = 5: df 1 -> 1.39, 2 -> 0.88, 3 -> 0.54, 5 -> 0.09.
double StoryIdf(std::uint64_t df, std::uint64_t n);

// Weight of a term of a document: boost * (1 + ln count) * idf (StoryWeightOfLog: given ln count).
inline float StoryWeightOfLog(float boost, double ln_count, double idf) {
  return static_cast<float>(boost * (1.0 + ln_count) * idf);
}
inline float StoryWeight(const TermCount& term, double idf) {
  return StoryWeightOfLog(term.boost, std::log(static_cast<double>(term.count)), idf);
}

}  // namespace neardup
