#pragma once
// Run: the whole dedup job, stages in order: read -> clean -> normalize -> shingle -> sketch ->
// index -> cluster (copy mode), or read -> clean -> story features -> cluster_story (story mode);
// then the writer. Threads come from a TBB arena of config.threads workers; every parallel stage
// writes into per-document slots, so the result is identical for any thread count. Run reads in
// batches through a TBB pipeline and feeds each batch to the clean stage's dump pass while the
// next is read; copy mode then cleans and sketches each document in one go. The whole dump is
// held in memory (see pipeline_bounded.h for the run that is not).
// Throws Error for run-fatal problems (nothing is written then); rejects bad documents as data.
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "neardup/clean_boilerplate.h"
#include "neardup/cluster_result.h"
#include "neardup/config.h"
#include "neardup/document.h"
#include "neardup/progress.h"
#include "neardup/read_inputs.h"
#include "neardup/run_report.h"

namespace neardup {

struct RunResult {
  std::vector<Document> docs;
  ClusterResult clusters;
  RunReport report;
  // What the run no longer needs once its clusters are known (the clean stage's model, the shingle
  // sets): RunAndWrite releases it while the outputs are written, when the threads mostly wait
  // for the disk, rather than on the way there.
  std::shared_ptr<void> leftovers;
};

// Everything but writing, on already-read documents (tests and benchmarks use it directly).
// `progress`, when given, is told each stage and each document as it goes (for the CLI's
// progress line); it never changes the result.
RunResult Process(std::vector<Document> docs, const PipelineConfig& config, RunReport report,
                  Progress* progress = nullptr);

// Reads `inputs`, processes them, and returns the result (no file written).
RunResult Run(const PipelineConfig& config, const std::vector<std::string>& inputs,
              Progress* progress = nullptr);

// Run + write the four outputs into `output_dir` (created if needed, checked before reading).
// With config.max_memory set, this is the bounded-memory run (pipeline_bounded.h): same outputs.
RunReport RunAndWrite(const PipelineConfig& config, const std::vector<std::string>& inputs,
                      const std::string& output_dir, Progress* progress = nullptr);

// The read stage with the clean stage's dump pass over it (Run's, and `neardup clean`'s): in the
// current TBB arena, the inputs are read a batch at a time and, with `clean`, each batch is fed to
// a kFast BoilerplateCleanerBuilder while the next one is read. Throws Error as InputReader does.
struct ReadAndScanResult {
  std::vector<Document> docs;  // in input order
  ReadStats stats;
  std::unique_ptr<BoilerplateCleanerBuilder> builder;  // null without `clean`
  std::chrono::steady_clock::duration read_time{};     // reading, the dump pass taken out
  std::chrono::steady_clock::duration scan_time{};     // the dump pass
};
ReadAndScanResult ReadAndScan(const PipelineConfig& config, const std::vector<std::string>& inputs,
                              bool clean, Progress* progress = nullptr);

// Number of worker threads a config asks for (0 = all cores).
int EffectiveThreads(const PipelineConfig& config);

}  // namespace neardup
