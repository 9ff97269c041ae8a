#include "testing/synth_near_dups.h"

#include <algorithm>
#include <random>
#include <set>
#include <sstream>

namespace neardup::testing {
namespace {

std::vector<std::string> Split(const std::string& text) {
  std::vector<std::string> words;
  std::istringstream in(text);
  std::string word;
  while (in >> word) words.push_back(word);
  return words;
}

std::vector<std::string> MakeVocabulary(std::mt19937_64& random, std::size_t size) {
  // Letters that no normalization step folds into each other.
  static const std::vector<std::string> kLatin = {"a", "b", "c", "d", "e", "f", "g", "h", "i",
                                                  "j", "k", "l", "m", "n", "o", "p", "r", "s",
                                                  "t", "u", "v", "w", "y", "z"};
  static const std::vector<std::string> kArabic = {"ب", "ت", "ث", "ج", "ح", "خ", "د", "ذ", "ر", "ز",
                                                   "س", "ش", "ص", "ض", "ط", "ظ", "ع", "غ", "ف", "ق",
                                                   "ك", "ل", "م", "ن", "ه", "و", "ي"};
  std::set<std::string> seen;
  std::vector<std::string> words;
  while (words.size() < size) {
    const auto& letters = random() % 2 == 0 ? kLatin : kArabic;
    const std::size_t length = 3 + random() % 7;
    std::string word;
    for (std::size_t i = 0; i < length; ++i) word += letters[random() % letters.size()];
    if (seen.insert(word).second) words.push_back(word);
  }
  return words;
}

std::string Join(const std::vector<std::string>& words) {
  std::string text;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0) text += (i % 17 == 0) ? ".\n" : " ";
    text += words[i];
  }
  return text;
}

}  // namespace

double ReferenceJaccard(const std::string& a, const std::string& b, int n) {
  auto grams = [n](const std::string& text) {
    std::vector<std::string> words = Split(text);
    for (std::string& word : words) {
      if (!word.empty() && word.back() == '.') word.pop_back();
    }
    std::set<std::string> out;
    const std::size_t width = std::min<std::size_t>(static_cast<std::size_t>(n), words.size());
    for (std::size_t i = 0; i + width <= words.size(); ++i) {
      std::string gram;
      for (std::size_t k = 0; k < width; ++k) gram += words[i + k] + " ";
      out.insert(gram);
    }
    return out;
  };
  const std::set<std::string> x = grams(a);
  const std::set<std::string> y = grams(b);
  std::size_t common = 0;
  for (const std::string& gram : x) common += y.count(gram);
  const std::size_t united = x.size() + y.size() - common;
  return united == 0 ? 0.0 : static_cast<double>(common) / static_cast<double>(united);
}

SynthCorpus MakeNearDuplicates(std::size_t doc_count, double copy_fraction, double min_jaccard,
                               double max_jaccard, std::uint64_t seed) {
  std::mt19937_64 random(seed);
  const std::vector<std::string> vocabulary = MakeVocabulary(random, 50000);
  const auto copies = static_cast<std::size_t>(static_cast<double>(doc_count) * copy_fraction);
  const std::size_t originals = doc_count - copies;
  std::vector<std::vector<std::string>> original_words(originals);
  SynthCorpus corpus;
  for (std::size_t i = 0; i < originals; ++i) {
    const std::size_t length = 60 + random() % 240;
    for (std::size_t w = 0; w < length; ++w) original_words[i].push_back(vocabulary[random() % vocabulary.size()]);
    corpus.docs.push_back({Join(original_words[i]), static_cast<int>(i)});
  }
  std::uniform_real_distribution<double> target(min_jaccard, max_jaccard);
  for (std::size_t c = 0; c < copies; ++c) {
    const std::size_t family = random() % originals;
    std::vector<std::string> words = original_words[family];
    // Each substitution changes up to 5 of the S shingles: J ~ (S - 5m) / (S + 5m).
    const double want = target(random);
    const double shingles = static_cast<double>(words.size() - 4);
    std::size_t edits = std::max<std::size_t>(
        1, static_cast<std::size_t>(shingles * (1 - want) / (5 * (1 + want))));
    for (std::size_t e = 0; e < edits; ++e) {
      words[random() % words.size()] = vocabulary[random() % vocabulary.size()];
    }
    corpus.docs.push_back({Join(words), static_cast<int>(family)});
  }
  std::shuffle(corpus.docs.begin(), corpus.docs.end(), random);
  return corpus;
}

}  // namespace neardup::testing
