#include "neardup/cluster_verify.h"

#include <tbb/parallel_for.h>

#include "neardup/cluster_union_find.h"
#include "neardup/shingle.h"

namespace neardup {

ClusterResult ClusterCopies(std::span<const std::vector<std::uint64_t>> shingle_sets,
                            std::span<const CandidatePair> candidates, double threshold) {
  const std::size_t n = shingle_sets.size();
  std::vector<double> similarity(candidates.size(), 0.0);
  tbb::parallel_for(std::size_t{0}, candidates.size(), [&](std::size_t i) {
    const auto [a, b] = candidates[i];
    similarity[i] = ExactJaccard(shingle_sets[a], shingle_sets[b]);
  });
  UnionFind sets(n);
  ClusterResult result;
  result.candidate_pairs = candidates.size();
  // Verified edges to earlier documents, per document (candidates are sorted, first < second).
  std::vector<std::vector<std::pair<std::uint32_t, double>>> earlier(n);
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    if (similarity[i] < threshold) continue;
    const auto [a, b] = candidates[i];
    sets.Union(a, b);
    earlier[b].emplace_back(a, similarity[i]);
    ++result.verified_pairs;
  }
  result.representative.resize(n);
  result.duplicate_of.resize(n);
  result.similarity.assign(n, 1.0);
  for (std::size_t doc = 0; doc < n; ++doc) {
    result.representative[doc] = sets.Representative(static_cast<std::uint32_t>(doc));
    std::uint32_t best = static_cast<std::uint32_t>(doc);
    double best_similarity = -1;
    for (const auto& [other, value] : earlier[doc]) {  // `other` < doc: already decided
      if (result.duplicate_of[other] != other) continue;  // only kept documents can absorb
      if (value > best_similarity || (value == best_similarity && other < best)) {
        best = other;
        best_similarity = value;
      }
    }
    result.duplicate_of[doc] = best;
    if (best != doc) result.similarity[doc] = best_similarity;
  }
  return result;
}

}  // namespace neardup
