#pragma once
// LSH banding over signatures (Indyk & Motwani 1998; Leskovec et al., Mining of Massive Datasets 3.4).
// A signature of k slots is cut into b bands of r rows (b*r <= k); two documents become a
// candidate pair when all r slots of at least one band agree, which happens with probability
// P(s) = 1 - (1 - s^r)^b for slot-agreement probability s (the S-curve; tests check it).
// ChooseBandsRows picks (b, r) minimizing the weighted false-positive area (integral of P below
// the threshold) plus false-negative area (integral of 1-P above it), as datasketch does.
// Candidate generation is deterministic: pairs are (lower ordinal, higher ordinal), sorted, unique.
// A bucket larger than kMaxBucketPairs documents is joined as a star to its first documents plus a
// chain, so one huge bucket (a million identical pages) costs linear, not quadratic, work.
#include <cstdint>
#include <functional>
#include <span>
#include <utility>
#include <vector>

namespace neardup {

struct LshParams {
  int bands = 0;
  int rows = 0;
  double false_positive_area = 0;
  double false_negative_area = 0;
};

LshParams ChooseBandsRows(double threshold, int num_perm, double false_positive_weight = 0.5,
                          double false_negative_weight = 0.5);

// Probability that a pair with slot-agreement probability s becomes a candidate.
double CandidateProbability(double s, int bands, int rows);

// Band keys of one signature: `bands` 64-bit hashes, each of `rows` consecutive slots.
void BandKeys(std::span<const std::uint32_t> signature, const LshParams& params,
              std::span<std::uint64_t> keys);

using CandidatePair = std::pair<std::uint32_t, std::uint32_t>;

// Candidate pairs from the band keys of n documents stored as n rows of `bands` keys.
// `eligible[i]` false excludes document i (rejected documents). Uses the current TBB arena.
std::vector<CandidatePair> CandidatePairs(std::span<const std::uint64_t> band_keys, int bands,
                                          std::span<const std::uint8_t> eligible);

// The same pairs, from band keys kept outside memory: `load_band(b, &keys)` fills keys with the
// key of every document (n of them, in ordinal order) in band b. Bands are loaded one at a time,
// so memory holds one band's keys and entries (about 20 bytes per document) plus the pairs.
using BandLoader = std::function<void(int band, std::vector<std::uint64_t>* keys)>;
std::vector<CandidatePair> CandidatePairsByBand(int bands, std::span<const std::uint8_t> eligible,
                                                const BandLoader& load_band);

inline constexpr std::size_t kMaxBucketPairs = 64;

}  // namespace neardup
