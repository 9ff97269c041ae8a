#pragma once
// The write stage: the four output files of `neardup dedup`, each written atomically.
// Wire formats (a contract; extended only by adding members; also in the README):
//  decisions.jsonl  one line per input document, in input order:
//    {"id", "source": "file:line", "decision": "kept"|"duplicate"|"rejected",
//     "cluster": int|null, "duplicate_of": id|null, "similarity": float|null,
//     "reason": string|null, "detail": string|null, "removed": [{"first_line","last_line","reason"}]}
//  clusters.jsonl   one line per cluster of two or more documents, by representative order:
//    {"cluster", "representative", "docs": [ids in input order], "kept": [ids], "min_similarity",
//     "shared_terms": [...] (story mode only)}; min_similarity is the lowest similarity of a
//     duplicate to the document it duplicates
//  A "duplicate" is always a duplicate of a "kept" document of the same cluster ("duplicate_of").
//  cleaned.jsonl    kept documents in input order: {"id", "text" (cleaned), ...passed-through members}
//  report.json      counts, parameters, pairs, per-stage bytes/seconds, peak memory (run_report.h)
// Ids are written as they came: strings as JSON strings, integer ids as the same digits.
// All files are written to temps and renamed only after all four are complete.
// WriteOutputs builds the three JSONL files in chunks of documents, in parallel in the current TBB
// arena, and streams each chunk to its temp file in order as soon as it and those before it are
// built: the bytes are those of the whole-file builders below, at any thread count, and memory
// holds a few chunks per file instead of whole files.
#include <string>
#include <vector>

#include "neardup/cluster_result.h"
#include "neardup/config.h"
#include "neardup/document.h"
#include "neardup/run_report.h"

namespace neardup {

// Fills the decision counts of `report` from the documents and clusters (before writing).
void CountDecisions(const std::vector<Document>& docs, const ClusterResult& clusters, RunReport* report);

// One decisions.jsonl line, without the newline (also used by `neardup clean`).
void AppendId(std::string* out, const Document& doc);
void AppendRemoved(std::string* out, const Document& doc);

void WriteOutputs(const std::string& dir, const std::vector<Document>& docs,
                  const ClusterResult& clusters, const RunReport& report,
                  const PipelineConfig& config);

// Exposed for tests: the text of each output file.
std::string DecisionsJsonl(const std::vector<Document>& docs, const ClusterResult& clusters);
std::string ClustersJsonl(const std::vector<Document>& docs, const ClusterResult& clusters);
std::string CleanedJsonl(const std::vector<Document>& docs, const ClusterResult& clusters);

}  // namespace neardup
