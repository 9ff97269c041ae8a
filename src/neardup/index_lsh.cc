#include "neardup/index_lsh.h"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <iterator>
#include <memory>
#include <utility>

#include "neardup/error.h"
#include "neardup/hash.h"
#include "neardup/sort_hashes.h"

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

// A candidate pair (a, b), a < b < n, packed as (a << bits) | b: sorting the integers sorts the
// pairs, and a radix sort of 2 * bits bits is much faster than a comparison sort.
struct PairPacking {
  int bits;
  std::uint64_t Pack(std::uint32_t a, std::uint32_t b) const { return (std::uint64_t{a} << bits) | b; }
  CandidatePair Unpack(std::uint64_t pair) const {
    return {static_cast<std::uint32_t>(pair >> bits),
            static_cast<std::uint32_t>(pair & ((std::uint64_t{1} << bits) - 1))};
  }
};

// Storage for a sort's scatter pass, never value-initialized: a large list is scattered into it
// whole, so zeroing it first would be one more pass over memory the scatter overwrites anyway.
class ScatterBuffer {
 public:
  std::uint64_t* Get(std::size_t size) {
    if (size > capacity_) {
      data_.reset();
      data_ = std::make_unique_for_overwrite<std::uint64_t[]>(size);
      capacity_ = size;
    }
    return data_.get();
  }
  void Release() {
    data_.reset();
    capacity_ = 0;
  }

 private:
  std::unique_ptr<std::uint64_t[]> data_;
  std::size_t capacity_ = 0;
};

// The radix sorts' buffers: a small list's (swapped with it) and a large list's scatter target.
struct SortBuffers {
  std::vector<std::uint64_t> small;
  ScatterBuffer large;
  void Release() {
    std::vector<std::uint64_t>().swap(small);
    large.Release();
  }
};

// Per-thread scratch of CandidatePairs: one band's (key, document) entries, the packed pairs
// found, and the sorts' buffers.
struct BandScratch {
  std::vector<HashIndex> entries;
  std::vector<HashIndex> entries_buffer;  // SortByHash's, kept from band to band
  std::vector<std::uint64_t> pairs;
  SortBuffers buffers;
  std::size_t unique_at_last_sort = 0;  // pairs.size() right after the last SortUnique
  std::size_t bands_done = 0;
};

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

// Sorts `keys`, each below 2^bits, ascending in place: an LSD radix sort, 11 bits per pass,
// through `scratch` (of the same size).
void RadixSortInPlace(int bits, std::span<std::uint64_t> keys, std::span<std::uint64_t> scratch) {
  constexpr int kDigitBits = 11;
  constexpr std::uint64_t kMask = (std::uint64_t{1} << kDigitBits) - 1;
  std::span<std::uint64_t> from = keys;
  std::span<std::uint64_t> to = scratch;
  for (int shift = 0; shift < bits; shift += kDigitBits) {
    std::array<std::size_t, kMask + 1> start{};
    for (const std::uint64_t key : from) ++start[(key >> shift) & kMask];
    std::size_t sum = 0;
    for (std::size_t& bucket : start) sum += std::exchange(bucket, sum);
    for (const std::uint64_t key : from) to[start[(key >> shift) & kMask]++] = key;
    std::swap(from, to);
  }
  if (from.data() != keys.data()) std::copy(from.begin(), from.end(), keys.begin());
}

