#pragma once
// MinHash signatures (Broder 1997) over 64-bit shingle hashes.
// Slot i of a signature is min over shingles x of h_i(x) = high 32 bits of (a_i * x + b_i) mod 2^64
// (multiply-add-shift, Dietzfelbinger 1996), with a_i odd and b_i drawn from SplitMix64(seed).
// For sets A, B: P[slot i equal] ~= J(A, B), so the fraction of equal slots is an unbiased
// estimate of Jaccard with standard deviation sqrt(J(1-J)/k) (tests check this bound).
// An empty set gets all slots = UINT32_MAX; callers must not index empty sets (they are rejected).
// A MinHasher is immutable after construction and may be shared by threads.
#include <cstdint>
#include <span>
#include <vector>

namespace neardup {

class MinHasher {
 public:
  MinHasher(int num_perm, std::uint64_t seed);
  int num_perm() const { return static_cast<int>(multipliers_.size()); }
  // Writes num_perm() slots into `signature`.
  void Sign(std::span<const std::uint64_t> shingles, std::span<std::uint32_t> signature) const;

 private:
  std::vector<std::uint64_t> multipliers_;
  std::vector<std::uint64_t> increments_;
};

// Fraction of equal slots: the MinHash estimate of Jaccard.
double EstimateJaccard(std::span<const std::uint32_t> a, std::span<const std::uint32_t> b);

}  // namespace neardup
