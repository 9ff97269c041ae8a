#include "neardup/index_lsh.h"

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_sort.h>

#include <algorithm>
#include <cmath>

#include "neardup/error.h"
#include "neardup/hash.h"

namespace neardup {
namespace {

// Trapezoid-free midpoint integration of f over [a, b]: smooth integrands, 0.001 steps.
template <typename F>
double Integrate(F f, double a, double b) {
  if (b <= a) return 0.0;
  const int steps = std::max(1, static_cast<int>((b - a) / 0.001));
  const double h = (b - a) / steps;
  double sum = 0;
  for (int i = 0; i < steps; ++i) sum += f(a + (i + 0.5) * h);
  return sum * h;
}

}  // namespace

double CandidateProbability(double s, int bands, int rows) {
  return 1.0 - std::pow(1.0 - std::pow(s, rows), bands);
}

LshParams ChooseBandsRows(double threshold, int num_perm, double false_positive_weight,
                          double false_negative_weight) {
  if (threshold <= 0 || threshold >= 1) throw Error("threshold must be in (0, 1)");
  // Every (bands, rows) with bands * rows <= num_perm, in the order of the search below; the
  // areas are computed in parallel (each exactly as alone), the choice serially, so the result
  // is the same at any thread count.
  std::vector<LshParams> options;
  for (int bands = 1; bands <= num_perm; ++bands) {
    for (int rows = 1; rows <= num_perm / bands; ++rows) {
      options.push_back(LshParams{bands, rows, 0, 0});
    }
  }
  tbb::parallel_for(std::size_t{0}, options.size(), [&](std::size_t i) {
    LshParams& option = options[i];
    option.false_positive_area =
        Integrate([&](double s) { return CandidateProbability(s, option.bands, option.rows); }, 0.0,
                  threshold);
    option.false_negative_area = Integrate(
        [&](double s) { return 1.0 - CandidateProbability(s, option.bands, option.rows); },
        threshold, 1.0);
  });
  LshParams best;
  double best_error = 1e300;
  for (const LshParams& option : options) {
    const double error = false_positive_weight * option.false_positive_area +
                         false_negative_weight * option.false_negative_area;
    if (error < best_error) {
      best_error = error;
      best = option;
    }
  }
  return best;
}

void BandKeys(std::span<const std::uint32_t> signature, const LshParams& params,
              std::span<std::uint64_t> keys) {
  const auto rows = static_cast<std::size_t>(params.rows);
  for (std::size_t band = 0; band < static_cast<std::size_t>(params.bands); ++band) {
    keys[band] = Hash64(signature.data() + band * rows, rows * sizeof(std::uint32_t), kBandSeed + band);
  }
}

namespace {

// Per-thread scratch of CandidatePairs: one band's (key, document) entries and the pairs found.
struct BandScratch {
  std::vector<std::pair<std::uint64_t, std::uint32_t>> entries;
  std::vector<CandidatePair> pairs;
};

void SortUnique(std::vector<CandidatePair>* pairs) {
  tbb::parallel_sort(pairs->begin(), pairs->end());
  pairs->erase(std::unique(pairs->begin(), pairs->end()), pairs->end());
}

// Appends the pairs of one bucket (documents in ascending order) to `pairs`.
void BucketPairs(std::span<const std::pair<std::uint64_t, std::uint32_t>> bucket,
                 std::vector<CandidatePair>* pairs) {
  const std::size_t size = bucket.size();
  if (size <= kMaxBucketPairs) {
    for (std::size_t i = 0; i < size; ++i) {
      for (std::size_t j = i + 1; j < size; ++j)
        pairs->emplace_back(bucket[i].second, bucket[j].second);
    }
    return;
  }
  // Star to the first few documents of the bucket and a chain through it: linear in size.
  constexpr std::size_t kLeaders = 8;
  for (std::size_t i = 1; i < size; ++i) {
    for (std::size_t leader = 0; leader < std::min(kLeaders, i); ++leader) {
      pairs->emplace_back(bucket[leader].second, bucket[i].second);
    }
    pairs->emplace_back(bucket[i - 1].second, bucket[i].second);
  }
}

// Adds the candidate pairs of band `band` to scratch->pairs.
void BandPairs(std::span<const std::uint64_t> band_keys, int bands, int band,
               std::span<const std::uint8_t> eligible, BandScratch* scratch) {
  auto& entries = scratch->entries;
  entries.clear();
  for (std::size_t doc = 0; doc < eligible.size(); ++doc) {
    if (eligible[doc] == 0) continue;
    entries.emplace_back(band_keys[doc * bands + band], static_cast<std::uint32_t>(doc));
  }
  tbb::parallel_sort(entries.begin(), entries.end());
  for (std::size_t begin = 0; begin < entries.size();) {
    std::size_t end = begin + 1;
    while (end < entries.size() && entries[end].first == entries[begin].first) ++end;
    BucketPairs(std::span(entries).subspan(begin, end - begin), &scratch->pairs);
    begin = end;
  }
  // Keep memory bounded by deduplicating as we go.
  if (scratch->pairs.size() > (1u << 24)) SortUnique(&scratch->pairs);
}

}  // namespace

std::vector<CandidatePair> CandidatePairs(std::span<const std::uint64_t> band_keys, int bands,
                                          std::span<const std::uint8_t> eligible) {
  // Bands are independent: each thread collects the pairs of the bands it takes; the union is
  // sorted and deduplicated, so the result does not depend on which thread took which band.
  tbb::enumerable_thread_specific<BandScratch> scratch;
  tbb::parallel_for(
      0, bands, [&](int band) { BandPairs(band_keys, bands, band, eligible, &scratch.local()); });
  std::size_t total = 0;
  for (const BandScratch& local : scratch) total += local.pairs.size();
  std::vector<CandidatePair> pairs;
  pairs.reserve(total);
  for (BandScratch& local : scratch) {
    pairs.insert(pairs.end(), local.pairs.begin(), local.pairs.end());
    std::vector<CandidatePair>().swap(local.pairs);
  }
  SortUnique(&pairs);
  return pairs;
}

}  // namespace neardup
