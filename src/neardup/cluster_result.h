#pragma once
// What the cluster stage of either mode hands to the writer. A cluster is a set of documents;
// its representative is its first document in input order. Within a cluster, a document is either
// kept or a duplicate of a kept document (duplicate_of); a document is only ever marked duplicate
// of a document it was compared with and found similar to, so nothing is dropped through a chain.
// Plain value; built by one thread, then read-only.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace neardup {

struct ClusterResult {
  std::vector<std::uint32_t> representative;  // per document ordinal; itself when alone or rejected
  // Per document: the kept document it duplicates, itself when kept. Empty means "the
  // representative" for every document (story mode keeps one document per cluster).
  std::vector<std::uint32_t> duplicate_of;
  std::vector<double> similarity;  // per document: similarity to the document it duplicates

  std::uint32_t DuplicateOf(std::uint64_t doc) const {
    return duplicate_of.empty() ? representative[doc] : duplicate_of[doc];
  }
  // Story mode: the terms that explain each cluster, keyed by the representative's ordinal.
  std::map<std::uint32_t, std::vector<std::string>> shared_terms;
  std::uint64_t candidate_pairs = 0;  // pairs the index proposed
  std::uint64_t verified_pairs = 0;   // pairs whose verified similarity reached the threshold
};

}  // namespace neardup
