#pragma once
// Shingles: tokens -> the sorted set of 64-bit shingle hashes that copy mode compares.
// Word shingles: every run of n consecutive tokens, hashed from the tokens' HashWords values
// (seed kTokenSeed) by HashWordGram, or, for runs of over kMaxRotatedGramWords tokens (only the
// single shingle of a short document with a larger n), by XXH3 over them (seed kShingleSeed).
// Character shingles: every run of n consecutive code points of the tokens joined by one space.
// A document with at least one token but fewer than one full shingle gets a single shingle of all
// its tokens (or characters), so that short documents match only their exact equals and never
// collide as a group. A document with no token gets no shingle (the pipeline rejects it as empty).
// Pure functions, thread-safe; `out` is cleared first.
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "neardup/config.h"

namespace neardup {

void WordShingles(std::span<const std::string_view> tokens, int n, std::vector<std::uint64_t>* out);
void CharShingles(std::span<const std::string_view> tokens, int n, std::vector<std::uint64_t>* out);
void Shingles(std::span<const std::string_view> tokens, ShingleKind kind, int n,
              std::vector<std::uint64_t>* out);

// Sorts and removes repeats: the set representation the sketch and the verification use.
void SortUnique(std::vector<std::uint64_t>* hashes);

// Exact Jaccard |A n B| / |A u B| of two sorted, repeat-free sets; 0 when both are empty.
double ExactJaccard(std::span<const std::uint64_t> a, std::span<const std::uint64_t> b);

}  // namespace neardup
