#pragma once
// The read stage: input paths -> documents in input order, each with a 0-based ordinal.
// Paths are taken in the order given; a folder is walked recursively in byte order of its paths.
// Inside a folder, *.txt files are one document each (id = path relative to the folder, without
// the extension) and *.jsonl, *.jsonl.gz, *.jsonl.zst, *.json.gz, *.json.zst files are JSON Lines;
// other files are skipped (and counted). A path given directly is a .txt document if it ends in
// .txt, else JSON Lines; "-" is JSON Lines on stdin. Compression is detected by magic bytes.
// Every path is checked before any is read (missing file -> Error before any work). A truncated
// or corrupt compressed stream throws Error naming the file. Blank JSONL lines are counted, not
// documents. Ids used twice: the later document is rejected (duplicate_id). Uses the current TBB
// arena to parse lines in parallel; the result does not depend on the thread count.
#include <cstdint>
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
// `progress`, when given, is told the documents and bytes as they are read.
std::vector<Document> ReadInputs(const std::vector<std::string>& paths, const ReadConfig& config,
                                 ReadStats* stats, Progress* progress = nullptr);

}  // namespace neardup
