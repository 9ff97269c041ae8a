#include "neardup/pipeline.h"

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_invoke.h>
#include <tbb/task_arena.h>

#include <atomic>
#include <iterator>
#include <memory>
#include <chrono>
#include <thread>

#include "neardup/clean_boilerplate.h"
#include "neardup/cluster_story.h"
#include "neardup/cluster_verify.h"
#include "neardup/error.h"
#include "neardup/index_lsh.h"
#include "neardup/normalize.h"
#include "neardup/pipeline_batches.h"
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

double Seconds(Clock::duration spent) { return std::chrono::duration<double>(spent).count(); }

// The clean stage's dump pass (kFast), fed as the documents arrive, and the time it took.
struct DumpPass {
  std::unique_ptr<BoilerplateCleanerBuilder> builder;  // null when the run does not clean
  Clock::duration scan_time{};

  explicit DumpPass(bool clean) {
    if (clean) builder = std::make_unique<BoilerplateCleanerBuilder>();
  }
  DumpPass(std::unique_ptr<BoilerplateCleanerBuilder> fed, Clock::duration time)
      : builder(std::move(fed)), scan_time(time) {}
  void Add(std::span<const Document> docs) {
    if (!builder) return;
    const auto start = Clock::now();
    builder->Add(docs);
    scan_time += Clock::now() - start;
  }
};

// Story mode's clean stage: every document cleaned before the story features are computed.
void CleanAll(std::vector<Document>* docs, const BoilerplateCleaner& cleaner, Clock::duration dump_time,
              RunReport* report, Progress* progress) {
  const auto start = Clock::now();
  if (progress != nullptr) progress->Stage("clean", docs->size());
  tbb::parallel_for(std::size_t{0}, docs->size(), [&](std::size_t i) {
    Document& doc = (*docs)[i];
    if (progress != nullptr) progress->Add(1, doc.text.size());
    if (!doc.rejected) cleaner.Clean(&doc);
  });
  report->stages.push_back(
      StageMeasure{"clean", Seconds(dump_time + (Clock::now() - start)), report->read_stats.bytes, docs->size()});
}

// What a run keeps until its outputs are written (RunResult::leftovers).
struct Leftovers {
  std::unique_ptr<BoilerplateCleaner> cleaner;
  std::vector<std::vector<std::uint64_t>> shingle_sets;
};

// Copy mode after reading: each document cleaned (when `cleaner` is given; the dump pass took
// `dump_time`) and sketched in one go while its text is in the cache, then index and cluster; the
// shingle sets go to `leftovers`.
ClusterResult CopyMode(std::vector<Document>* docs, const PipelineConfig& config, const BoilerplateCleaner* cleaner,
                       Clock::duration dump_time, RunReport* report, Progress* progress, Leftovers* leftovers) {
  const std::size_t n = docs->size();
  const LshParams lsh = CopyModeLsh(config);
  report->lsh = lsh;
  const DocumentSketcher sketcher(config, lsh);
  std::vector<std::vector<std::uint64_t>> shingle_sets(n);
  std::vector<std::uint64_t> band_keys(n * static_cast<std::size_t>(lsh.bands));
  std::vector<std::uint8_t> eligible(n, 0);
  tbb::enumerable_thread_specific<SketchWorker> workers;
  const auto start = Clock::now();
  if (progress != nullptr) progress->Stage(cleaner != nullptr ? "clean, normalize, shingle, sketch" : "normalize, shingle, sketch", n);
  tbb::parallel_for(std::size_t{0}, n, [&](std::size_t i) {
    Document& doc = (*docs)[i];
    if (progress != nullptr) progress->Add(1, doc.text.size());
    const auto keys = std::span(band_keys).subspan(i * lsh.bands, lsh.bands);
    eligible[i] = sketcher.CleanAndSketch(cleaner, &doc, &workers.local(), &shingle_sets[i], keys) ? 1 : 0;
  });
  ReportSketchStages(workers, Seconds(Clock::now() - start), cleaner != nullptr, Seconds(dump_time),
                     report->read_stats.bytes, TextBytes(*docs), n, report);
  std::vector<CandidatePair> candidates;
  if (progress != nullptr) progress->Stage("index and cluster", 0);
  {
    StageTimer timer(report, "index");
    timer.set_items(n);
    candidates = CandidatePairs(band_keys, lsh.bands, eligible);
  }
  StageTimer timer(report, "cluster");
  timer.set_items(candidates.size());
  ClusterResult clusters = ClusterCopies(shingle_sets, candidates, config.threshold);
  leftovers->shingle_sets = std::move(shingle_sets);
  return clusters;
}

}  // namespace

int EffectiveThreads(const PipelineConfig& config) {
  if (config.threads > 0) return config.threads;
  return std::max(1u, std::thread::hardware_concurrency());
}

