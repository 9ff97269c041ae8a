#include "neardup/sketch_minhash.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "neardup/error.h"
#include "neardup/hash.h"
#include "neardup/shingle.h"

namespace neardup {
namespace {

// Two sets with |A n B| = common and the given sizes, drawn from random 64-bit values.
void MakePair(std::mt19937_64& random, std::size_t common, std::size_t only_a, std::size_t only_b,
              std::vector<std::uint64_t>* a, std::vector<std::uint64_t>* b) {
  a->clear();
  b->clear();
  for (std::size_t i = 0; i < common; ++i) {
    const std::uint64_t x = random();
    a->push_back(x);
    b->push_back(x);
  }
  for (std::size_t i = 0; i < only_a; ++i) a->push_back(random());
  for (std::size_t i = 0; i < only_b; ++i) b->push_back(random());
  SortUnique(a);
  SortUnique(b);
}

// The estimate is a mean of k Bernoulli(J) slots: sd = sqrt(J(1-J)/k). Over many pairs, at most
// ~0.3% may fall outside 3 sd (allow 1%), none outside 5 sd, and the mean error is ~0 (unbiased).
TEST(SketchMinHash, EstimateWithinBoundOfExactJaccard) {
  std::mt19937_64 random(42);
  const int k = 128;
  const MinHasher hasher(k, 1);
  std::vector<std::uint64_t> a, b;
  std::vector<std::uint32_t> sig_a(k), sig_b(k);
  int outside_3sd = 0;
  double total_error = 0;
  const int pairs = 2000;
  for (int trial = 0; trial < pairs; ++trial) {
    const std::size_t common = random() % 400;
    MakePair(random, common, random() % 300, random() % 300, &a, &b);
    if (a.empty() || b.empty()) continue;
    const double exact = ExactJaccard(a, b);
    hasher.Sign(a, sig_a);
    hasher.Sign(b, sig_b);
    const double estimate = EstimateJaccard(sig_a, sig_b);
    const double sd = std::sqrt(std::max(exact * (1 - exact), 1e-4) / k);
    ASSERT_LE(std::abs(estimate - exact), 5 * sd + 1.0 / k) << "J=" << exact << " est=" << estimate;
    if (std::abs(estimate - exact) > 3 * sd + 0.5 / k) ++outside_3sd;
    total_error += estimate - exact;
  }
  EXPECT_LE(outside_3sd, pairs / 100);
  EXPECT_NEAR(total_error / pairs, 0.0, 0.005);
}

TEST(SketchMinHash, IdenticalSetsGiveIdenticalSignaturesAndDisjointSetsNearZero) {
  std::mt19937_64 random(3);
  const MinHasher hasher(128, 9);
  std::vector<std::uint64_t> a, b;
  MakePair(random, 0, 500, 500, &a, &b);
  std::vector<std::uint32_t> sig_a(128), sig_a2(128), sig_b(128);
  hasher.Sign(a, sig_a);
  hasher.Sign(a, sig_a2);
  hasher.Sign(b, sig_b);
  EXPECT_EQ(sig_a, sig_a2);
  EXPECT_LT(EstimateJaccard(sig_a, sig_b), 0.05);
}

TEST(SketchMinHash, SeedChangesSignaturesButNotTheirStatistics) {
  std::mt19937_64 random(5);
  std::vector<std::uint64_t> a, b;
  MakePair(random, 300, 100, 100, &a, &b);  // J = 0.6
  const MinHasher first(256, 1), second(256, 2);
  std::vector<std::uint32_t> s1(256), s2(256), t1(256), t2(256);
  first.Sign(a, s1);
  second.Sign(a, s2);
  EXPECT_NE(s1, s2);
  first.Sign(b, t1);
  second.Sign(b, t2);
  const double sd = std::sqrt(0.6 * 0.4 / 256);
  EXPECT_NEAR(EstimateJaccard(s1, t1), 0.6, 4 * sd);
  EXPECT_NEAR(EstimateJaccard(s2, t2), 0.6, 4 * sd);
}

TEST(SketchMinHash, SignatureIsMinimumOverShinglesPerSlot) {
  // Definition check: the signature of A u B is the slot-wise minimum of the two signatures.
  std::mt19937_64 random(11);
  std::vector<std::uint64_t> a, b;
  MakePair(random, 10, 50, 70, &a, &b);
  std::vector<std::uint64_t> united = a;
  united.insert(united.end(), b.begin(), b.end());
  SortUnique(&united);
  const MinHasher hasher(64, 4);
  std::vector<std::uint32_t> sa(64), sb(64), su(64);
  hasher.Sign(a, sa);
  hasher.Sign(b, sb);
  hasher.Sign(united, su);
  for (int i = 0; i < 64; ++i) EXPECT_EQ(su[i], std::min(sa[i], sb[i]));
}

// The SIMD kernels the CPU has (AVX2, AVX-512) and the portable one must give identical
// signatures, so outputs do not depend on the machine. Slot counts cover whole 16-slot groups,
// an 8-slot rest and a portable rest.
TEST(SketchMinHash, SimdAndPortableKernelsGiveIdenticalSignatures) {
  using Kernel = MinHasher::Kernel;
  std::mt19937_64 random(21);
  for (int k : {1, 7, 8, 16, 24, 31, 64, 128, 200}) {
    const MinHasher hasher(k, 3);
    for (std::size_t size : {0u, 1u, 3u, 17u, 1000u}) {
      std::vector<std::uint64_t> set;
      for (std::size_t i = 0; i < size; ++i) set.push_back(random());
      SortUnique(&set);
      std::vector<std::uint32_t> portable(k), fast(k);
      hasher.SignPortable(set, portable);
      hasher.Sign(set, fast);
      ASSERT_EQ(fast, portable) << "k=" << k << " size=" << size;
      for (const Kernel kernel : {Kernel::kAvx2, Kernel::kAvx512}) {
        if (!MinHasher::HasKernel(kernel)) {
          EXPECT_THROW(hasher.SignWith(kernel, set, fast), Error);
          continue;
        }
        std::fill(fast.begin(), fast.end(), 0u);
        hasher.SignWith(kernel, set, fast);
        ASSERT_EQ(fast, portable) << "k=" << k << " size=" << size << " kernel=" << static_cast<int>(kernel);
      }
    }
  }
}

// One-permutation hashing with densification estimates Jaccard too (the benchmark's variant).
TEST(SketchMinHash, OnePermutationVariantEstimatesJaccard) {
  std::mt19937_64 random(8);
  const OnePermutationHasher hasher(128, 1);
  double total_error = 0;
  for (int trial = 0; trial < 500; ++trial) {
    std::vector<std::uint64_t> a, b;
    MakePair(random, 100 + random() % 300, random() % 200, random() % 200, &a, &b);
    std::vector<std::uint32_t> sa(128), sb(128);
    hasher.Sign(a, sa);
    hasher.Sign(b, sb);
    const double exact = ExactJaccard(a, b);
    ASSERT_NEAR(EstimateJaccard(sa, sb), exact, 6 * std::sqrt(exact * (1 - exact) / 128) + 0.02);
    total_error += EstimateJaccard(sa, sb) - exact;
  }
  EXPECT_NEAR(total_error / 500, 0.0, 0.01);
}

// Optimal densification by its definition: every empty bin probes H(seed, bin, 1), H(seed, bin, 2),
// ... (64 k attempts, then the next filled bin to the right) and copies the first filled bin.
std::vector<std::uint32_t> OnePermutationByDefinition(std::span<const std::uint64_t> set, std::uint64_t k,
                                                      std::uint64_t seed) {
  std::uint64_t state = seed;
  const std::uint64_t multiplier = SplitMix64(state) | 1u;
  std::vector<std::uint32_t> signature(k, std::numeric_limits<std::uint32_t>::max());
  std::vector<bool> filled(k, false);
  for (const std::uint64_t x : set) {
    const std::uint64_t g = Fmix64(x * multiplier ^ seed);
    const std::uint64_t bin = ((g >> 32) * k) >> 32;
    filled[bin] = true;
    signature[bin] = std::min(signature[bin], static_cast<std::uint32_t>(g));
  }
  if (std::find(filled.begin(), filled.end(), true) == filled.end()) return signature;
  std::vector<std::uint32_t> dense = signature;
  for (std::uint64_t bin = 0; bin < k; ++bin) {
    if (filled[bin]) continue;
    std::uint64_t probe_state = seed ^ (bin * 0x9e3779b97f4a7c15ull);
    std::uint64_t source = k;
    for (std::uint64_t attempt = 0; attempt < 64 * k && source == k; ++attempt) {
      const std::uint64_t probe = ((SplitMix64(probe_state) >> 32) * k) >> 32;
      if (filled[probe]) source = probe;
    }
    for (std::uint64_t step = 1; source == k && step < k; ++step) {
      if (filled[(bin + step) % k]) source = (bin + step) % k;
    }
    dense[bin] = signature[source];
  }
  return dense;
}

// Sign takes a table shortcut for sets that fill few bins: it must give the probing's signature
// exactly, for every number of filled bins and for k with and without the table.
TEST(SketchMinHash, OnePermutationSignMatchesDensificationByDefinition) {
  std::mt19937_64 random(12);
  for (const std::uint64_t k : {1ull, 2ull, 7ull, 64ull, 128ull, 1500ull}) {
    const OnePermutationHasher hasher(static_cast<int>(k), 99);
    for (std::size_t size : {1u, 2u, 3u, 5u, 9u, 12u, 20u, 40u, 200u, 3000u}) {
      std::vector<std::uint64_t> set(size);
      for (std::uint64_t& x : set) x = random();
      std::vector<std::uint32_t> signature(k);
      hasher.Sign(set, signature);
      ASSERT_EQ(signature, OnePermutationByDefinition(set, k, 99)) << "k=" << k << " size=" << size;
    }
  }
}

}  // namespace
}  // namespace neardup
