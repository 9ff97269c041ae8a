// Whole run (read -> clean -> ... -> write) on a JSONL file, copy mode, story mode and copy mode
// in bounded memory (--max-memory 256MB), 1 and 2 threads: MB/s of input (bytes_per_second),
// docs/s (items_per_second) and the process's peak RSS. Before timing, the outputs are checked:
// every document accounted for, and byte-identical decisions at 1 and 2 threads (and, bounded,
// identical to the in-memory run's). `neardup bench` is the same measure as a paste-able table.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "bench_inputs.h"
#include "neardup/pipeline.h"
#include "neardup/run_report.h"

namespace neardup::bench {
namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void BM_WholeRun(benchmark::State& state) {
  const auto corpus = static_cast<BenchCorpus>(state.range(0));
  const std::string& path = BenchJsonlPath(corpus);
  if (path.empty()) {
    state.SkipWithError("corpus absent (see bench_inputs.h)");
    return;
  }
  PipelineConfig config;
  config.quiet = true;
  const int variant = static_cast<int>(state.range(2));  // 0 copy, 1 story, 2 copy in bounded memory
  config.mode = variant == 1 ? Mode::kStory : Mode::kCopy;
  config.threshold = DefaultThreshold(config.mode);
  const auto dir = std::filesystem::temp_directory_path() / ("neardup-bench-whole-" + std::to_string(::getpid()));
  std::string reference;
  if (variant == 2) {  // the bounded run must write what the in-memory run writes
    RunAndWrite(config, {path}, dir.string());
    reference = Slurp((dir / "decisions.jsonl").string());
    config.max_memory = 256'000'000;
  }
  for (int threads : {1, 2}) {  // the check: accounting and determinism across thread counts
    config.threads = threads;
    const RunReport report = RunAndWrite(config, {path}, dir.string());
    if (report.read != report.kept + report.duplicate + report.rejected || report.read == 0) {
      state.SkipWithError("documents not accounted for");
      return;
    }
    const std::string decisions = Slurp((dir / "decisions.jsonl").string());
    if (reference.empty()) reference = decisions;
    if (decisions != reference) {
      state.SkipWithError("decisions differ between 1 and 2 threads, or bounded and in memory");
      return;
    }
  }
  config.threads = static_cast<int>(state.range(1));
  std::uint64_t bytes = 0;
  std::uint64_t docs = 0;
  for (auto _ : state) {
    const RunReport report = RunAndWrite(config, {path}, dir.string());
    bytes += report.read_stats.bytes;
    docs += report.read;
  }
  std::filesystem::remove_all(dir);
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
  state.SetItemsProcessed(static_cast<std::int64_t>(docs));
  state.counters["peak_rss_MB"] = static_cast<double>(PeakRssBytes()) / 1e6;
  state.SetLabel(std::string(variant == 0 ? "copy" : variant == 1 ? "story" : "copy, --max-memory 256MB") + ", " +
                 std::to_string(config.threads) + " thread(s)");
}

void Args(benchmark::internal::Benchmark* benchmark) {
  for (int corpus : {0, 2}) {
    for (int threads : {1, 2}) {
      for (int variant : {0, 1, 2}) benchmark->Args({corpus, threads, variant});
    }
  }
  benchmark->ArgNames({"corpus", "threads", "variant"})->UseRealTime()->Unit(benchmark::kMillisecond);
}

BENCHMARK(BM_WholeRun)->Apply(Args);

}  // namespace
}  // namespace neardup::bench
