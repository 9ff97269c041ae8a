#pragma once
// The read stage: input paths -> documents in input order, each with a 0-based ordinal.
// Paths are taken in the order given; a folder is walked recursively in byte order of its paths.
// Inside a folder, *.txt files are one document each (id = path relative to the folder, without
// the extension) and *.jsonl, *.jsonl.gz, *.jsonl.zst, *.json.gz, *.json.zst files are JSON Lines;
// other files are skipped (and counted). A path given directly is a .txt document if it ends in
// .txt, else JSON Lines; "-" is JSON Lines on stdin. Compression is detected by magic bytes.
// Every path is checked before any is read (missing file -> Error before any work). A truncated
// or corrupt compressed stream throws Error naming the file. Blank JSONL lines are counted, not
// documents. Ids used twice: the later document is rejected (duplicate_id, "id already used by
// <file:line of the first>"), whatever lies between them. Uses the current TBB arena to parse
// documents in parallel while the next ones are read; the result does not depend on the thread
// count.
//
// InputReader streams the documents a batch at a time with bounded memory: it holds one batch of
// raw input read ahead, plus every id seen so far (compactly; its memory grows with the ids, not
// the texts). ReadInputs is a loop over InputReader that keeps every document.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "neardup/config.h"
#include "neardup/document.h"

namespace neardup {

struct ReadStats {
  std::uint64_t files = 0;
  std::uint64_t skipped_files = 0;  // files in folders whose name is not a known input kind
  std::uint64_t bytes = 0;          // decompressed bytes read
  std::uint64_t blank_lines = 0;    // empty or whitespace-only JSONL lines (not documents)
  std::uint64_t utf8_repairs = 0;   // invalid sequences replaced by U+FFFD
};

class Progress;

// Streams the documents of `paths` in input order, a batch at a time: the same documents, ordinals,
// rejections, stats and errors as ReadInputs. The concatenation of the batches equals ReadInputs'
// vector whatever the batch sizes and the thread count.
class InputReader {
 public:
  // Expands folders and checks every path: throws Error before reading anything.
  InputReader(const std::vector<std::string>& paths, const ReadConfig& config);
  ~InputReader();
  InputReader(const InputReader&) = delete;
  InputReader& operator=(const InputReader&) = delete;

  // Replaces *batch with the next documents: at least one, and about `max_bytes` of input text
  // (a batch ends at the first document that reaches max_bytes, so one large document is a batch).
  // Returns false, with *batch empty, when nothing is left (and on every later call). Parses in
  // parallel in the current TBB arena while the next batch is read; that read-ahead is done before
  // Next returns, so no work is left running between calls. An Error (e.g. a truncated stream)
  // comes after the documents read before it: the batch that reaches it ends there, and the next
  // call (and every later one) throws it.
  // `progress`, when given, is told the documents and bytes of the batch.
  bool Next(std::size_t max_bytes, std::vector<Document>* batch, Progress* progress = nullptr);

  // Counts so far; reading runs one batch ahead of Next, so they are complete once Next returned
  // false.
  const ReadStats& stats() const;
  // Approximate bytes held by the set of ids seen (the part of the memory that grows with the input).
  std::uint64_t MemoryBytes() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Every document at once. Adds the counts to *stats; `progress`, when given, is told the documents
// and bytes as they are read.
std::vector<Document> ReadInputs(const std::vector<std::string>& paths, const ReadConfig& config,
                                 ReadStats* stats, Progress* progress = nullptr);

}  // namespace neardup
