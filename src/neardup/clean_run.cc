#include "neardup/clean_run.h"

#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <chrono>
#include <filesystem>
#include <iostream>

#include "neardup/clean_boilerplate.h"
#include "neardup/pipeline.h"
#include "neardup/pipeline_batches.h"
#include "neardup/pipeline_bounded.h"
#include "neardup/read_inputs.h"
#include "neardup/write_atomic.h"
#include "neardup/write_jsonl.h"
#include "neardup/write_outputs.h"

namespace neardup {

namespace {

// Adds a cleaned (or rejected) document to the summary's counts (not bytes_in).
void CountCleaned(const Document& doc, CleanSummary* summary) {
  ++summary->documents;
  if (doc.rejected) {
    ++summary->rejected;
    return;
  }
  summary->bytes_out += doc.text.size();
  for (const RemovedSpan& span : doc.removed) {
    summary->removed_lines_by_reason[span.reason] += span.content_lines;
  }
}

// A batch of the bounded clean in flight, with its text bytes before cleaning.
struct CleanBatch {
  std::vector<Document> docs;
  std::uint64_t bytes_in = 0;
};

// `neardup clean --max-memory`: pass 1 reads into a spill and the lean dump statistics
// (pipeline_bounded.h), pass 2 reads the spill back, cleans and writes, a batch at a time.
CleanSummary CleanBounded(const PipelineConfig& config, const std::vector<std::string>& inputs,
                          const std::string& output, AtomicFile* file) {
  namespace fs = std::filesystem;
  std::string spill_dir = config.spill_dir;
  if (spill_dir.empty()) {
    spill_dir = output == "-" ? fs::temp_directory_path().string() : fs::absolute(output).parent_path().string();
  }
  PipelineConfig cleaning = config;
  cleaning.clean = true;
  CleanSummary summary;
  const auto start = std::chrono::steady_clock::now();
  SpilledRead spilled = ReadAndSpill(cleaning, inputs, spill_dir);
  std::vector<CleanBatch> slots(3);
  RunBatches(
      &slots,
      [&](CleanBatch* batch) {
        if (!spilled.documents->Read(spilled.batch_bytes, &batch->docs)) return false;
        batch->bytes_in = 0;
        for (const Document& doc : batch->docs) batch->bytes_in += doc.rejected ? 0 : doc.text.size();
        return true;
      },
      [&](CleanBatch* batch) {
        tbb::parallel_for(std::size_t{0}, batch->docs.size(), [&](std::size_t i) {
          if (!batch->docs[i].rejected) spilled.cleaner->Clean(&batch->docs[i]);
        });
      },
      [&](CleanBatch* batch) {
        summary.bytes_in += batch->bytes_in;
        for (const Document& doc : batch->docs) CountCleaned(doc, &summary);
        file->Write(CleanedRecordsJsonl(batch->docs));
      });
  summary.clean_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return summary;
}

}  // namespace

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
  for (const Document& doc : *docs) CountCleaned(doc, &summary);
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
  if (config.max_memory > 0) {
    arena.execute([&] { summary = CleanBounded(config, inputs, output, &file); });
  } else {
    arena.execute([&] {
      ReadStats stats;
      docs = ReadInputs(inputs, config.read, &stats);
      summary = CleanDocuments(&docs);
    });
    file.Write(CleanedRecordsJsonl(docs));
  }
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
