// The clean stage: the dump-level first pass (BoilerplateCleaner's constructor) and Clean() on
// every document, at 1 and 2 threads. Before timing, the result must keep the contract of
// clean_boilerplate.h: each document's kept lines are exactly its non-blank original lines
// outside the removed spans, in order; and the threaded run must equal the one-thread run.
// And its line normalization, MatchNormalize (64-byte windows where the CPU has AVX-512 VBMI2)
// against MatchNormalizeNarrow (16-byte windows), on every non-blank line of the corpus, after
// both are checked against the code point loop.
#include <benchmark/benchmark.h>

#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <string>
#include <string_view>
#include <vector>

#include "bench_inputs.h"
#include "neardup/clean_boilerplate.h"
#include "neardup/clean_lexicon.h"

namespace neardup::bench {
namespace {

// Lines as clean_boilerplate.h counts them ("\r\n", "\r" and "\n" end a line), trimmed.
std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t begin = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == '\n' || text[i] == '\r') {
      lines.push_back(text.substr(begin, i - begin));
      if (i + 1 < text.size() && text[i] == '\r' && text[i + 1] == '\n') ++i;
      begin = i + 1;
    }
  }
  return lines;
}

std::string_view Trim(std::string_view line) {
  const std::size_t first = line.find_first_not_of(" \t\f\v");
  if (first == std::string_view::npos) return {};
  return line.substr(first, line.find_last_not_of(" \t\f\v") - first + 1);
}

std::string CheckContract(const Document& original, const Document& cleaned) {
  const std::vector<std::string_view> lines = Lines(original.text);
  std::vector<std::string_view> expected;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto number = static_cast<std::uint32_t>(i + 1);
    bool removed = false;
    for (const RemovedSpan& span : cleaned.removed) removed = removed || (number >= span.first_line && number <= span.last_line);
    if (!removed && !Trim(lines[i]).empty()) expected.push_back(Trim(lines[i]));
  }
  std::vector<std::string_view> kept;
  for (std::string_view line : Lines(cleaned.text)) {
    if (!Trim(line).empty()) kept.push_back(Trim(line));
  }
  return kept == expected ? std::string() : "kept lines of " + original.id + " are not the lines outside the removed spans";
}

std::vector<Document> CleanAll(const std::vector<Document>& docs, int threads) {
  std::vector<Document> out = docs;
  tbb::task_arena arena(threads);
  arena.execute([&] {
    const BoilerplateCleaner cleaner(out);
    tbb::parallel_for(std::size_t{0}, out.size(), [&](std::size_t i) { cleaner.Clean(&out[i]); });
  });
  return out;
}

void BM_Clean(benchmark::State& state) {
  const std::vector<Document>* docs = CorpusOrSkip(state);
  if (docs == nullptr) return;
  const int threads = static_cast<int>(state.range(1));
  const std::vector<Document> reference = CleanAll(*docs, 1);
  for (std::size_t i = 0; i < docs->size(); ++i) {
    if (const std::string failure = CheckContract((*docs)[i], reference[i]); !failure.empty()) {
      state.SkipWithError(failure.c_str());
      return;
    }
  }
  const std::vector<Document> threaded = CleanAll(*docs, threads);
  for (std::size_t i = 0; i < docs->size(); ++i) {
    if (threaded[i].text != reference[i].text || threaded[i].removed.size() != reference[i].removed.size()) {
      state.SkipWithError("the threaded result differs from the one-thread result");
      return;
    }
  }
  std::uint64_t removed_lines = 0;
  for (const Document& doc : reference) {
    for (const RemovedSpan& span : doc.removed) removed_lines += span.last_line - span.first_line + 1;
  }
  tbb::task_arena arena(threads);
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<Document> work = *docs;
    state.ResumeTiming();
    arena.execute([&] {
      const BoilerplateCleaner cleaner(work);
      tbb::parallel_for(std::size_t{0}, work.size(), [&](std::size_t i) { cleaner.Clean(&work[i]); });
    });
    benchmark::DoNotOptimize(work.data());
    state.PauseTiming();
    work = {};  // freeing the copies is not the stage's work
    state.ResumeTiming();
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * TextBytes(*docs)));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * docs->size()));
  state.counters["removed_lines"] = static_cast<double>(removed_lines);
}
BENCHMARK(BM_Clean)->Apply(CorpusThreadArgs);

// range(1): 0 = MatchNormalize, 1 = MatchNormalizeNarrow.
void BM_MatchNormalize(benchmark::State& state) {
  const std::vector<Document>* docs = CorpusOrSkip(state);
  if (docs == nullptr) return;
  const bool narrow = state.range(1) == 1;
  const auto normalize = [narrow](std::string_view line, MatchLine* out) {
    if (narrow) {
      MatchNormalizeNarrow(line, out);
    } else {
      MatchNormalize(line, out);
    }
  };
  std::vector<std::string_view> lines;
  std::uint64_t bytes = 0;
  for (const Document& doc : *docs) {
    for (const std::string_view line : Lines(doc.text)) {
      if (Trim(line).empty()) continue;
      lines.push_back(Trim(line));
      bytes += lines.back().size();
    }
  }
  MatchLine out;
  MatchLine reference;
  for (const std::string_view line : lines) {
    normalize(line, &out);
    MatchNormalizeReference(line, &reference);
    if (out.text != reference.text || out.words != reference.words || out.numeric != reference.numeric) {
      state.SkipWithError("MatchNormalize differs from the code point loop");
      return;
    }
  }
  std::uint64_t words = 0;
  for (auto _ : state) {
    for (const std::string_view line : lines) {
      normalize(line, &out);
      words += out.words.size();
    }
  }
  benchmark::DoNotOptimize(words);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * lines.size()));
  state.SetLabel(std::string(CorpusName(static_cast<BenchCorpus>(state.range(0)))) +
                 (narrow ? ", 16-byte windows" : MatchNormalizeIsWide() ? ", 64-byte windows" : ", 16-byte windows (no AVX-512 VBMI2)"));
}
BENCHMARK(BM_MatchNormalize)
    ->ArgNames({"corpus", "narrow"})
    ->Args({0, 0})
    ->Args({0, 1})
    ->Args({1, 0})
    ->Args({1, 1})
    ->Args({2, 0})
    ->Args({2, 1})
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace neardup::bench
