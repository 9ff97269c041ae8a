#pragma once
// Disjoint sets over 0..n-1 (union by size, path halving). The root reported by Representative()
// is always the smallest member, so a cluster's representative is its first document in input
// order whatever order the unions came in. Not thread-safe; O(alpha(n)) per operation.
#include <cstdint>
#include <vector>

namespace neardup {

class UnionFind {
 public:
  explicit UnionFind(std::size_t n);
  std::uint32_t Find(std::uint32_t x);
  void Union(std::uint32_t a, std::uint32_t b);
  // The smallest element of x's set.
  std::uint32_t Representative(std::uint32_t x) { return smallest_[Find(x)]; }
  std::size_t size() const { return parent_.size(); }

 private:
  std::vector<std::uint32_t> parent_;
  std::vector<std::uint32_t> set_size_;
  std::vector<std::uint32_t> smallest_;
};

}  // namespace neardup
