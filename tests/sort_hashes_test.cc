// SortByHash against std::sort: uniform hashes at several sizes and thread counts, and inputs
// that defeat the distribution (one hash for all, hashes differing only in their low bits,
// repeated pairs), which must still come out sorted.
#include "neardup/sort_hashes.h"

#include <gtest/gtest.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

namespace neardup {
namespace {

std::vector<HashIndex> UniformPairs(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 random(seed);
  std::vector<HashIndex> pairs(n);
  for (std::size_t i = 0; i < n; ++i) pairs[i] = {random(), static_cast<std::uint32_t>(random() % (n + 1))};
  return pairs;
}

void ExpectSortedLikeStdSort(std::vector<HashIndex> pairs, const std::string& what) {
  std::vector<HashIndex> expected = pairs;
  std::sort(expected.begin(), expected.end());
  for (const int threads : {1, 2, 4}) {
    std::vector<HashIndex> sorted = pairs;
    tbb::task_arena(threads).execute([&] { SortByHash(&sorted); });
    ASSERT_EQ(sorted, expected) << what << " at " << threads << " threads";
  }
  // kHashOnly: the same pairs, by hash, equal hashes together.
  std::vector<HashIndex> grouped = pairs;
  SortByHash(&grouped, PairOrder::kHashOnly);
  EXPECT_TRUE(std::is_sorted(grouped.begin(), grouped.end(),
                             [](const HashIndex& a, const HashIndex& b) { return a.first < b.first; }))
      << what;
  std::sort(grouped.begin(), grouped.end());
  EXPECT_EQ(grouped, expected) << what;
}

TEST(SortByHash, UniformHashesAtEverySizeEqualStdSort) {
  for (const std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{63}, std::size_t{64},
                              std::size_t{1000}, std::size_t{4097}, std::size_t{1} << 16, std::size_t{1} << 20}) {
    ExpectSortedLikeStdSort(UniformPairs(n, n + 1), "uniform n=" + std::to_string(n));
  }
}

TEST(SortByHash, HashesThatDefeatTheDistributionAreStillSorted) {
  std::mt19937_64 random(9);
  std::vector<HashIndex> same(50000), low_bits(50000), repeated(50000);
  for (std::size_t i = 0; i < same.size(); ++i) {
    same[i] = {0x1234567890abcdefull, static_cast<std::uint32_t>(random() % 1000)};
    low_bits[i] = {random() % 4096, static_cast<std::uint32_t>(random() % 50000)};  // all in the first top bucket
    repeated[i] = {random() % 97 * 0x9e3779b97f4a7c15ull, static_cast<std::uint32_t>(random() % 3)};
  }
  ExpectSortedLikeStdSort(same, "one hash");
  ExpectSortedLikeStdSort(low_bits, "low bits only");
  ExpectSortedLikeStdSort(repeated, "97 hashes, repeated pairs");
}

// One buffer kept across sorts of growing and shrinking sizes (as the index keeps it from band to
// band): every result is still std::sort's.
TEST(SortByHash, AKeptBufferGivesTheSameResults) {
  std::vector<HashIndex> scratch;
  for (const std::size_t n : {std::size_t{5000}, std::size_t{100}, std::size_t{1} << 17, std::size_t{3000},
                              std::size_t{70}, std::size_t{1} << 16}) {
    std::vector<HashIndex> pairs = UniformPairs(n, 3 * n);
    std::vector<HashIndex> expected = pairs;
    std::sort(expected.begin(), expected.end());
    SortByHash(&pairs, PairOrder::kHashThenIndex, &scratch);
    ASSERT_EQ(pairs, expected) << n;
  }
}

}  // namespace
}  // namespace neardup
