#include "neardup/sketch_weighted.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace neardup {
namespace {

// Two weighted vectors with `common` shared terms (weights drawn independently on each side, so
// J_P ranges widely) and the given numbers of private terms. Sorted by hash, no repeats.
void MakeWeightedPair(std::mt19937_64& random, std::size_t common, std::size_t only_a, std::size_t only_b,
                      std::vector<WeightedTerm>* a, std::vector<WeightedTerm>* b) {
  std::exponential_distribution<float> weight(1.0f);
  std::uniform_real_distribution<float> jitter(0.5f, 2.0f);
  a->clear();
  b->clear();
  for (std::size_t i = 0; i < common; ++i) {
    const std::uint64_t hash = random();
    const float w = weight(random) + 0.01f;
    a->push_back({hash, w});
    b->push_back({hash, (random() % 3 == 0) ? w : w * jitter(random)});
  }
  for (std::size_t i = 0; i < only_a; ++i) a->push_back({random(), weight(random) + 0.01f});
  for (std::size_t i = 0; i < only_b; ++i) b->push_back({random(), weight(random) + 0.01f});
  auto by_hash = [](const WeightedTerm& x, const WeightedTerm& y) { return x.hash < y.hash; };
  std::sort(a->begin(), a->end(), by_hash);
  std::sort(b->begin(), b->end(), by_hash);
}

double Total(const std::vector<WeightedTerm>& v) {
  double total = 0;
  for (const WeightedTerm& t : v) total += t.weight;
  return total;
}

TEST(SketchWeighted, FastProbabilityJaccardMatchesTheDefinition) {
  std::mt19937_64 random(7);
  std::vector<WeightedTerm> a, b;
  for (int trial = 0; trial < 300; ++trial) {
    MakeWeightedPair(random, random() % 40, random() % 30, random() % 30, &a, &b);
    const double reference = ProbabilityJaccardByDefinition(a, b);
    EXPECT_NEAR(ExactProbabilityJaccard(a, Total(a), b, Total(b)), reference, 1e-9);
    EXPECT_NEAR(ExactProbabilityJaccard(b, Total(b), a, Total(a)), reference, 1e-9);
  }
}

TEST(SketchWeighted, ProbabilityJaccardKnownValues) {
  // Equal weights: J_P is the plain Jaccard (2 shared of 4 terms -> 0.5).
  const std::vector<WeightedTerm> a = {{1, 1}, {2, 1}, {3, 1}};
  const std::vector<WeightedTerm> b = {{2, 1}, {3, 1}, {4, 1}};
  EXPECT_NEAR(ProbabilityJaccardByDefinition(a, b), 0.5, 1e-12);
  // Scale invariance: J_P compares the normalized distributions.
  std::vector<WeightedTerm> scaled = a;
  for (WeightedTerm& t : scaled) t.weight *= 7;
  EXPECT_NEAR(ExactProbabilityJaccard(a, 3, scaled, 21), 1.0, 1e-12);
  // Hand-computed: x = (1, 1) on {1, 2}, y = (1, 3) on {1, 2}:
  // i=1: max(1,1) + max(1,3) = 4 -> 1/4; i=2: max(1,1/3) + max(1,1) = 2 -> 1/2; J_P = 0.75.
  const std::vector<WeightedTerm> x = {{1, 1}, {2, 1}};
  const std::vector<WeightedTerm> y = {{1, 1}, {2, 3}};
  EXPECT_NEAR(ProbabilityJaccardByDefinition(x, y), 0.75, 1e-12);
  EXPECT_NEAR(ExactProbabilityJaccard(x, 2, y, 4), 0.75, 1e-12);
  EXPECT_EQ(ExactProbabilityJaccard(x, 2, std::vector<WeightedTerm>{{9, 1}}, 1), 0.0);
}

// Each slot collides with probability J_P, independently: the estimate from k slots has standard
// deviation sqrt(J(1-J)/k). Over many random weighted pairs at most ~0.3% may fall outside 3 sd
// (allow 1%), none outside 5 sd, and the mean error must be ~0 (the estimator is unbiased for
// J_P; it would be visibly biased against plain or weighted Jaccard, checked below).
TEST(SketchWeighted, CollisionRateMatchesProbabilityJaccard) {
  std::mt19937_64 random(42);
  const int k = 128;
  const WeightedMinHasher hasher(k, 1);
  WeightedMinHasher::Scratch scratch;
  std::vector<WeightedTerm> a, b;
  std::vector<std::uint32_t> sig_a(k), sig_b(k);
  int outside_3sd = 0;
  double total_error = 0;
  double total_error_vs_weighted_jaccard = 0;
  const int pairs = 2000;
  for (int trial = 0; trial < pairs; ++trial) {
    MakeWeightedPair(random, random() % 200, random() % 150, random() % 150, &a, &b);
    if (a.empty() || b.empty()) {
      --trial;
      continue;
    }
    const double exact = ExactProbabilityJaccard(a, Total(a), b, Total(b));
    hasher.Sign(a, &scratch, sig_a);
    hasher.Sign(b, &scratch, sig_b);
    const double estimate = EstimateProbabilityJaccard(sig_a, sig_b);
    const double sd = std::sqrt(std::max(exact * (1 - exact), 1e-4) / k);
    ASSERT_LE(std::abs(estimate - exact), 5 * sd + 1.0 / k) << "J_P=" << exact << " est=" << estimate;
    if (std::abs(estimate - exact) > 3 * sd + 0.5 / k) ++outside_3sd;
    total_error += estimate - exact;
    total_error_vs_weighted_jaccard += estimate - WeightedJaccard(a, b);
  }
  EXPECT_LE(outside_3sd, pairs / 100);
  EXPECT_NEAR(total_error / pairs, 0.0, 0.004);
  // J_P >= weighted Jaccard, strictly on these pairs: the test distinguishes the two definitions.
  EXPECT_GT(total_error_vs_weighted_jaccard / pairs, 0.02);
}

TEST(SketchWeighted, SignatureDependsOnlyOnTheNormalizedWeights) {
  std::mt19937_64 random(5);
  const WeightedMinHasher hasher(64, 3);
  WeightedMinHasher::Scratch scratch;
  std::vector<WeightedTerm> a, b;
  MakeWeightedPair(random, 50, 20, 0, &a, &b);
  std::vector<WeightedTerm> scaled = a;
  for (WeightedTerm& t : scaled) t.weight *= 3.5f;
  std::vector<std::uint32_t> s1(64), s2(64), s3(64);
  hasher.Sign(a, &scratch, s1);
  hasher.Sign(scaled, &scratch, s2);
  EXPECT_EQ(s1, s2);
  // A different seed gives different slots.
  const WeightedMinHasher other(64, 4);
  other.Sign(a, &scratch, s3);
  EXPECT_NE(s1, s3);
  // Zero weights are ignored; an empty vector gives all slots UINT32_MAX.
  std::vector<WeightedTerm> with_zero = a;
  with_zero.push_back({~0ull, 0.0f});
  hasher.Sign(with_zero, &scratch, s2);
  EXPECT_EQ(s1, s2);
  hasher.Sign(std::vector<WeightedTerm>{}, &scratch, s3);
  EXPECT_TRUE(std::all_of(s3.begin(), s3.end(), [](std::uint32_t v) { return v == UINT32_MAX; }));
}

// Sign stops early (values past the running maximum, a first pass bounded near the final one,
// heaviest features first); none of it may change a slot: compare with every value generated.
TEST(SketchWeighted, SignMatchesTheDefinition) {
  std::mt19937_64 random(11);
  std::lognormal_distribution<float> skewed(0.0f, 2.0f);
  for (const int k : {1, 2, 16, 128, 200}) {
    const WeightedMinHasher hasher(k, 7);
    WeightedMinHasher::Scratch scratch;  // reused across calls, as the pipeline does
    std::vector<std::uint32_t> fast(static_cast<std::size_t>(k)), reference(static_cast<std::size_t>(k));
    for (int round = 0; round < 60; ++round) {
      std::vector<WeightedTerm> terms;
      const std::size_t n = random() % 120;
      for (std::size_t i = 0; i < n; ++i) {
        float weight = 1.0f;  // round % 4 == 0: all equal
        if (round % 4 == 1) weight = skewed(random);
        if (round % 4 == 2) weight = static_cast<float>(1 + random() % 3);  // many ties
        if (round % 4 == 3) weight = random() % 5 == 0 ? 0.0f : skewed(random) * 1e-30f;  // zeros, tiny
        terms.push_back({random(), weight});
      }
      std::sort(terms.begin(), terms.end(),
                [](const WeightedTerm& x, const WeightedTerm& y) { return x.hash < y.hash; });
      hasher.Sign(terms, &scratch, fast);
      hasher.SignByDefinition(terms, reference);
      ASSERT_EQ(fast, reference) << "k " << k << " round " << round << " n " << n;
    }
  }
}

}  // namespace
}  // namespace neardup
