// The read stage: JSONL file -> Documents. Whole stage (ReadInputs: line splitting, UTF-8 check,
// simdjson parsing, id checks) at 1 and 2 threads, and its parts on one thread: LineReader
// alone and JsonlParser alone. Before timing, the documents read must equal the generator's
// (ids, texts and passed-through members), and the real dump must read without rejections.
#include <benchmark/benchmark.h>

#include <tbb/task_arena.h>

#include <string>
#include <vector>

#include "bench_inputs.h"
#include "neardup/read_compressed.h"
#include "neardup/read_inputs.h"
#include "neardup/read_jsonl.h"

namespace neardup::bench {
namespace {

std::string CheckAgainstReference(const std::vector<Document>& read, BenchCorpus corpus) {
  const std::vector<Document>& expected = BenchDocuments(corpus);
  if (read.size() != expected.size()) {
    return "read " + std::to_string(read.size()) + " documents, expected " + std::to_string(expected.size());
  }
  for (std::size_t i = 0; i < read.size(); ++i) {
    if (read[i].rejected) return read[i].id + " rejected: " + read[i].reject_detail;
    if (corpus == BenchCorpus::kSaudiNewsNet) continue;  // the reference is this very reader
    if (read[i].id != expected[i].id || read[i].text != expected[i].text ||
        read[i].extra_fields != expected[i].extra_fields) {
      return "document " + std::to_string(i) + " differs from the generator's";
    }
  }
  return {};
}

void BM_ReadInputs(benchmark::State& state) {
  const auto corpus = static_cast<BenchCorpus>(state.range(0));
  if (CorpusOrSkip(state) == nullptr) return;
  const std::string& path = BenchJsonlPath(corpus);
  tbb::task_arena arena(static_cast<int>(state.range(1)));
  ReadStats stats;
  std::vector<Document> docs;
  arena.execute([&] { docs = ReadInputs({path}, ReadConfig{}, &stats); });
  if (const std::string failure = CheckAgainstReference(docs, corpus); !failure.empty()) {
    state.SkipWithError(failure.c_str());
    return;
  }
  const std::uint64_t bytes = stats.bytes;
  const std::size_t count = docs.size();
  for (auto _ : state) {
    arena.execute([&] {
      ReadStats run_stats;
      docs = ReadInputs({path}, ReadConfig{}, &run_stats);
    });
    benchmark::DoNotOptimize(docs.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * count));
}
BENCHMARK(BM_ReadInputs)->Apply(CorpusThreadArgs);

void BM_LineReader(benchmark::State& state) {
  const auto corpus = static_cast<BenchCorpus>(state.range(0));
  if (CorpusOrSkip(state) == nullptr) return;
  const std::string& path = BenchJsonlPath(corpus);
  std::uint64_t bytes = 0;
  std::uint64_t lines = 0;
  for (auto _ : state) {
    LineReader reader(OpenByteSource(path), path);
    std::string_view line;
    lines = 0;
    while (reader.Next(&line)) ++lines;
    bytes = reader.bytes_read();
  }
  if (lines != BenchDocuments(corpus).size()) {
    state.SkipWithError("line count differs from the document count");
    return;
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * lines));
}
BENCHMARK(BM_LineReader)->Apply(CorpusArgs);

void BM_JsonlParser(benchmark::State& state) {
  const auto corpus = static_cast<BenchCorpus>(state.range(0));
  if (CorpusOrSkip(state) == nullptr) return;
  std::vector<std::string> lines;
  std::uint64_t bytes = 0;
  {
    const std::string& path = BenchJsonlPath(corpus);
    LineReader reader(OpenByteSource(path), path);
    std::string_view line;
    while (reader.Next(&line)) {
      lines.emplace_back(line);
      bytes += line.size() + 1;
    }
  }
  JsonlParser parser{ReadConfig{}};
  const std::vector<Document>& expected = BenchDocuments(corpus);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    Document doc;
    doc.source = Location{"bench", i + 1};
    parser.Parse(lines[i], &doc);
    if (doc.rejected || doc.text != expected[i].text) {
      state.SkipWithError("parsed document differs from the reference");
      return;
    }
  }
  for (auto _ : state) {
    for (std::size_t i = 0; i < lines.size(); ++i) {
      Document doc;
      doc.source = Location{"bench", i + 1};
      parser.Parse(lines[i], &doc);
      benchmark::DoNotOptimize(doc.text.data());
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * lines.size()));
}
BENCHMARK(BM_JsonlParser)->Apply(CorpusArgs);

}  // namespace
}  // namespace neardup::bench
