#pragma once
// Copy mode's cluster stage: LSH candidate pairs -> verified edges -> union-find clusters.
// Every candidate pair is verified by the exact Jaccard of the two shingle sets; only pairs at or
// above the threshold become edges, so LSH false positives never merge clusters. Clusters are the
// connected components of the verified edges; each member's reported similarity is its exact
// Jaccard with the representative (which, through chains, may be below the threshold: the writer
// reports the cluster's minimum). Runs in the current TBB arena; deterministic for any thread count.
#include <cstdint>
#include <span>
#include <vector>

#include "neardup/cluster_result.h"
#include "neardup/index_lsh.h"

namespace neardup {

ClusterResult ClusterCopies(std::span<const std::vector<std::uint64_t>> shingle_sets,
                            std::span<const CandidatePair> candidates, double threshold);

}  // namespace neardup
