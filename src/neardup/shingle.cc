#include "neardup/shingle.h"

#include <algorithm>
#include <bit>

#include "neardup/hash.h"

namespace neardup {

namespace {

constexpr std::size_t kBucketSortMin = 64;
constexpr std::size_t kSmallBucket = 16;  // larger buckets are std::sorted (see SortUniqueInto)

// Sorts `raw` into `out` and removes repeats. Shingle hashes are uniform, so one counting pass on
// their top bits (2n < 2^bits <= 4n, about a third of a hash per bucket, while the counts fit the
// stack array; else n/2 < 2^bits <= n, so that the heap holds at most 4 bytes per hash) leaves the
// hashes in order up to the few that share a bucket. One insertion pass over the whole array then
// finishes in expected O(n): its inner loop never crosses into an earlier bucket (whose hashes are
// all smaller) and rarely runs at all, so it costs about one predictable branch per hash, where
// sorting each bucket in turn costs a mispredicted branch per bucket on its random size. If a
// bucket is unexpectedly large, each bucket is sorted on its own and a large one std::sorted, so
// no input is quadratic. Equal hashes land in the same bucket, so the result is exactly
// std::sort + std::unique.
void SortUniqueInto(std::span<const std::uint64_t> raw, std::vector<std::uint64_t>* out) {
  const std::size_t n = raw.size();
  out->resize(n);
  if (n < kBucketSortMin) {
    std::copy(raw.begin(), raw.end(), out->begin());
    std::sort(out->begin(), out->end());
  } else {
    constexpr std::size_t kStackBuckets = 8192;
    const int bits = 4 * n <= kStackBuckets ? std::bit_width(n) + 1 : std::bit_width(n) - 1;
    const int shift = 64 - bits;
    std::uint32_t stack_starts[kStackBuckets + 1];
    std::vector<std::uint32_t> heap_starts;
    const std::size_t buckets = std::size_t{1} << bits;
    std::uint32_t* starts = stack_starts;
    if (buckets > kStackBuckets) {
      heap_starts.resize(buckets + 1);
      starts = heap_starts.data();
    }
    std::fill(starts, starts + buckets + 1, 0u);
    for (const std::uint64_t x : raw) ++starts[(x >> shift) + 1];
    std::uint32_t largest = 0;
    for (std::size_t b = 1; b <= buckets; ++b) {
      largest = std::max(largest, starts[b]);
      starts[b] += starts[b - 1];
    }
    // Scatter, using starts[b] as bucket b's write cursor; afterwards starts[b] is bucket b's end
    // (= bucket b+1's start), so bucket b spans [b == 0 ? 0 : starts[b - 1], starts[b]).
    std::uint64_t* data = out->data();
    for (const std::uint64_t x : raw) data[starts[x >> shift]++] = x;
    const auto insertion_sort = [data](std::size_t begin, std::size_t end) {
      for (std::size_t i = begin + 1; i < end; ++i) {
        const std::uint64_t x = data[i];
        std::size_t j = i;
        for (; j > begin && data[j - 1] > x; --j) data[j] = data[j - 1];
        data[j] = x;
      }
    };
    if (largest <= kSmallBucket) {
      insertion_sort(0, n);
    } else {
      std::size_t begin = 0;
      for (std::size_t b = 0; b < buckets; ++b) {
        const std::size_t end = starts[b];
        if (end - begin <= kSmallBucket) {
          insertion_sort(begin, end);
        } else {
          std::sort(data + begin, data + end);
        }
        begin = end;
      }
    }
  }
  out->erase(std::unique(out->begin(), out->end()), out->end());
}

}  // namespace

void WordShingles(std::span<const std::string_view> tokens, int n, std::vector<std::uint64_t>* out) {
  out->clear();
  if (tokens.empty()) return;
  const std::size_t width = std::min<std::size_t>(static_cast<std::size_t>(n), tokens.size());
  const std::size_t grams = tokens.size() - width + 1;
  // The token hashes, then each window's hash in place of its first token's (a window reads only
  // the hashes at and after its start, which are still token hashes).
  std::vector<std::uint64_t> raw(tokens.size());
  HashWords(tokens, kTokenSeed, raw.data());
  if (width <= kMaxRotatedGramWords) {
    for (std::size_t i = 0; i < grams; ++i) raw[i] = HashWordGram(raw.data() + i, width);
  } else {
    for (std::size_t i = 0; i < grams; ++i) {
      raw[i] = Hash64(raw.data() + i, width * sizeof(std::uint64_t), kShingleSeed);
    }
  }
  raw.resize(grams);
  SortUniqueInto(raw, out);
}

void CharShingles(std::span<const std::string_view> tokens, int n, std::vector<std::uint64_t>* out) {
  out->clear();
  if (tokens.empty()) return;
  std::string joined;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (i > 0) joined.push_back(' ');
    joined.append(tokens[i]);
  }
  // Byte offsets of each code point start, plus the end.
  std::vector<std::size_t> starts;
  starts.reserve(joined.size() + 1);
  for (std::size_t i = 0; i < joined.size(); ++i) {
    if ((static_cast<unsigned char>(joined[i]) & 0xC0) != 0x80) starts.push_back(i);
  }
  const std::size_t code_points = starts.size();
  starts.push_back(joined.size());
  const std::size_t width = std::min<std::size_t>(static_cast<std::size_t>(n), code_points);
  out->reserve(code_points - width + 1);
  for (std::size_t i = 0; i + width <= code_points; ++i) {
    std::string_view gram(joined.data() + starts[i], starts[i + width] - starts[i]);
    out->push_back(Hash64(gram, kShingleSeed));
  }
  SortUnique(out);
}

void Shingles(std::span<const std::string_view> tokens, ShingleKind kind, int n,
              std::vector<std::uint64_t>* out) {
  if (kind == ShingleKind::kChar) {
    CharShingles(tokens, n, out);
  } else {
    WordShingles(tokens, n, out);
  }
}

void SortUnique(std::vector<std::uint64_t>* hashes) {
  if (hashes->size() < kBucketSortMin) {
    std::sort(hashes->begin(), hashes->end());
    hashes->erase(std::unique(hashes->begin(), hashes->end()), hashes->end());
    return;
  }
  const std::vector<std::uint64_t> raw = std::move(*hashes);
  SortUniqueInto(raw, hashes);
}

double ExactJaccard(std::span<const std::uint64_t> a, std::span<const std::uint64_t> b) {
  if (a.empty() && b.empty()) return 0.0;
  std::size_t i = 0;
  std::size_t j = 0;
  std::size_t common = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] < b[j]) {
      ++i;
    } else if (b[j] < a[i]) {
      ++j;
    } else {
      ++common;
      ++i;
      ++j;
    }
  }
  return static_cast<double>(common) / static_cast<double>(a.size() + b.size() - common);
}

}  // namespace neardup
