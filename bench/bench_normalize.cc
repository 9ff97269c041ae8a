// The normalize stage: text -> tokens. The table-driven fast path against the ICU path (the
// reference): before timing, every document must give identical tokens on both paths.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "bench_inputs.h"
#include "neardup/normalize.h"

namespace neardup::bench {
namespace {

enum class Path { kFast, kIcu };

template <Path kPath>
void BM_Tokenize(benchmark::State& state) {
  const std::vector<Document>* docs = CorpusOrSkip(state);
  if (docs == nullptr) return;
  Tokenizer tokenizer;
  Tokenizer reference;
  std::uint64_t tokens = 0;
  std::uint64_t fast_docs = 0;
  for (const Document& doc : *docs) {
    const auto& expected = reference.TokenizeWithIcu(doc.text);
    const auto& got = kPath == Path::kFast ? tokenizer.Tokenize(doc.text) : tokenizer.TokenizeWithIcu(doc.text);
    fast_docs += tokenizer.last_was_fast() ? 1 : 0;
    if (!std::equal(got.begin(), got.end(), expected.begin(), expected.end())) {
      state.SkipWithError(("tokens differ from the ICU path on " + doc.id).c_str());
      return;
    }
    tokens += got.size();
  }
  for (auto _ : state) {
    for (const Document& doc : *docs) {
      const auto& got = kPath == Path::kFast ? tokenizer.Tokenize(doc.text) : tokenizer.TokenizeWithIcu(doc.text);
      benchmark::DoNotOptimize(got.data());
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * TextBytes(*docs)));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * docs->size()));
  state.counters["tokens/s"] = benchmark::Counter(static_cast<double>(state.iterations() * tokens),
                                                  benchmark::Counter::kIsRate);
  state.counters["fast_share"] = static_cast<double>(fast_docs) / static_cast<double>(docs->size());
}

BENCHMARK_TEMPLATE(BM_Tokenize, Path::kFast)->Apply(CorpusArgs);
BENCHMARK_TEMPLATE(BM_Tokenize, Path::kIcu)->Apply(CorpusArgs);

}  // namespace
}  // namespace neardup::bench
