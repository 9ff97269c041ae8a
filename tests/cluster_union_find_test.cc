#include "neardup/cluster_union_find.h"

#include <gtest/gtest.h>

#include <queue>
#include <random>
#include <vector>

namespace neardup {
namespace {

// Reference: components by breadth-first search; label = smallest member.
std::vector<std::uint32_t> BfsComponents(std::size_t n, const std::vector<std::pair<std::uint32_t, std::uint32_t>>& edges) {
  std::vector<std::vector<std::uint32_t>> adjacent(n);
  for (auto [a, b] : edges) {
    adjacent[a].push_back(b);
    adjacent[b].push_back(a);
  }
  std::vector<std::uint32_t> label(n, UINT32_MAX);
  for (std::uint32_t start = 0; start < n; ++start) {
    if (label[start] != UINT32_MAX) continue;
    std::queue<std::uint32_t> queue;
    queue.push(start);
    label[start] = start;  // visiting in increasing order: start is the smallest member
    while (!queue.empty()) {
      std::uint32_t x = queue.front();
      queue.pop();
      for (std::uint32_t y : adjacent[x]) {
        if (label[y] == UINT32_MAX) {
          label[y] = start;
          queue.push(y);
        }
      }
    }
  }
  return label;
}

TEST(ClusterUnionFind, MatchesBfsReferenceOnRandomGraphs) {
  std::mt19937_64 random(7);
  for (int trial = 0; trial < 200; ++trial) {
    const std::size_t n = 1 + random() % 300;
    const std::size_t edge_count = random() % (2 * n);
    std::vector<std::pair<std::uint32_t, std::uint32_t>> edges;
    for (std::size_t e = 0; e < edge_count; ++e) {
      edges.emplace_back(static_cast<std::uint32_t>(random() % n), static_cast<std::uint32_t>(random() % n));
    }
    UnionFind sets(n);
    for (auto [a, b] : edges) sets.Union(a, b);
    const std::vector<std::uint32_t> expected = BfsComponents(n, edges);
    for (std::uint32_t x = 0; x < n; ++x) {
      ASSERT_EQ(sets.Representative(x), expected[x]) << "trial " << trial << " element " << x;
    }
  }
}

TEST(ClusterUnionFind, RepresentativeIsSmallestWhateverTheUnionOrder) {
  UnionFind sets(10);
  sets.Union(9, 8);
  sets.Union(8, 7);
  sets.Union(7, 3);
  sets.Union(5, 9);
  EXPECT_EQ(sets.Representative(9), 3u);
  EXPECT_EQ(sets.Representative(5), 3u);
  EXPECT_EQ(sets.Representative(4), 4u);
}

}  // namespace
}  // namespace neardup
