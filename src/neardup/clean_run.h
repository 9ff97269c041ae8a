#pragma once
// `neardup clean`: read the inputs, strip boilerplate (clean_boilerplate.h) and write one JSON line
// per input document, in input order, to a file (atomically) or to stdout ("-"):
//   {"id", "text": cleaned text, "removed": [{"first_line","last_line","reason"}], ...passed-through
//    members}, or for a rejected document {"id", "rejected": reason, "detail", ...members}.
// Cleaning runs in a TBB arena of EffectiveThreads(config) workers: the dump pass over each batch
// as the next is read (ReadAndScan), then the documents, then the output streamed in chunks built
// in parallel (each chunk's documents freed once its lines are built); with config.max_memory, the
// bounded passes of pipeline_bounded.h. The output does not depend on the thread count. Throws
// Error for run-fatal problems (unreadable input, unwritable output; the output file is then left
// untouched). Prints a one-line summary to stderr unless config.quiet.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "neardup/config.h"
#include "neardup/document.h"

namespace neardup {

struct CleanSummary {
  std::uint64_t documents = 0;
  std::uint64_t rejected = 0;
  std::uint64_t bytes_in = 0;   // text bytes of the accepted documents before cleaning
  std::uint64_t bytes_out = 0;  // and after
  std::map<std::string, std::uint64_t> removed_lines_by_reason;  // lines of the removed spans
  double clean_seconds = 0;     // the clean stage alone (dump pass + per-document pass)
};

// Cleans `docs` in place (in the current TBB arena) and returns the counts.
CleanSummary CleanDocuments(std::vector<Document>* docs);

// The output lines for cleaned documents (exposed for tests).
std::string CleanedRecordsJsonl(const std::vector<Document>& docs);

CleanSummary RunClean(const PipelineConfig& config, const std::vector<std::string>& inputs,
                      const std::string& output);

}  // namespace neardup
