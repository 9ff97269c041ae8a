#pragma once
// What the cluster stage of either mode hands to the writer: for every document, the ordinal of
// its cluster's representative (itself when alone or rejected) and its similarity to that
// representative. Plain value; built by one thread, then read-only.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace neardup {

struct ClusterResult {
  std::vector<std::uint32_t> representative;  // per document ordinal
  std::vector<double> similarity;             // per document; 1.0 for representatives
  // Story mode: the terms that explain each cluster, keyed by the representative's ordinal.
  std::map<std::uint32_t, std::vector<std::string>> shared_terms;
  std::uint64_t candidate_pairs = 0;  // pairs the index proposed
  std::uint64_t verified_pairs = 0;   // pairs whose verified similarity reached the threshold
};

}  // namespace neardup
