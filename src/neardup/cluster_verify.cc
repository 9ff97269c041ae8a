#include "neardup/cluster_verify.h"

#include <tbb/parallel_for.h>

#include "neardup/cluster_union_find.h"
#include "neardup/shingle.h"

namespace neardup {

ClusterResult ClusterCopies(std::span<const std::vector<std::uint64_t>> shingle_sets,
                            std::span<const CandidatePair> candidates, double threshold) {
  const std::size_t n = shingle_sets.size();
  std::vector<std::uint8_t> is_edge(candidates.size(), 0);
  tbb::parallel_for(std::size_t{0}, candidates.size(), [&](std::size_t i) {
    const auto [a, b] = candidates[i];
    is_edge[i] = ExactJaccard(shingle_sets[a], shingle_sets[b]) >= threshold ? 1 : 0;
  });
  UnionFind sets(n);
  ClusterResult result;
  result.candidate_pairs = candidates.size();
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    if (is_edge[i] == 0) continue;
    sets.Union(candidates[i].first, candidates[i].second);
    ++result.verified_pairs;
  }
  result.representative.resize(n);
  result.similarity.assign(n, 1.0);
  for (std::size_t doc = 0; doc < n; ++doc) {
    result.representative[doc] = sets.Representative(static_cast<std::uint32_t>(doc));
  }
  tbb::parallel_for(std::size_t{0}, n, [&](std::size_t doc) {
    const std::uint32_t rep = result.representative[doc];
    if (rep != doc) result.similarity[doc] = ExactJaccard(shingle_sets[doc], shingle_sets[rep]);
  });
  return result;
}

}  // namespace neardup