// Sorts `pairs` (each below 2^bits) and removes repeats. A large list is distributed once by its
// top bits into `buffers->large` (the one pass over main memory), then each of the 2^11 buckets is
// sorted and made unique on its own, inside the caches, buckets in parallel, and the buckets are
// packed back: the same result as one LSD sort of the whole list, whose every pass streams the list
// through memory (story mode's 1 GB index sorted 10^8 pairs that way).
void SortUnique(int bits, std::vector<std::uint64_t>* pairs, SortBuffers* buffers) {
  constexpr int kTopBits = 11;
  constexpr std::size_t kBuckets = std::size_t{1} << kTopBits;
  const std::size_t n = pairs->size();
  if (n < (std::size_t{1} << 18) || bits <= 2 * kTopBits) {
    RadixSort(bits, pairs, &buffers->small);
    pairs->erase(std::unique(pairs->begin(), pairs->end()), pairs->end());
    return;
  }
  const int low_bits = bits - kTopBits;
  std::vector<std::size_t> starts(kBuckets + 1, 0);
  for (const std::uint64_t pair : *pairs) ++starts[(pair >> low_bits) + 1];
  for (std::size_t b = 0; b < kBuckets; ++b) starts[b + 1] += starts[b];
  // As large as the list may grow (its capacity), so that a growing list's sorts share one buffer.
  std::uint64_t* const scattered = buffers->large.Get(std::max(n, pairs->capacity()));
  {
    std::vector<std::size_t> next(starts.begin(), starts.end() - 1);
    for (const std::uint64_t pair : *pairs) scattered[next[pair >> low_bits]++] = pair;
  }
  std::vector<std::size_t> unique_counts(kBuckets, 0);
  tbb::enumerable_thread_specific<std::vector<std::uint64_t>> scratch;
  tbb::parallel_for(std::size_t{0}, kBuckets, [&](std::size_t b) {
    const std::span<std::uint64_t> bucket(scattered + starts[b], starts[b + 1] - starts[b]);
    std::vector<std::uint64_t>& local = scratch.local();
    if (local.size() < bucket.size()) local.resize(bucket.size());
    RadixSortInPlace(low_bits, bucket, std::span(local.data(), bucket.size()));
    unique_counts[b] = static_cast<std::size_t>(std::unique(bucket.begin(), bucket.end()) - bucket.begin());
  });
  std::vector<std::size_t> out_starts(kBuckets + 1, 0);
  for (std::size_t b = 0; b < kBuckets; ++b) out_starts[b + 1] = out_starts[b] + unique_counts[b];
  pairs->resize(out_starts.back());  // no larger than before: no reallocation
  tbb::parallel_for(std::size_t{0}, kBuckets, [&](std::size_t b) {
    std::copy_n(scattered + starts[b], unique_counts[b], pairs->begin() + static_cast<std::ptrdiff_t>(out_starts[b]));
  });
}

// Appends the pairs of one bucket (documents in ascending order) to `pairs`.
void BucketPairs(std::span<const std::pair<std::uint64_t, std::uint32_t>> bucket, PairPacking packing,
                 std::vector<std::uint64_t>* pairs) {
  const std::size_t size = bucket.size();
  if (size <= kMaxBucketPairs) {
    for (std::size_t i = 0; i < size; ++i) {
      for (std::size_t j = i + 1; j < size; ++j) pairs->push_back(packing.Pack(bucket[i].second, bucket[j].second));
    }
    return;
  }
  // Star to the first few documents of the bucket and a chain through it: linear in size.
  constexpr std::size_t kLeaders = 8;
  for (std::size_t i = 1; i < size; ++i) {
    for (std::size_t leader = 0; leader < std::min(kLeaders, i); ++leader) {
      pairs->push_back(packing.Pack(bucket[leader].second, bucket[i].second));
    }
    pairs->push_back(packing.Pack(bucket[i - 1].second, bucket[i].second));
  }
}

// Adds the candidate pairs of one band to scratch->pairs; key(doc) is the document's key in it.
template <typename KeyOf>
void BandPairs(const KeyOf& key, std::span<const std::uint8_t> eligible, PairPacking packing, int bands,
               BandScratch* scratch) {
  auto& entries = scratch->entries;
  entries.clear();
  for (std::size_t doc = 0; doc < eligible.size(); ++doc) {
    if (eligible[doc] == 0) continue;
    entries.emplace_back(key(doc), static_cast<std::uint32_t>(doc));
  }
  SortByHash(&entries, PairOrder::kHashThenIndex, &scratch->entries_buffer);  // keys: uniform hashes
  for (std::size_t begin = 0; begin < entries.size();) {
    std::size_t end = begin + 1;
    while (end < entries.size() && entries[end].first == entries[begin].first) ++end;
    BucketPairs(std::span(entries).subspan(begin, end - begin), packing, &scratch->pairs);
    begin = end;
  }
  // After the thread's first band, room for as many pairs in every band (up to 2^28 pairs): the
  // memory is reserved, not touched until used, and the list no longer grows by doubling, each
  // step a copy into fresh pages (story mode at 1 GB: 62 million pairs).
  constexpr std::size_t kMaxReservedPairs = std::size_t{1} << 28;
  if (scratch->bands_done++ == 0) {
    scratch->pairs.reserve(std::min(kMaxReservedPairs, scratch->pairs.size() * static_cast<std::size_t>(bands)));
  }
  // Keep memory bounded by deduplicating as we go: once the list has doubled since the last sort
  // (and holds at least 2^24 pairs), so that the sorting work stays proportional to the pairs
  // found. A fixed trigger re-sorted the whole list after every band once the unique pairs alone
  // passed it: story mode's index stage took 39x longer at 1 GB than at 100 MB.
  if (scratch->pairs.size() > std::max<std::size_t>(std::size_t{1} << 24, 2 * scratch->unique_at_last_sort)) {
    SortUnique(2 * packing.bits, &scratch->pairs, &scratch->buffers);
    scratch->unique_at_last_sort = scratch->pairs.size();
  }
}

}  // namespace

