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
// OutputWriter is the same writer for runs that never hold all documents (the bounded-memory run):
// it needs only the ids and rejections of all documents (DocumentIds) and the clusters up front,
// then takes the documents in input order, a batch at a time. Both give the same bytes.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "neardup/cluster_result.h"
#include "neardup/config.h"
#include "neardup/document.h"
#include "neardup/run_report.h"

namespace neardup {

// What the writer needs of every document at once, without its text: the id as written (a
// duplicate names the document it duplicates; clusters.jsonl lists its members) and whether it
// was rejected. About the id's length plus 9 bytes per document. Built in input order.
class DocumentIds {
 public:
  DocumentIds() = default;
  explicit DocumentIds(std::span<const Document> docs);

  void Add(const Document& doc);  // the next document: doc.ordinal must equal size()
  std::size_t size() const { return flags_.size(); }
  bool rejected(std::size_t ordinal) const { return (flags_[ordinal] & kRejected) != 0; }
  void AppendId(std::string* out, std::size_t ordinal) const;  // as JSON, like AppendId(doc)
  std::uint64_t MemoryBytes() const;

 private:
  static constexpr std::uint8_t kRejected = 1;
  static constexpr std::uint8_t kNumber = 2;
  std::string bytes_;                // the ids, one after another
  std::vector<std::uint64_t> ends_;  // end of each id in bytes_
  std::vector<std::uint8_t> flags_;
};

// Fills the decision counts of `report` from the documents and clusters (before writing).
void CountDecisions(const std::vector<Document>& docs, const ClusterResult& clusters, RunReport* report);
// The same in two parts, for runs that see each document once: the outcome counts from the ids
// and clusters (read, kept, duplicate, rejected, clusters, pairs), and a document's own counts
// (rejections by reason, removed lines by reason), added as it goes by.
void CountOutcomes(const DocumentIds& ids, const ClusterResult& clusters, RunReport* report);
void AddDocumentCounts(const Document& doc, RunReport* report);

// One decisions.jsonl line, without the newline (also used by `neardup clean`).
void AppendId(std::string* out, const Document& doc);
void AppendRemoved(std::string* out, const Document& doc);

// Writes the four outputs into `dir` (see OutputWriter). With `run_start`, report.json gets the
// write stage, the total time and the peak memory as they are when it is written
// (FinishReportForWriting); without, `report` as it is.
void WriteOutputs(const std::string& dir, const std::vector<Document>& docs,
                  const ClusterResult& clusters, const RunReport& report,
                  const PipelineConfig& config,
                  std::optional<std::chrono::steady_clock::time_point> run_start = std::nullopt);
// The same for a run that is done with its documents: each chunk of documents is emptied
// (Document{}) as soon as both its decisions and cleaned lines are built, so that their memory is
// freed while the files are written, when the threads mostly wait for the disk, rather than
// after. `docs` keeps its size; its documents end up empty. The files are the same.
void WriteOutputsReleasing(const std::string& dir, std::vector<Document>* docs,
                           const ClusterResult& clusters, const RunReport& report,
                           const PipelineConfig& config,
                           std::optional<std::chrono::steady_clock::time_point> run_start = std::nullopt);

class OutputWriter {
 public:
  // Opens the four temp files in `dir` (stale temps removed first); nothing is visible before
  // Commit(). `ids` and `clusters` must outlive the writer.
  OutputWriter(const std::string& dir, const DocumentIds& ids, const ClusterResult& clusters);
  ~OutputWriter();
  OutputWriter(const OutputWriter&) = delete;
  OutputWriter& operator=(const OutputWriter&) = delete;

  // Streams the decisions.jsonl and cleaned.jsonl lines of the next documents (input order,
  // batches of any size). Runs in the current TBB arena.
  void WriteDocuments(std::span<const Document> docs);
  // The same, emptying each document (Document{}) once both its lines are built.
  void WriteAndReleaseDocuments(std::span<Document> docs);
  // Streams clusters.jsonl (needs no document; may run while WriteDocuments runs).
  void WriteClusters();
  // Writes report.json and renames the four files into place, after checking that every document
  // was written and accounted for in `report` (throws Error otherwise: no output appears).
  void Commit(const RunReport& report, const PipelineConfig& config);

 private:
  // WriteDocuments, emptying the documents of `release` (`docs` itself, or empty) as it goes.
  void Write(std::span<const Document> docs, std::span<Document> release);
  struct State;  // the open files and the cluster numbering
  const DocumentIds& ids_;
  const ClusterResult& clusters_;
  std::unique_ptr<State> state_;
  std::uint64_t written_ = 0;  // documents written so far
  bool clusters_written_ = false;
};

class AtomicFile;

// Streams one JSON Lines file of documents (`neardup clean`'s): `lines(chunk, &out)` appends the
// lines of a chunk of consecutive documents (about 4 MB of text, or 1024 documents), the
// chunks built in parallel in the current TBB arena while earlier ones are written, in order. A
// chunk's documents are emptied (Document{}) once its lines are built: the caller is done with them.
void StreamAndReleaseDocuments(std::span<Document> docs,
                               const std::function<void(std::span<const Document>, std::string*)>& lines,
                               AtomicFile* file);

// Exposed for tests: the text of each output file.
std::string DecisionsJsonl(const std::vector<Document>& docs, const ClusterResult& clusters);
std::string ClustersJsonl(const std::vector<Document>& docs, const ClusterResult& clusters);
std::string CleanedJsonl(const std::vector<Document>& docs, const ClusterResult& clusters);

}  // namespace neardup
