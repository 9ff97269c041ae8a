#pragma once
// Copy mode's cluster stage: LSH candidate pairs -> verified edges -> union-find clusters.
// Every candidate pair is verified by the exact Jaccard of the two shingle sets; only pairs at or
// above the threshold become edges, so LSH false positives never merge clusters. Clusters are the
// connected components of the verified edges (union-find). Within a cluster, documents are taken in
// input order: one with a verified edge to an earlier kept document is its duplicate (the most
// similar one; ties to the earliest), any other is kept. So every duplicate is within the threshold
// of the document it is marked a duplicate of, and a chain A~B~C with A, C apart keeps A and C.
// Runs in the current TBB arena; deterministic for any thread count.
#include <cstdint>
#include <span>
#include <vector>

#include "neardup/cluster_result.h"
#include "neardup/index_lsh.h"

namespace neardup {

ClusterResult ClusterCopies(std::span<const std::vector<std::uint64_t>> shingle_sets,
                            std::span<const CandidatePair> candidates, double threshold);

// The same from similarities the caller computed (similarity[i] is candidate i's exact Jaccard),
// for n documents: for runs that keep the shingle sets outside memory.
ClusterResult ClusterVerified(std::size_t n, std::span<const CandidatePair> candidates,
                              std::span<const double> similarity, double threshold);

}  // namespace neardup
