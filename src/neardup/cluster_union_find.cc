#include "neardup/cluster_union_find.h"

#include <algorithm>
#include <numeric>

namespace neardup {

UnionFind::UnionFind(std::size_t n) : parent_(n), set_size_(n, 1), smallest_(n) {
  std::iota(parent_.begin(), parent_.end(), 0u);
  std::iota(smallest_.begin(), smallest_.end(), 0u);
}

std::uint32_t UnionFind::Find(std::uint32_t x) {
  while (parent_[x] != x) {
    parent_[x] = parent_[parent_[x]];
    x = parent_[x];
  }
  return x;
}

void UnionFind::Union(std::uint32_t a, std::uint32_t b) {
  a = Find(a);
  b = Find(b);
  if (a == b) return;
  if (set_size_[a] < set_size_[b]) std::swap(a, b);
  parent_[b] = a;
  set_size_[a] += set_size_[b];
  smallest_[a] = std::min(smallest_[a], smallest_[b]);
}

}  // namespace neardup
