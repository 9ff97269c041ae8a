#include "neardup/sort_hashes.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <bit>
#include <cstddef>

namespace neardup {
namespace {

// ScatterByHashBits on the top `bits` bits, in parallel in the current TBB arena: chunks of
// `from` count their buckets, then each writes its pairs after those of the chunks before it in
// each bucket: the same stable distribution.
void ScatterByTopHashBits(std::span<const HashIndex> from, std::span<HashIndex> to, int bits,
                          std::vector<std::uint32_t>* starts) {
  constexpr std::size_t kMinChunkPairs = std::size_t{1} << 12;
  const auto threads =
      static_cast<std::size_t>(std::max(1, tbb::this_task_arena::max_concurrency()));
  const std::size_t chunks = std::min(2 * threads, from.size() / kMinChunkPairs);
  if (threads == 1 || chunks < 2) {
    ScatterByHashBits(from, to, 0, bits, starts);
    return;
  }
  const std::size_t buckets = std::size_t{1} << bits;
  const auto bucket = [bits](const HashIndex& pair) { return pair.first >> (64 - bits); };
  const auto chunk = [&](std::size_t c) {
    return from.subspan(c * from.size() / chunks,
                        (c + 1) * from.size() / chunks - c * from.size() / chunks);
  };
  // Per chunk and bucket: its count, then where the chunk writes its next pair of the bucket.
  std::vector<std::uint32_t> next(chunks * buckets, 0);
  tbb::parallel_for(std::size_t{0}, chunks, [&](std::size_t c) {
    std::uint32_t* const counts = next.data() + c * buckets;
    for (const HashIndex& pair : chunk(c)) ++counts[bucket(pair)];
  });
  starts->assign(buckets + 1, 0);
  std::uint32_t total = 0;
  for (std::size_t b = 0; b < buckets; ++b) {
    (*starts)[b] = total;
    for (std::size_t c = 0; c < chunks; ++c) {
      const std::uint32_t count = next[c * buckets + b];
      next[c * buckets + b] = total;
      total += count;
    }
  }
  (*starts)[buckets] = total;
  tbb::parallel_for(std::size_t{0}, chunks, [&](std::size_t c) {
    std::uint32_t* const write = next.data() + c * buckets;
    for (const HashIndex& pair : chunk(c)) to[write[bucket(pair)]++] = pair;
  });
}

}  // namespace

void ScatterByHashBits(std::span<const HashIndex> from, std::span<HashIndex> to, int skip, int bits,
                       std::vector<std::uint32_t>* starts) {
  const std::uint64_t mask = (std::uint64_t{1} << bits) - 1;
  const auto bucket = [skip, bits, mask](const HashIndex& pair) {
    return (pair.first >> (64 - skip - bits)) & mask;
  };
  starts->assign((std::size_t{1} << bits) + 1, 0);
  for (const HashIndex& pair : from) ++(*starts)[bucket(pair) + 1];
  for (std::size_t b = 1; b < starts->size(); ++b) (*starts)[b] += (*starts)[b - 1];
  for (const HashIndex& pair : from) to[(*starts)[bucket(pair)]++] = pair;
  // The writes moved each start to the next bucket's: shift them back.
  for (std::size_t b = starts->size() - 1; b > 0; --b) (*starts)[b] = (*starts)[b - 1];
  (*starts)[0] = 0;
}

// Sorts each bucket of `data` (bounds `starts`, buckets already in order): insertion sort for
// the usual bucket of about one pair, std::sort for a large one (a hash many documents share),
// or with PairOrder::kHashOnly nothing if the large bucket is all one hash.
// When no bucket is large, one insertion pass over all of `data` does it (its inner loop never
// crosses into an earlier bucket, whose pairs are all smaller), without a mispredicted branch
// per bucket on its random size (as SortUnique does).
void SortBuckets(std::span<HashIndex> data, const std::vector<std::uint32_t>& starts,
                 PairOrder order) {
  constexpr std::size_t kSmallBucket = 16;
  const auto less = [order](const HashIndex& x, const HashIndex& y) {
    return order == PairOrder::kHashOnly ? x.first < y.first : x < y;
  };
  const auto insertion_sort = [data, &less](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin + 1; i < end; ++i) {
      const HashIndex pair = data[i];
      std::size_t j = i;
      for (; j > begin && less(pair, data[j - 1]); --j) data[j] = data[j - 1];
      data[j] = pair;
    }
  };
  std::size_t largest = 0;
  for (std::size_t b = 0; b + 1 < starts.size(); ++b) {
    largest = std::max<std::size_t>(largest, starts[b + 1] - starts[b]);
  }
  if (largest <= kSmallBucket) {
    insertion_sort(0, data.size());
    return;
  }
  for (std::size_t b = 0; b + 1 < starts.size(); ++b) {
    const std::size_t begin = starts[b];
    const std::size_t end = starts[b + 1];
    const auto first = data.begin() + static_cast<std::ptrdiff_t>(begin);
    const auto last = data.begin() + static_cast<std::ptrdiff_t>(end);
    if (end - begin <= kSmallBucket) {
      insertion_sort(begin, end);
    } else if (order == PairOrder::kHashThenIndex ||
               std::any_of(first, last,
                           [first](const HashIndex& pair) { return pair.first != first->first; })) {
      std::sort(first, last, less);
    }
  }
}

// Sorts (hash, index) pairs by hash, then index (with PairOrder::kHashOnly, only brings equal
// hashes together). The hashes are uniform, so distributing them on their top log2(n) bits leaves
// buckets of about one pair for insertion sort (as SortUnique does for large sets). The
// distribution takes two passes, on at most kTopRadixBits bits and then on the rest within each
// bucket: a single pass into ~n buckets writes to another page at every step once the pairs
// outgrow the caches. Both passes run in parallel in the current TBB arena.
void SortByHash(std::vector<HashIndex>* pairs, PairOrder order, std::vector<HashIndex>* scratch) {
  const std::size_t n = pairs->size();
  if (n < 64) {
    std::sort(pairs->begin(), pairs->end());
    return;
  }
  const int bits = std::bit_width(n) - 1;
  const int top_bits = std::min(bits, kTopRadixBits);
  const int low_bits = bits - top_bits;
  scratch->resize(n);  // value-initializes only where it grows
  std::vector<HashIndex>& scattered = *scratch;
  std::vector<std::uint32_t> top_starts;
  ScatterByTopHashBits(*pairs, scattered, top_bits, &top_starts);
  if (low_bits == 0) {
    SortBuckets(scattered, top_starts, order);
    pairs->swap(scattered);
    return;
  }
  // The top buckets are independent: each is finished by one task.
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, top_starts.size() - 1),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      std::vector<std::uint32_t> low_starts;
                      for (std::size_t b = range.begin(); b != range.end(); ++b) {
                        const std::size_t begin = top_starts[b];
                        const std::size_t size = top_starts[b + 1] - begin;
                        const std::span<HashIndex> bucket(pairs->data() + begin, size);
                        ScatterByHashBits(
                            std::span<const HashIndex>(scattered.data() + begin, size), bucket,
                            top_bits, low_bits, &low_starts);
                        SortBuckets(bucket, low_starts, order);
                      }
                    });
}

void SortByHash(std::vector<HashIndex>* pairs, PairOrder order) {
  std::vector<HashIndex> scratch;
  SortByHash(pairs, order, &scratch);
}

}  // namespace neardup
