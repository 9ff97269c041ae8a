#include "neardup/sketch_minhash.h"

#include <algorithm>
#include <limits>

#include "neardup/error.h"
#include "neardup/hash.h"

namespace neardup {
namespace {

// The inner loop, compiled for AVX2 and for the baseline, picked at load time by the CPU
// (GCC function multi-versioning); both compute the same integers, so signatures are identical.
__attribute__((target_clones("avx2", "default"))) void SignSlots(
    const std::uint64_t* shingles, std::size_t count, const std::uint64_t* multipliers,
    const std::uint64_t* increments, std::uint32_t* slots, std::size_t num_perm) {
  for (std::size_t s = 0; s < count; ++s) {
    const std::uint64_t x = shingles[s];
    for (std::size_t i = 0; i < num_perm; ++i) {
      const auto value = static_cast<std::uint32_t>((multipliers[i] * x + increments[i]) >> 32);
      slots[i] = value < slots[i] ? value : slots[i];
    }
  }
}

}  // namespace

MinHasher::MinHasher(int num_perm, std::uint64_t seed) {
  if (num_perm <= 0) throw Error("num_perm must be positive");
  std::uint64_t state = seed;
  multipliers_.resize(static_cast<std::size_t>(num_perm));
  increments_.resize(static_cast<std::size_t>(num_perm));
  for (int i = 0; i < num_perm; ++i) {
    multipliers_[i] = SplitMix64(state) | 1u;
    increments_[i] = SplitMix64(state);
  }
}

void MinHasher::Sign(std::span<const std::uint64_t> shingles,
                     std::span<std::uint32_t> signature) const {
  std::fill(signature.begin(), signature.end(), std::numeric_limits<std::uint32_t>::max());
  SignSlots(shingles.data(), shingles.size(), multipliers_.data(), increments_.data(),
            signature.data(), multipliers_.size());
}

double EstimateJaccard(std::span<const std::uint32_t> a, std::span<const std::uint32_t> b) {
  const std::size_t k = std::min(a.size(), b.size());
  if (k == 0) return 0.0;
  std::size_t equal = 0;
  for (std::size_t i = 0; i < k; ++i) equal += a[i] == b[i] ? 1 : 0;
  return static_cast<double>(equal) / static_cast<double>(k);
}

}  // namespace neardup
