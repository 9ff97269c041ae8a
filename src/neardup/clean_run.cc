#include "neardup/clean_run.h"

#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <memory>
#include <span>
#include <string>

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

// Text bytes of the documents that are not rejected.
std::uint64_t AcceptedTextBytes(const std::vector<Document>& docs) {
  std::uint64_t bytes = 0;
  for (const Document& doc : docs) bytes += doc.rejected ? 0 : doc.text.size();
  return bytes;
}

// Cleans every document that is not rejected, in parallel in the current TBB arena.
void CleanInPlace(const BoilerplateCleaner& cleaner, std::vector<Document>* docs) {
  tbb::parallel_for(std::size_t{0}, docs->size(), [&](std::size_t i) {
    Document& doc = (*docs)[i];
    if (!doc.rejected) cleaner.Clean(&doc);
  });
}

// Appends the output lines of `docs` (see the header).
void AppendCleanedRecords(std::span<const Document> docs, std::string* out) {
  for (const Document& doc : docs) {
    out->append("{\"id\":");
    AppendId(out, doc);
    if (doc.rejected) {
      out->append(",\"rejected\":");
      AppendJsonString(out, RejectReasonName(*doc.rejected));
      out->append(",\"detail\":");
      AppendJsonString(out, doc.reject_detail);
    } else {
      out->append(",\"text\":");
      AppendJsonString(out, doc.text);
      out->append(",\"removed\":");
      AppendRemoved(out, doc);
    }
    out->append(doc.extra_fields);
    out->append("}\n");
  }
}

// `neardup clean` with the dump in memory: the dump pass runs over the batches as they are read
// (ReadAndScan), the documents are cleaned, and the output is streamed in chunks built in
// parallel, each chunk's documents freed once its lines are built.
CleanSummary CleanInMemory(const PipelineConfig& config, const std::vector<std::string>& inputs,
                           AtomicFile* file) {
  ReadAndScanResult read = ReadAndScan(config, inputs, /*clean=*/true);
  CleanSummary summary;
  summary.bytes_in = AcceptedTextBytes(read.docs);
  const auto start = std::chrono::steady_clock::now();
  {
    const std::unique_ptr<BoilerplateCleaner> cleaner = read.builder->Finish();
    read.builder.reset();
    CleanInPlace(*cleaner, &read.docs);
  }
  const auto cleaned = read.scan_time + (std::chrono::steady_clock::now() - start);
  summary.clean_seconds = std::chrono::duration<double>(cleaned).count();
  for (const Document& doc : read.docs) CountCleaned(doc, &summary);
  StreamAndReleaseDocuments(read.docs, AppendCleanedRecords, file);
  return summary;
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
        batch->bytes_in = AcceptedTextBytes(batch->docs);
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
  summary.bytes_in = AcceptedTextBytes(*docs);
  CleanInPlace(BoilerplateCleaner(*docs), docs);
  summary.clean_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  for (const Document& doc : *docs) CountCleaned(doc, &summary);
  return summary;
}

std::string CleanedRecordsJsonl(const std::vector<Document>& docs) {
  std::string out;
  AppendCleanedRecords(docs, &out);
  return out;
}

CleanSummary RunClean(const PipelineConfig& config, const std::vector<std::string>& inputs,
                      const std::string& output) {
  AtomicFile file(output);  // opened first: an unwritable output fails before any work
  tbb::task_arena arena(EffectiveThreads(config));
  CleanSummary summary;
  arena.execute([&] {
    summary = config.max_memory > 0 ? CleanBounded(config, inputs, output, &file)
                                    : CleanInMemory(config, inputs, &file);
  });
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