namespace {

// Walks the union of two sorted, repeat-free lists in order, `emit`ting each value once (what
// std::set_union writes); returns how many.
template <typename Emit>
std::size_t UnionWalk(std::span<const std::uint64_t> a, std::span<const std::uint64_t> b, const Emit& emit) {
  std::size_t i = 0;
  std::size_t j = 0;
  std::size_t count = 0;
  while (i < a.size() && j < b.size()) {
    const std::uint64_t x = a[i] < b[j] ? a[i++] : b[j] < a[i] ? b[j++] : (++j, a[i++]);
    emit(x);
    ++count;
  }
  for (; i < a.size(); ++i, ++count) emit(a[i]);
  for (; j < b.size(); ++j, ++count) emit(b[j]);
  return count;
}

// The union of two sorted, repeat-free lists of packed pairs, unpacked into `out`, in parallel:
// the values are cut into ranges at evenly spaced values of the longer list (and where those
// values fall in the other), each range's union is counted, then written at its offset. The same
// pairs in the same order as std::set_union then unpacking, with no merged list in between (story
// mode at 1 GB: 62 million pairs, whose one merge was 0.8 s of one thread).
void UnionUnpacked(std::span<const std::uint64_t> a, std::span<const std::uint64_t> b, PairPacking packing,
                   std::vector<CandidatePair>* out) {
  if (a.size() < b.size()) std::swap(a, b);
  constexpr std::size_t kRangeValues = std::size_t{1} << 16;
  const std::size_t ranges = std::max<std::size_t>(1, a.size() / kRangeValues);
  std::vector<std::size_t> a_cut(ranges + 1);
  std::vector<std::size_t> b_cut(ranges + 1);
  for (std::size_t r = 0; r <= ranges; ++r) {
    a_cut[r] = a.size() * r / ranges;
    // Range r holds the values from a[a_cut[r]] (included) to a[a_cut[r + 1]] (excluded).
    b_cut[r] = r == 0 ? 0
               : r == ranges ? b.size()
                             : static_cast<std::size_t>(std::lower_bound(b.begin(), b.end(), a[a_cut[r]]) - b.begin());
  }
  const auto range_a = [&](std::size_t r) { return a.subspan(a_cut[r], a_cut[r + 1] - a_cut[r]); };
  const auto range_b = [&](std::size_t r) { return b.subspan(b_cut[r], b_cut[r + 1] - b_cut[r]); };
  std::vector<std::size_t> offsets(ranges + 1, 0);
  tbb::parallel_for(std::size_t{0}, ranges, [&](std::size_t r) {
    offsets[r + 1] = UnionWalk(range_a(r), range_b(r), [](std::uint64_t) {});
  });
  for (std::size_t r = 0; r < ranges; ++r) offsets[r + 1] += offsets[r];
  out->resize(offsets.back());
  tbb::parallel_for(std::size_t{0}, ranges, [&](std::size_t r) {
    CandidatePair* next = out->data() + offsets[r];
    UnionWalk(range_a(r), range_b(r), [&](std::uint64_t pair) { *next++ = packing.Unpack(pair); });
  });
}

// The sorted, unique union of the pairs the bands' scratches collected, unpacked. Each scratch's
// list is finished on its own (most of it is sorted already), then the lists (one per thread that
// took bands) are merged two at a time, linear passes instead of sorting their concatenation,
// down to two, whose union is unpacked in parallel (UnionUnpacked).
std::vector<CandidatePair> MergeBandPairs(tbb::enumerable_thread_specific<BandScratch>* scratch,
                                          PairPacking packing) {
  std::vector<BandScratch*> owners;
  for (BandScratch& local : *scratch) {
    std::vector<std::pair<std::uint64_t, std::uint32_t>>().swap(local.entries);
    if (!local.pairs.empty()) owners.push_back(&local);
  }
  tbb::parallel_for(std::size_t{0}, owners.size(), [&](std::size_t l) {
    BandScratch& local = *owners[l];
    if (local.pairs.size() != local.unique_at_last_sort) SortUnique(2 * packing.bits, &local.pairs, &local.buffers);
    local.buffers.Release();
  });
  std::vector<std::vector<std::uint64_t>> lists;
  for (BandScratch* local : owners) lists.push_back(std::move(local->pairs));
  while (lists.size() > 2) {
    std::vector<std::vector<std::uint64_t>> merged((lists.size() + 1) / 2);
    tbb::parallel_for(std::size_t{0}, merged.size(), [&](std::size_t m) {
      if (2 * m + 1 == lists.size()) {
        merged[m] = std::move(lists[2 * m]);
        return;
      }
      // Each list is sorted and repeat-free: set_union keeps one of two equal pairs.
      merged[m].reserve(lists[2 * m].size() + lists[2 * m + 1].size());
      std::set_union(lists[2 * m].begin(), lists[2 * m].end(), lists[2 * m + 1].begin(), lists[2 * m + 1].end(),
                     std::back_inserter(merged[m]));
      std::vector<std::uint64_t>().swap(lists[2 * m]);
      std::vector<std::uint64_t>().swap(lists[2 * m + 1]);
    });
    lists = std::move(merged);
  }
  std::vector<CandidatePair> out;
  if (lists.size() == 2) {
    UnionUnpacked(lists[0], lists[1], packing, &out);
  } else if (lists.size() == 1) {
    const std::vector<std::uint64_t>& pairs = lists[0];
    out.resize(pairs.size());
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, pairs.size()), [&](const auto& range) {
      for (std::size_t p = range.begin(); p < range.end(); ++p) out[p] = packing.Unpack(pairs[p]);
    });
  }
  return out;
}

