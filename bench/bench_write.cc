// The write stage: documents and clusters -> decisions.jsonl, clusters.jsonl, cleaned.jsonl and
// report.json (WriteOutputs, atomic files in a temp folder), and the three JSONL builders alone.
// Before timing, cleaned.jsonl is parsed back (JsonlParser) and must give the kept documents'
// ids and texts, and decisions.jsonl must have one line per document.
#include <benchmark/benchmark.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "bench_inputs.h"
#include "neardup/pipeline.h"
#include "neardup/read_jsonl.h"
#include "neardup/write_outputs.h"

namespace neardup::bench {
namespace {

std::string CheckRoundTrip(const RunResult& result) {
  const std::string decisions = DecisionsJsonl(result.docs, result.clusters);
  if (static_cast<std::size_t>(std::count(decisions.begin(), decisions.end(), '\n')) != result.docs.size()) {
    return "decisions.jsonl does not have one line per document";
  }
  const std::string cleaned = CleanedJsonl(result.docs, result.clusters);
  JsonlParser parser{ReadConfig{}};
  std::size_t begin = 0;
  for (const Document& doc : result.docs) {
    if (doc.rejected || result.clusters.representative[doc.ordinal] != doc.ordinal) continue;
    const std::size_t end = cleaned.find('\n', begin);
    if (end == std::string::npos) return "cleaned.jsonl is missing kept documents";
    Document back;
    back.source = Location{"cleaned.jsonl", 0};
    parser.Parse(std::string_view(cleaned).substr(begin, end - begin), &back);
    if (back.rejected || back.id != doc.id || back.text != doc.text) return "cleaned.jsonl differs for " + doc.id;
    begin = end + 1;
  }
  return begin == cleaned.size() ? std::string() : "cleaned.jsonl has extra lines";
}

void BM_WriteOutputs(benchmark::State& state) {
  const std::vector<Document>* docs = CorpusOrSkip(state);
  if (docs == nullptr) return;
  PipelineConfig config;
  config.threads = 1;
  config.quiet = true;
  const RunResult result = Process(*docs, config, RunReport{});
  if (const std::string failure = CheckRoundTrip(result); !failure.empty()) {
    state.SkipWithError(failure.c_str());
    return;
  }
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("neardup_bench_write_" + std::to_string(getpid()));
  const int which = static_cast<int>(state.range(1));
  for (auto _ : state) {
    switch (which) {
      case 0:
        WriteOutputs(dir.string(), result.docs, result.clusters, result.report, config);
        break;
      case 1:
        benchmark::DoNotOptimize(DecisionsJsonl(result.docs, result.clusters).data());
        break;
      case 2:
        benchmark::DoNotOptimize(CleanedJsonl(result.docs, result.clusters).data());
        break;
      default:
        benchmark::DoNotOptimize(ClustersJsonl(result.docs, result.clusters).data());
        break;
    }
  }
  std::error_code error;
  std::filesystem::remove_all(dir, error);
  state.SetLabel(std::string(which == 0 ? "all four files, " : which == 1 ? "decisions, " : which == 2 ? "cleaned, " : "clusters, ") +
                 (state.range(0) == 2 ? "saudinewsnet" : state.range(0) == 1 ? "synth-en" : "synth-ar"));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * TextBytes(*docs)));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * docs->size()));
}
BENCHMARK(BM_WriteOutputs)
    ->ArgNames({"corpus", "file"})
    ->ArgsProduct({{0, 2}, {0, 1, 2, 3}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace neardup::bench
