#include "neardup/pipeline.h"

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "neardup/clean_boilerplate.h"
#include "neardup/cluster_story.h"
#include "neardup/cluster_verify.h"
#include "neardup/error.h"
#include "neardup/index_lsh.h"
#include "neardup/normalize.h"
#include "neardup/pipeline_bounded.h"
#include "neardup/read_inputs.h"
#include "neardup/sketch_document.h"
#include "neardup/write_atomic.h"
#include "neardup/write_outputs.h"

namespace neardup {
namespace {

using Clock = std::chrono::steady_clock;

std::uint64_t TextBytes(const std::vector<Document>& docs) {
  std::uint64_t bytes = 0;
  for (const Document& doc : docs) bytes += doc.text.size();
  return bytes;
}

void CleanStage(std::vector<Document>* docs, RunReport* report, Progress* progress) {
  StageTimer timer(report, "clean");
  timer.set_bytes(TextBytes(*docs));
  timer.set_items(docs->size());
  if (progress != nullptr) progress->Stage("clean", docs->size());
  const BoilerplateCleaner cleaner(*docs);
  tbb::parallel_for(std::size_t{0}, docs->size(), [&](std::size_t i) {
    Document& doc = (*docs)[i];
    if (progress != nullptr) progress->Add(1, doc.text.size());
    if (!doc.rejected) cleaner.Clean(&doc);
  });
}

ClusterResult CopyMode(std::vector<Document>* docs, const PipelineConfig& config, RunReport* report,
                       Progress* progress) {
  const std::size_t n = docs->size();
  const LshParams lsh = CopyModeLsh(config);
  report->lsh = lsh;
  const DocumentSketcher sketcher(config, lsh);
  std::vector<std::vector<std::uint64_t>> shingle_sets(n);
  std::vector<std::uint64_t> band_keys(n * static_cast<std::size_t>(lsh.bands));
  std::vector<std::uint8_t> eligible(n, 0);
  tbb::enumerable_thread_specific<SketchWorker> workers;
  const auto start = Clock::now();
  if (progress != nullptr) progress->Stage("normalize, shingle, sketch", n);
  tbb::parallel_for(std::size_t{0}, n, [&](std::size_t i) {
    Document& doc = (*docs)[i];
    if (progress != nullptr) progress->Add(1, doc.text.size());
    const auto keys = std::span(band_keys).subspan(i * lsh.bands, lsh.bands);
    eligible[i] = sketcher.Sketch(&doc, &workers.local(), &shingle_sets[i], keys) ? 1 : 0;
  });
  ReportSketchStages(workers, std::chrono::duration<double>(Clock::now() - start).count(),
                     TextBytes(*docs), n, report);
  std::vector<CandidatePair> candidates;
  if (progress != nullptr) progress->Stage("index and cluster", 0);
  {
    StageTimer timer(report, "index");
    timer.set_items(n);
    candidates = CandidatePairs(band_keys, lsh.bands, eligible);
  }
  StageTimer timer(report, "cluster");
  timer.set_items(candidates.size());
  return ClusterCopies(shingle_sets, candidates, config.threshold);
}

}  // namespace

int EffectiveThreads(const PipelineConfig& config) {
  if (config.threads > 0) return config.threads;
  return std::max(1u, std::thread::hardware_concurrency());
}

RunResult Process(std::vector<Document> docs, const PipelineConfig& config, RunReport report,
                  Progress* progress) {
  RunResult result;
  report.threads = EffectiveThreads(config);
  tbb::task_arena arena(report.threads);
  arena.execute([&] {
    if (config.clean) CleanStage(&docs, &report, progress);
    if (config.mode == Mode::kStory) {
      result.clusters = ClusterStories(&docs, config, &report);
    } else {
      result.clusters = CopyMode(&docs, config, &report, progress);
    }
  });
  CountDecisions(docs, result.clusters, &report);
  result.docs = std::move(docs);
  result.report = std::move(report);
  return result;
}

RunResult Run(const PipelineConfig& config, const std::vector<std::string>& inputs,
              Progress* progress) {
  const auto start = Clock::now();
  RunReport report;
  report.inputs = inputs;
  std::vector<Document> docs;
  tbb::task_arena arena(EffectiveThreads(config));
  {
    StageTimer timer(&report, "read");
    if (progress != nullptr) progress->Stage("read", 0);
    arena.execute([&] { docs = ReadInputs(inputs, config.read, &report.read_stats, progress); });
    timer.set_bytes(report.read_stats.bytes);
    timer.set_items(docs.size());
  }
  RunResult result = Process(std::move(docs), config, std::move(report), progress);
  result.report.total_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  result.report.peak_rss_bytes = PeakRssBytes();
  return result;
}

RunReport RunAndWrite(const PipelineConfig& config, const std::vector<std::string>& inputs,
                      const std::string& output_dir, Progress* progress) {
  if (config.max_memory > 0) return RunBoundedAndWrite(config, inputs, output_dir, progress);
  PrepareOutputDir(output_dir);
  const auto start = Clock::now();
  RunResult result = Run(config, inputs, progress);
  if (progress != nullptr) progress->Stage("write", 0);
  {
    StageTimer timer(&result.report, "write");
    timer.set_items(result.docs.size());
    result.report.total_seconds = std::chrono::duration<double>(Clock::now() - start).count();
    result.report.peak_rss_bytes = PeakRssBytes();
    tbb::task_arena arena(EffectiveThreads(config));
    arena.execute([&] { WriteOutputs(output_dir, result.docs, result.clusters, result.report, config); });
  }
  // report.json has the time up to writing; the caller gets the whole run, writing included.
  result.report.total_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return result.report;
}

}  // namespace neardup
