#pragma once
// `neardup eval`: scores predicted clusters against gold clusters, so users can pick thresholds on
// their own labelled data. A Partition maps a document id to a cluster label. Scores are over the
// gold's ids; a gold id absent from the prediction counts as a predicted singleton (clusters.jsonl
// lists only clusters of two or more); predicted ids absent from the gold are ignored (counted).
// Metrics: pairwise precision/recall/F1 over same-cluster pairs (1.0 when there is no pair to
// find or to get wrong); B-cubed precision/recall/F1 averaged per document (Bagga & Baldwin 1998;
// Amigo et al. 2009); adjusted Rand index (Hubert & Arabie 1985; 1.0 for identical partitions).
// Readers throw neardup::Error naming the file and line of anything they cannot read. Pure
// functions otherwise; thread-safe.
#include <cstdint>
#include <map>
#include <string>

namespace neardup {

using Partition = std::map<std::string, std::string>;  // document id -> cluster label

// Gold: a gold.json object {"clusters": [{"docs": [ids]}]} (ids not listed are not scored), or
// JSON Lines of {"id", "cluster"} (string or integer values).
Partition ReadGoldClusters(const std::string& path);

// Prediction: a `neardup dedup` output folder (its decisions.jsonl), a decisions.jsonl (each
// non-rejected document's cluster is its duplicate_of, or itself), a clusters.jsonl
// ({"cluster", "docs"}), or {"id", "cluster"} lines. The format is recognised line by line.
Partition ReadPredictedClusters(const std::string& path);

struct ClusterScores {
  std::uint64_t documents = 0;        // gold ids scored
  std::uint64_t gold_clusters = 0;    // clusters among the scored ids (singletons included)
  std::uint64_t predicted_clusters = 0;
  std::uint64_t missing = 0;          // gold ids absent from the prediction (scored as singletons)
  std::uint64_t extra = 0;            // predicted ids absent from the gold (ignored)
  double pairwise_precision = 0, pairwise_recall = 0, pairwise_f1 = 0;
  double bcubed_precision = 0, bcubed_recall = 0, bcubed_f1 = 0;
  double adjusted_rand = 0;
};

ClusterScores ScoreClusters(const Partition& gold, const Partition& predicted);

// A small table for stdout (or one JSON object when `json`), ending in a newline.
std::string FormatClusterScores(const ClusterScores& scores, bool json = false);

}  // namespace neardup
