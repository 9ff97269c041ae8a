#include "neardup/clean_run.h"

#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <chrono>
#include <iostream>

#include "neardup/clean_boilerplate.h"
#include "neardup/pipeline.h"
#include "neardup/read_inputs.h"
#include "neardup/write_atomic.h"
#include "neardup/write_jsonl.h"
#include "neardup/write_outputs.h"

namespace neardup {

CleanSummary CleanDocuments(std::vector<Document>* docs) {
  CleanSummary summary;
  const auto start = std::chrono::steady_clock::now();
  for (const Document& doc : *docs) {
    if (!doc.rejected) summary.bytes_in += doc.text.size();
  }
  const BoilerplateCleaner cleaner(*docs);
  tbb::parallel_for(std::size_t{0}, docs->size(), [&](std::size_t i) {
    Document& doc = (*docs)[i];
    if (!doc.rejected) cleaner.Clean(&doc);
  });
  summary.clean_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  for (const Document& doc : *docs) {
    ++summary.documents;
    if (doc.rejected) {
      ++summary.rejected;
      continue;
    }
    summary.bytes_out += doc.text.size();
    for (const RemovedSpan& span : doc.removed) {
      summary.removed_lines_by_reason[span.reason] += span.content_lines;
    }
  }
  return summary;
}

std::string CleanedRecordsJsonl(const std::vector<Document>& docs) {
  std::string out;
  for (const Document& doc : docs) {
    out.append("{\"id\":");
    AppendId(&out, doc);
    if (doc.rejected) {
      out.append(",\"rejected\":");
      AppendJsonString(&out, RejectReasonName(*doc.rejected));
      out.append(",\"detail\":");
      AppendJsonString(&out, doc.reject_detail);
    } else {
      out.append(",\"text\":");
      AppendJsonString(&out, doc.text);
      out.append(",\"removed\":");
      AppendRemoved(&out, doc);
    }
    out.append(doc.extra_fields);
    out.append("}\n");
  }
  return out;
}

CleanSummary RunClean(const PipelineConfig& config, const std::vector<std::string>& inputs,
                      const std::string& output) {
  AtomicFile file(output);  // opened first: an unwritable output fails before any work
  tbb::task_arena arena(EffectiveThreads(config));
  CleanSummary summary;
  std::vector<Document> docs;
  arena.execute([&] {
    ReadStats stats;
    docs = ReadInputs(inputs, config.read, &stats);
    summary = CleanDocuments(&docs);
  });
  file.Write(CleanedRecordsJsonl(docs));
  file.Commit();
  if (!config.quiet) {
    std::uint64_t removed = 0;
    for (const auto& [reason, lines] : summary.removed_lines_by_reason) removed += lines;
    std::cerr << "neardup: cleaned " << summary.documents - summary.rejected << " documents ("
              << summary.rejected << " rejected); removed " << removed << " lines, "
              << summary.bytes_in - summary.bytes_out << " of " << summary.bytes_in << " bytes\n";
  }
  return summary;
}

}  // namespace neardup
