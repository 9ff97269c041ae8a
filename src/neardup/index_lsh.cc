#include "neardup/index_lsh.h"

#include <tbb/parallel_sort.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <utility>

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

// Sorts `keys`, each below 2^bits, ascending: an LSD radix sort, 11 bits per pass, through
// `buffer` (resized to keys->size()).
void RadixSort(int bits, std::vector<std::uint64_t>* keys, std::vector<std::uint64_t>* buffer) {
  constexpr int kDigitBits = 11;
  constexpr std::uint64_t kMask = (std::uint64_t{1} << kDigitBits) - 1;
  buffer->resize(keys->size());
  for (int shift = 0; shift < bits; shift += kDigitBits) {
    std::array<std::size_t, kMask + 1> start{};
    for (const std::uint64_t key : *keys) ++start[(key >> shift) & kMask];
    std::size_t sum = 0;
    for (std::size_t& bucket : start) sum += std::exchange(bucket, sum);
    for (const std::uint64_t key : *keys) (*buffer)[start[(key >> shift) & kMask]++] = key;
    keys->swap(*buffer);
  }
}

}  // namespace

double CandidateProbability(double s, int bands, int rows) {
  return 1.0 - std::pow(1.0 - std::pow(s, rows), bands);
}

LshParams ChooseBandsRows(double threshold, int num_perm, double false_positive_weight,
                          double false_negative_weight) {
  if (threshold <= 0 || threshold >= 1) throw Error("threshold must be in (0, 1)");
  LshParams best;
  double best_error = 1e300;
  for (int bands = 1; bands <= num_perm; ++bands) {
    const int max_rows = num_perm / bands;
    for (int rows = 1; rows <= max_rows; ++rows) {
      const double fp = Integrate([&](double s) { return CandidateProbability(s, bands, rows); },
                                  0.0, threshold);
      const double fn = Integrate(
          [&](double s) { return 1.0 - CandidateProbability(s, bands, rows); }, threshold, 1.0);
      const double error = false_positive_weight * fp + false_negative_weight * fn;
      if (error < best_error) {
        best_error = error;
        best = LshParams{bands, rows, fp, fn};
      }
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

std::vector<CandidatePair> CandidatePairs(std::span<const std::uint64_t> band_keys, int bands,
                                          std::span<const std::uint8_t> eligible) {
  const std::size_t n = eligible.size();
  // Pairs (a, b) with a, b < n packed as (a << bits) | b: sorting the integers sorts the pairs,
  // and a radix sort of 2 * bits bits is much faster than a comparison sort.
  const int bits = std::max(1, static_cast<int>(std::bit_width(n)));
  std::vector<std::uint64_t> pairs;
  std::vector<std::uint64_t> buffer;
  auto add = [&](std::uint32_t a, std::uint32_t b) { pairs.push_back((std::uint64_t{a} << bits) | b); };
  auto sort_unique = [&] {
    RadixSort(2 * bits, &pairs, &buffer);
    pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  };
  std::vector<std::pair<std::uint64_t, std::uint32_t>> bucket_entries;
  bucket_entries.reserve(n);
  for (int band = 0; band < bands; ++band) {
    bucket_entries.clear();
    for (std::size_t doc = 0; doc < n; ++doc) {
      if (eligible[doc] == 0) continue;
      bucket_entries.emplace_back(band_keys[doc * bands + band], static_cast<std::uint32_t>(doc));
    }
    tbb::parallel_sort(bucket_entries.begin(), bucket_entries.end());
    for (std::size_t begin = 0; begin < bucket_entries.size();) {
      std::size_t end = begin + 1;
      while (end < bucket_entries.size() && bucket_entries[end].first == bucket_entries[begin].first) ++end;
      const std::size_t size = end - begin;
      if (size <= kMaxBucketPairs) {
        for (std::size_t i = begin; i < end; ++i) {
          for (std::size_t j = i + 1; j < end; ++j) add(bucket_entries[i].second, bucket_entries[j].second);
        }
      } else {
        // Star to the first few documents of the bucket and a chain through it: linear in size.
        constexpr std::size_t kLeaders = 8;
        for (std::size_t i = begin + 1; i < end; ++i) {
          for (std::size_t leader = begin; leader < std::min(begin + kLeaders, i); ++leader) {
            add(bucket_entries[leader].second, bucket_entries[i].second);
          }
          add(bucket_entries[i - 1].second, bucket_entries[i].second);
        }
      }
      begin = end;
    }
    // Keep memory bounded by deduplicating as we go.
    if (pairs.size() > (1u << 24)) sort_unique();
  }
  sort_unique();
  std::vector<std::uint64_t>().swap(buffer);
  std::vector<CandidatePair> out;
  out.reserve(pairs.size());
  const std::uint64_t low = (std::uint64_t{1} << bits) - 1;
  for (const std::uint64_t pair : pairs) {
    out.emplace_back(static_cast<std::uint32_t>(pair >> bits), static_cast<std::uint32_t>(pair & low));
  }
  return out;
}

}  // namespace neardup
