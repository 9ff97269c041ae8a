#include "neardup/index_lsh.h"

#include <gtest/gtest.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <set>

#include "neardup/shingle.h"
#include "neardup/sketch_minhash.h"

namespace neardup {
namespace {

// Simpson's rule: an integrator independent of the one in index_lsh.cc.
template <typename F>
double Simpson(F f, double a, double b, int steps = 2000) {
  const double h = (b - a) / steps;
  double sum = f(a) + f(b);
  for (int i = 1; i < steps; ++i) sum += f(a + i * h) * (i % 2 == 1 ? 4 : 2);
  return sum * h / 3;
}

TEST(IndexLsh, ChosenBandsRowsMinimizeWeightedErrorArea) {
  for (double threshold : {0.5, 0.7, 0.8, 0.9}) {
    const int k = 128;
    const LshParams chosen = ChooseBandsRows(threshold, k);
    ASSERT_GE(chosen.bands, 1);
    ASSERT_LE(chosen.bands * chosen.rows, k);
    auto error = [&](int b, int r) {
      const double fp = Simpson([&](double s) { return CandidateProbability(s, b, r); }, 0, threshold);
      const double fn = Simpson([&](double s) { return 1 - CandidateProbability(s, b, r); }, threshold, 1);
      return 0.5 * fp + 0.5 * fn;
    };
    const double chosen_error = error(chosen.bands, chosen.rows);
    EXPECT_NEAR(chosen.false_positive_area,
                Simpson([&](double s) { return CandidateProbability(s, chosen.bands, chosen.rows); }, 0, threshold),
                1e-4);
    for (int b = 1; b <= k; ++b) {
      for (int r = 1; b * r <= k; ++r) {
        ASSERT_GE(error(b, r), chosen_error - 1e-4) << "b=" << b << " r=" << r << " beats the chosen "
                                                    << chosen.bands << "x" << chosen.rows;
      }
    }
  }
}

// Banding alone: signatures whose slots agree independently with probability s must become
// candidates at rate 1-(1-s^r)^b (binomial bound, 4.5 standard deviations).
TEST(IndexLsh, CandidateRateFollowsSCurveForIndependentSlots) {
  std::mt19937_64 random(1);
  const LshParams params = ChooseBandsRows(0.7, 128);
  const int trials = 3000;
  for (double s : {0.3, 0.5, 0.6, 0.7, 0.8, 0.9}) {
    std::bernoulli_distribution agree(s);
    int candidates = 0;
    for (int t = 0; t < trials; ++t) {
      std::vector<std::uint32_t> a(128), b(128);
      for (int i = 0; i < 128; ++i) {
        a[i] = static_cast<std::uint32_t>(random());
        b[i] = agree(random) ? a[i] : a[i] ^ 1u;
      }
      std::vector<std::uint64_t> keys(2 * params.bands);
      BandKeys(a, params, std::span(keys).subspan(0, params.bands));
      BandKeys(b, params, std::span(keys).subspan(params.bands, params.bands));
      const std::vector<std::uint8_t> eligible(2, 1);
      candidates += CandidatePairs(keys, params.bands, eligible).empty() ? 0 : 1;
    }
    const double expected = CandidateProbability(s, params.bands, params.rows);
    const double sd = std::sqrt(expected * (1 - expected) / trials);
    EXPECT_NEAR(static_cast<double>(candidates) / trials, expected, 4.5 * sd + 1e-3) << "s=" << s;
  }
}

// End to end through a sketch: sets with exact Jaccard s become candidates at about P(s). Run for
// the k-permutation MinHash and for one-permutation hashing with densification (the pipeline's).
template <typename Hasher>
void CheckRecallFollowsSCurve(const Hasher& hasher, std::uint64_t seed) {
  std::mt19937_64 random(seed);
  const int k = hasher.num_perm();
  const LshParams params = ChooseBandsRows(0.7, k);
  const int trials = 1500;
  for (double s : {0.5, 0.65, 0.7, 0.75, 0.85}) {
    // |A n B| = c, |A u B| = u with c/u = s.
    const std::size_t united = 400;
    const auto common = static_cast<std::size_t>(s * united);
    int candidates = 0;
    for (int t = 0; t < trials; ++t) {
      std::vector<std::uint64_t> a, b;
      for (std::size_t i = 0; i < common; ++i) {
        const std::uint64_t x = random();
        a.push_back(x);
        b.push_back(x);
      }
      for (std::size_t i = common; i < united; ++i) (i % 2 == 0 ? a : b).push_back(random());
      SortUnique(&a);
      SortUnique(&b);
      std::vector<std::uint32_t> sa(k), sb(k);
      hasher.Sign(a, sa);
      hasher.Sign(b, sb);
      std::vector<std::uint64_t> keys(2 * params.bands);
      BandKeys(sa, params, std::span(keys).subspan(0, params.bands));
      BandKeys(sb, params, std::span(keys).subspan(params.bands, params.bands));
      const std::vector<std::uint8_t> eligible(2, 1);
      candidates += CandidatePairs(keys, params.bands, eligible).empty() ? 0 : 1;
    }
    const double exact = static_cast<double>(common) / united;
    const double expected = CandidateProbability(exact, params.bands, params.rows);
    const double sd = std::sqrt(expected * (1 - expected) / trials);
    EXPECT_NEAR(static_cast<double>(candidates) / trials, expected, 4.5 * sd + 0.01) << "s=" << exact;
  }
}

TEST(IndexLsh, RecallFollowsSCurveAtThreshold) { CheckRecallFollowsSCurve(MinHasher(128, 77), 2); }

TEST(IndexLsh, RecallFollowsSCurveWithOnePermutationHashing) {
  CheckRecallFollowsSCurve(OnePermutationHasher(128, 77), 3);
}

TEST(IndexLsh, CandidatePairsAreSortedUniqueAndSkipIneligible) {
  // 5 documents, 2 bands: docs 0,1,2 share band 0; docs 2,3 share band 1; doc 4 shares with 0 but is
  // not eligible.
  const std::vector<std::uint64_t> keys = {7, 100, 7, 101, 7, 200, 8, 200, 7, 100};
  const std::vector<std::uint8_t> eligible = {1, 1, 1, 1, 0};
  const std::vector<CandidatePair> pairs = CandidatePairs(keys, 2, eligible);
  const std::vector<CandidatePair> expected = {{0, 1}, {0, 2}, {1, 2}, {2, 3}};
  EXPECT_EQ(pairs, expected);
}

// Bands are processed in parallel: the pairs (and the chosen bands/rows) must not depend on the
// thread count, and must be exactly the pairs of documents that share a key in some band.
TEST(IndexLsh, CandidatePairsAndChoiceDoNotDependOnThreads) {
  const std::size_t n = 3000;
  const int bands = 9;
  std::mt19937_64 random(5);
  std::vector<std::uint64_t> keys(n * bands);
  for (std::uint64_t& key : keys) key = random() % 700;  // many small buckets per band
  std::vector<std::uint8_t> eligible(n, 1);
  for (std::size_t i = 0; i < n; i += 7) eligible[i] = 0;
  std::set<CandidatePair> expected;
  for (int band = 0; band < bands; ++band) {
    std::map<std::uint64_t, std::vector<std::uint32_t>> buckets;
    for (std::size_t doc = 0; doc < n; ++doc) {
      if (eligible[doc] != 0) buckets[keys[doc * bands + band]].push_back(static_cast<std::uint32_t>(doc));
    }
    for (const auto& [key, docs] : buckets) {
      ASSERT_LE(docs.size(), kMaxBucketPairs);
      for (std::size_t i = 0; i < docs.size(); ++i) {
        for (std::size_t j = i + 1; j < docs.size(); ++j) expected.emplace(docs[i], docs[j]);
      }
    }
  }
  for (int threads : {1, 2, 4}) {
    tbb::task_arena arena(threads);
    std::vector<CandidatePair> pairs;
    LshParams chosen;
    arena.execute([&] {
      pairs = CandidatePairs(keys, bands, eligible);
      chosen = ChooseBandsRows(0.7, 128);
    });
    EXPECT_EQ(pairs, std::vector<CandidatePair>(expected.begin(), expected.end())) << threads << " threads";
    // The bounded run's index loads one band at a time: the same pairs.
    std::vector<int> loaded;
    arena.execute([&] {
      pairs = CandidatePairsByBand(bands, eligible, [&](int band, std::vector<std::uint64_t>* band_keys) {
        loaded.push_back(band);
        band_keys->resize(n);
        for (std::size_t doc = 0; doc < n; ++doc) (*band_keys)[doc] = keys[doc * bands + band];
      });
    });
    EXPECT_EQ(pairs, std::vector<CandidatePair>(expected.begin(), expected.end())) << threads << " threads, by band";
    EXPECT_EQ(loaded.size(), static_cast<std::size_t>(bands));
    EXPECT_EQ(chosen.bands, 14) << threads << " threads";
    EXPECT_EQ(chosen.rows, 9) << threads << " threads";
  }
}

// Enough pairs (about 10^6, half of them repeated across bands) that the final sort takes its
// bucketed path: the result must still be every pair that shares a key, sorted and unique.
TEST(IndexLsh, ManyPairsAreSortedUniqueThroughTheBucketedSort) {
  const std::size_t n = 40000;
  const int bands = 3;
  std::vector<std::uint64_t> keys(n * bands);
  std::mt19937_64 random(11);
  std::vector<std::uint32_t> shuffled(n);
  for (std::uint32_t i = 0; i < n; ++i) shuffled[i] = i;
  std::shuffle(shuffled.begin(), shuffled.end(), random);
  for (std::size_t doc = 0; doc < n; ++doc) {
    keys[doc * bands + 0] = doc / 40;                // buckets of 40 consecutive documents
    keys[doc * bands + 1] = doc / 40;                // the same pairs again
    keys[doc * bands + 2] = 1'000'000 + shuffled[doc] / 30;  // buckets of 30 scattered documents
  }
  const std::vector<std::uint8_t> eligible(n, 1);
  std::set<CandidatePair> expected;
  for (int band = 0; band < bands; ++band) {
    std::map<std::uint64_t, std::vector<std::uint32_t>> buckets;
    for (std::size_t doc = 0; doc < n; ++doc) buckets[keys[doc * bands + band]].push_back(static_cast<std::uint32_t>(doc));
    for (const auto& [key, docs] : buckets) {
      for (std::size_t i = 0; i < docs.size(); ++i) {
        for (std::size_t j = i + 1; j < docs.size(); ++j) expected.emplace(docs[i], docs[j]);
      }
    }
  }
  ASSERT_GT(expected.size(), std::size_t{1} << 19);
  // Two threads or more: the lists of the threads' bands are merged (in value ranges, in parallel).
  for (int threads : {1, 2, 4}) {
    tbb::task_arena arena(threads);
    std::vector<CandidatePair> pairs;
    arena.execute([&] { pairs = CandidatePairs(keys, bands, eligible); });
    EXPECT_EQ(pairs, std::vector<CandidatePair>(expected.begin(), expected.end())) << threads << " threads";
  }
}

TEST(IndexLsh, HugeBucketCostsLinearPairsAndStaysConnected) {
  const std::size_t n = 20000;
  const std::vector<std::uint64_t> keys(n, 42);  // one band, every document in one bucket
  const std::vector<std::uint8_t> eligible(n, 1);
  const std::vector<CandidatePair> pairs = CandidatePairs(keys, 1, eligible);
  EXPECT_LE(pairs.size(), 10 * n);
  std::set<std::uint32_t> linked_to_first;
  for (auto [a, b] : pairs) {
    if (a == 0) linked_to_first.insert(b);
  }
  EXPECT_EQ(linked_to_first.size(), n - 1);  // every document is compared with the first
}

}  // namespace
}  // namespace neardup