PairPacking PackingFor(std::size_t documents) {
  return PairPacking{std::max(1, static_cast<int>(std::bit_width(documents)))};
}

}  // namespace

std::vector<CandidatePair> CandidatePairs(std::span<const std::uint64_t> band_keys, int bands,
                                          std::span<const std::uint8_t> eligible) {
  const PairPacking packing = PackingFor(eligible.size());
  // Bands are independent: each thread collects the pairs of the bands it takes; the union is
  // sorted and deduplicated, so the result does not depend on which thread took which band.
  tbb::enumerable_thread_specific<BandScratch> scratch;
  tbb::parallel_for(0, bands, [&](int band) {
    const auto key = [&](std::size_t doc) { return band_keys[doc * bands + band]; };
    BandPairs(key, eligible, packing, bands, &scratch.local());
  });
  return MergeBandPairs(&scratch, packing);
}

std::vector<CandidatePair> CandidatePairsByBand(int bands, std::span<const std::uint8_t> eligible,
                                                const BandLoader& load_band) {
  const PairPacking packing = PackingFor(eligible.size());
  tbb::enumerable_thread_specific<BandScratch> scratch;
  std::vector<std::uint64_t> keys;
  for (int band = 0; band < bands; ++band) {
    load_band(band, &keys);
    if (keys.size() != eligible.size()) {
      throw Error("internal error: band " + std::to_string(band) + " has " + std::to_string(keys.size()) +
                  " keys for " + std::to_string(eligible.size()) + " documents");
    }
    BandPairs([&](std::size_t doc) { return keys[doc]; }, eligible, packing, bands, &scratch.local());
  }
  return MergeBandPairs(&scratch, packing);
}

}  // namespace neardup
