#pragma once
// A seeded generator of near-duplicates with known Jaccard (after zstd's datagen: the same seed
// always gives the same corpus). Originals are random word sequences over a large vocabulary of
// Latin and Arabic words (so unrelated documents share no 5-gram); a fraction of the documents are
// copies of an original with random word substitutions, and every copy's exact word-5-gram Jaccard
// to its original is computed by a string-set reference that shares no code with neardup.
// Documents are shuffled, so a copy may come before its original.
#include <cstdint>
#include <string>
#include <vector>

namespace neardup::testing {

struct SynthDocument {
  std::string text;
  int family = 0;  // index of the original it derives from (itself for originals)
};

struct SynthCorpus {
  std::vector<SynthDocument> docs;
};

SynthCorpus MakeNearDuplicates(std::size_t doc_count, double copy_fraction, double min_jaccard,
                               double max_jaccard, std::uint64_t seed);

// Reference: exact Jaccard of the sets of word n-grams (words split on spaces), on strings.
double ReferenceJaccard(const std::string& a, const std::string& b, int n = 5);

}  // namespace neardup::testing
