#include "neardup/cluster_verify.h"

#include <tbb/parallel_for.h>

#include "neardup/cluster_union_find.h"
#include "neardup/shingle.h"

namespace neardup {

ClusterResult ClusterCopies(std::span<const std::vector<std::uint64_t>> shingle_sets,
                            std::span<const CandidatePair> candidates, double threshold) {
  std::vector<double> similarity(candidates.size(), 0.0);
  tbb::parallel_for(std::size_t{0}, candidates.size(), [&](std::size_t i) {
    const auto [a, b] = candidates[i];
    similarity[i] = ExactJaccard(shingle_sets[a], shingle_sets[b]);
  });
  return ClusterVerified(shingle_sets.size(), candidates, similarity, threshold);
}

ClusterResult ClusterVerified(std::size_t n, std::span<const CandidatePair> candidates,
                              std::span<const double> similarity, double threshold) {
  UnionFind sets(n);
  ClusterResult result;
  result.candidate_pairs = candidates.size();
  // Verified edges to earlier documents, per document (candidates are sorted, first < second):
  // the edges of document b are the candidates edge[starts[b]] up to edge[starts[b + 1]], one
  // array for all rather than a vector per document (8 bytes per document instead of 24).
  std::vector<std::uint64_t> starts(n + 1, 0);
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    if (similarity[i] < threshold) continue;
    const auto [a, b] = candidates[i];
    sets.Union(a, b);
    ++starts[b + 1];
    ++result.verified_pairs;
  }
  for (std::size_t doc = 0; doc < n; ++doc) starts[doc + 1] += starts[doc];
  std::vector<std::uint64_t> edge(result.verified_pairs);  // candidate indices, by later document
  {
    std::vector<std::uint64_t> next(starts.begin(), starts.end() - 1);
    for (std::size_t i = 0; i < candidates.size(); ++i) {
      if (similarity[i] >= threshold) edge[next[candidates[i].second]++] = i;
    }
  }
  result.representative.resize(n);
  result.duplicate_of.resize(n);
  result.similarity.assign(n, 1.0);
  for (std::size_t doc = 0; doc < n; ++doc) {
    result.representative[doc] = sets.Representative(static_cast<std::uint32_t>(doc));
    std::uint32_t best = static_cast<std::uint32_t>(doc);
    double best_similarity = -1;
    for (std::uint64_t e = starts[doc]; e < starts[doc + 1]; ++e) {
      const std::uint32_t other = candidates[edge[e]].first;  // < doc: already decided
      const double value = similarity[edge[e]];
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