namespace {

// Everything after reading, in the current arena: the cleaner from the dump pass, then the mode.
RunResult ProcessRead(std::vector<Document> docs, const PipelineConfig& config, RunReport report,
                      Progress* progress, DumpPass dump) {
  RunResult result;
  const auto finish_start = Clock::now();
  auto leftovers = std::make_shared<Leftovers>();
  std::unique_ptr<BoilerplateCleaner>& cleaner = leftovers->cleaner;
  cleaner = dump.builder ? dump.builder->Finish() : nullptr;
  dump.builder.reset();  // its scan buffers: large after a huge document
  const Clock::duration dump_time = dump.scan_time + (Clock::now() - finish_start);
  if (config.mode == Mode::kStory) {
    if (cleaner) CleanAll(&docs, *cleaner, dump_time, &report, progress);
    result.clusters = ClusterStories(&docs, config, &report);
  } else {
    result.clusters = CopyMode(&docs, config, cleaner.get(), dump_time, &report, progress, leftovers.get());
  }
  CountDecisions(docs, result.clusters, &report);
  result.docs = std::move(docs);
  result.report = std::move(report);
  result.leftovers = std::move(leftovers);
  return result;
}

// Batches of reading in the in-memory run: large enough that parsing a batch in parallel pays.
constexpr std::size_t kReadBatchBytes = 8u << 20;

}  // namespace

RunResult Process(std::vector<Document> docs, const PipelineConfig& config, RunReport report,
                  Progress* progress) {
  report.threads = EffectiveThreads(config);
  tbb::task_arena arena(report.threads);
  RunResult result;
  arena.execute([&] {
    DumpPass dump(config.clean);
    dump.Add(docs);
    result = ProcessRead(std::move(docs), config, std::move(report), progress, std::move(dump));
  });
  return result;
}

RunResult Run(const PipelineConfig& config, const std::vector<std::string>& inputs,
              Progress* progress) {
  const auto start = Clock::now();
  RunReport report;
  report.inputs = inputs;
  report.threads = EffectiveThreads(config);
  tbb::task_arena arena(report.threads);
  RunResult result;
  arena.execute([&] {
    if (progress != nullptr) progress->Stage("read", 0);
    ReadAndScanResult read = ReadAndScan(config, inputs, config.clean, progress);
    report.read_stats = read.stats;
    // The overlapped dump pass is counted in the clean stage, not here.
    report.stages.push_back(
        StageMeasure{"read", Seconds(read.read_time), report.read_stats.bytes, read.docs.size()});
    result = ProcessRead(std::move(read.docs), config, std::move(report), progress,
                         DumpPass(std::move(read.builder), read.scan_time));
  });
  result.report.total_seconds = Seconds(Clock::now() - start);
  result.report.peak_rss_bytes = PeakRssBytes();
  return result;
}

ReadAndScanResult ReadAndScan(const PipelineConfig& config, const std::vector<std::string>& inputs,
                              bool clean, Progress* progress) {
  // Read a batch at a time, and feed each batch to the clean stage's dump pass as the next one
  // is read (reading overlaps the dump pass), keeping the batches for what follows.
  InputReader reader(inputs, config.read);
  DumpPass dump(clean);
  std::vector<std::vector<Document>> batches;
  const auto read_start = Clock::now();
  std::vector<std::vector<Document>> slots(3);
  RunBatches(
      &slots, [&](std::vector<Document>* batch) { return reader.Next(kReadBatchBytes, batch, progress); },
      [](std::vector<Document>*) {},
      [&](std::vector<Document>* batch) {
        dump.Add(*batch);
        batches.push_back(std::move(*batch));
        batch->clear();
      });
  ReadAndScanResult read;
  read.read_time = Clock::now() - read_start - dump.scan_time;
  read.stats = reader.stats();
  read.builder = std::move(dump.builder);
  read.scan_time = dump.scan_time;
  std::size_t count = 0;
  for (const std::vector<Document>& batch : batches) count += batch.size();
  read.docs.reserve(count);
  for (std::vector<Document>& batch : batches) {
    std::move(batch.begin(), batch.end(), std::back_inserter(read.docs));
    std::vector<Document>().swap(batch);
  }
  return read;
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
    tbb::task_arena arena(EffectiveThreads(config));
    arena.execute([&] {
      tbb::parallel_invoke(
          [&] { WriteOutputsReleasing(output_dir, &result.docs, result.clusters, result.report, config, start); },
          [&] { result.leftovers.reset(); });
    });
  }
  // report.json has the run up to writing itself; the caller gets the whole run, its commit included.
  result.report.total_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  result.report.peak_rss_bytes = PeakRssBytes();
  return result.report;
}

}  // namespace neardup
