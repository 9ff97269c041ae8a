#pragma once
// MinHash signatures (Broder 1997) over 64-bit shingle hashes.
// Slot i of a signature is min over shingles x of h_i(x) = high 32 bits of (a_i * x + b_i) mod 2^64
// (multiply-add-shift, Dietzfelbinger 1996), with a_i odd and b_i drawn from SplitMix64(seed).
// For sets A, B: P[slot i equal] ~= J(A, B), so the fraction of equal slots is an unbiased
// estimate of Jaccard with standard deviation sqrt(J(1-J)/k) (tests check this bound).
// An empty set gets all slots = UINT32_MAX; callers must not index empty sets (they are rejected).
// Sign runs the fastest kernel the CPU has (checked at construction): AVX-512 (F and DQ: 16 slots
// a step), AVX2 (8), or the portable loop; all give identical signatures. Hashers are immutable
// and may be shared by threads.
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

  // The kernels, for tests and benchmarks that compare them.
  enum class Kernel { kPortable, kAvx2, kAvx512 };
  static bool HasKernel(Kernel kernel);  // whether this CPU can run it
  Kernel kernel() const { return kernel_; }  // the one Sign runs
  // Sign through `kernel`; throws Error if the CPU cannot run it.
  void SignWith(Kernel kernel, std::span<const std::uint64_t> shingles,
                std::span<std::uint32_t> signature) const;
  void SignPortable(std::span<const std::uint64_t> shingles, std::span<std::uint32_t> signature) const;

 private:
  // Sign through `kernel`, which the CPU must have (Sign's per call, checked once).
  void SignUnchecked(Kernel kernel, std::span<const std::uint64_t> shingles,
                     std::span<std::uint32_t> signature) const;
  std::vector<std::uint64_t> multipliers_;
  std::vector<std::uint64_t> increments_;
  Kernel kernel_ = Kernel::kPortable;
};

// Variants compared with MinHasher by bench/bench_sketch.cc; the pipeline does not use them.
// MinHasher32: slot i = min over x of (a_i * fold(x) + b_i) mod 2^32, fold(x) = x xor (x >> 32),
// a_i odd (a permutation of 32-bit values): half the multiply width, 8 slots per AVX2 multiply.
class MinHasher32 {
 public:
  MinHasher32(int num_perm, std::uint64_t seed);
  int num_perm() const { return static_cast<int>(multipliers_.size()); }
  void Sign(std::span<const std::uint64_t> shingles, std::span<std::uint32_t> signature) const;

 private:
  std::vector<std::uint32_t> multipliers_;
  std::vector<std::uint32_t> increments_;
};

// One-permutation hashing (Li, Owen & Zhang 2012) with optimal densification (Shrivastava 2017):
// g(x) = fmix64(x * m xor seed) (m odd, from the seed; fmix64 is MurmurHash3's finalizer); the
// high 32 bits of g scaled to k pick the bin, the low 32 bits are the value; slot = min value per bin. An empty bin i copies the
// first non-empty bin among H(i, 1), H(i, 2), ... (H: SplitMix64-mixed (seed, i, attempt) mod k).
// O(n + k) per set instead of O(n k); same collision probability J for non-empty sets.
// A set that fills only m bins would need about k / m probes per empty bin (16,000 for a one-shingle
// document at k = 128); below sqrt(k) filled bins each empty bin instead takes the filled bin that
// comes first in its probe sequence, read from a table of first positions made once per hasher:
// the same bin the probing would reach, in O(m) per empty bin.
class OnePermutationHasher {
 public:
  OnePermutationHasher(int num_perm, std::uint64_t seed);
  int num_perm() const { return num_perm_; }
  void Sign(std::span<const std::uint64_t> shingles, std::span<std::uint32_t> signature) const;

 private:
  // The bin that empty bin `bin` copies: by the table when `filled_bins` lists the filled bins
  // (Sign lists them when there are few), else by probing `filled`.
  std::uint64_t DensifySource(std::uint64_t bin, const bool* filled, std::span<const std::uint32_t> filled_bins) const;

  int num_perm_;
  std::uint64_t multiplier_;
  std::uint64_t seed_;
  // first_probe_[bin * k + target]: the attempt at which bin's probe sequence first reaches
  // target, or kNeverProbed within the bound of 64 k attempts. Empty when k > kMaxTableBins.
  std::vector<std::uint32_t> first_probe_;
};

// Fraction of equal slots: the MinHash estimate of Jaccard.
double EstimateJaccard(std::span<const std::uint32_t> a, std::span<const std::uint32_t> b);

}  // namespace neardup
