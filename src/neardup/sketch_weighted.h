#pragma once
// Weighted MinHash for story mode: P-MinHash (Moulton & Jiang, "Maximally Consistent Sampling and
// the Jaccard Index of Probability Distributions", ICDM 2018) computed as in ProbMinHash (Ertl,
// "ProbMinHash - A Class of Locality-Sensitive Hash Algorithms for the (Probability) Jaccard
// Similarity", IEEE TKDE 34(7), 2022, arXiv:1911.00675): each feature's k exponential values
// are generated in ascending order (order statistics + a lazy Fisher-Yates permutation of slots)
// and generation stops once they exceed the signature's current maximum, so signing costs
// O(n + k log^2 k) expected instead of O(n k). Less work still: features are taken heaviest
// first, and a first pass stops each one at a bound near the expected final maximum (a second,
// unbounded pass runs only when some slot is still empty). Slot j = the feature d minimizing
// E_dj / w_d (ties: the smaller hash), so the signature does not depend on the order or passes
// in which values are offered (SignByDefinition generates them all; tests compare).
// P[slot equal] = J_P(x, y) = sum_{i: x_i, y_i > 0} 1 / sum_j max(x_j / x_i, y_j / y_i), the
// probability Jaccard (ExactProbabilityJaccard; tests check the collision rate against it).
// A WeightedMinHasher is immutable and may be shared; Sign needs a per-thread Scratch.
#include <cstdint>
#include <span>
#include <vector>

#include "neardup/story_terms.h"

namespace neardup {

class WeightedMinHasher {
 public:
  // Per-thread working memory of Sign (reused across calls; no allocation once warm).
  struct Scratch {
    std::vector<double> tree;           // max-tracker over slot values (2k nodes)
    std::vector<std::uint64_t> owner;   // feature hash per slot
    std::vector<std::uint32_t> permutation;
    std::vector<std::uint32_t> stamp;
    std::uint32_t epoch = 0;
    std::vector<WeightedTerm> order;    // features to sign, heaviest first
  };

  WeightedMinHasher(int num_perm, std::uint64_t seed);
  int num_perm() const { return num_perm_; }

  // Signs `terms` (sorted by hash, weights > 0; zero weights are skipped) into num_perm() slots:
  // each slot is 32 bits of the hash of the winning feature. An empty vector gives all slots
  // UINT32_MAX (callers do not index empty vectors).
  void Sign(std::span<const WeightedTerm> terms, Scratch* scratch, std::span<std::uint32_t> signature) const;

  // Reference form of Sign (tests, benchmarks): every feature's k values in full (a plain
  // Fisher-Yates shuffle of slots), each slot taking the smallest value, ties to the smaller
  // hash. O(n k); Sign must give the same signature bit for bit.
  void SignByDefinition(std::span<const WeightedTerm> terms, std::span<std::uint32_t> signature) const;

 private:
  // Offers one feature's ascending values up to `bound` to the slots (smaller value wins, ties:
  // smaller hash).
  void SignFeature(const WeightedTerm& term, double bound, Scratch* scratch) const;

  int num_perm_;
  std::uint64_t seed_;
  double harmonic_k_ = 0;  // H_k = 1 + 1/2 + ... + 1/k: the expected max of k Exp(1) values
};

// Exact probability Jaccard J_P of two weighted vectors sorted by hash (weights >= 0), in
// O(n + s log s) for s shared terms; `total_a`/`total_b` are the sums of their weights.
// Symmetric; 0 when no term is shared. `scratch` (optional) is reused working memory. When the
// upper bound U = sum_shared min(x_i / |x|, y_i / |y|) >= J_P is below `skip_below`, U itself is
// returned without the exact O(s log s) step (callers that only need "is J_P below" use this).
struct SharedWeights {
  double x = 0;
  double y = 0;
};
double ExactProbabilityJaccard(std::span<const WeightedTerm> a, double total_a,
                               std::span<const WeightedTerm> b, double total_b,
                               std::vector<SharedWeights>* scratch = nullptr, double skip_below = 0);

// Reference O(n^2) form of the same definition (tests).
double ProbabilityJaccardByDefinition(std::span<const WeightedTerm> a, std::span<const WeightedTerm> b);

// Weighted Jaccard sum min / sum max (tests, and for comparison in explanations).
double WeightedJaccard(std::span<const WeightedTerm> a, std::span<const WeightedTerm> b);

// Fraction of equal slots: the estimate of J_P.
double EstimateProbabilityJaccard(std::span<const std::uint32_t> a, std::span<const std::uint32_t> b);

}  // namespace neardup
