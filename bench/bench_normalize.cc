// The normalize stage: text -> tokens. The table-driven fast path against the ICU path (the
// reference): before timing, every document must give identical tokens on both paths. And the
// fast path's UTF-8 decoder (normalize_utf8.h), SIMD against portable: identical units first.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <string>
#include <vector>

#include "bench_inputs.h"
#include "neardup/normalize.h"
#include "neardup/normalize_utf8.h"

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

enum class Decoder { kSimd, kPortable };

template <Decoder kDecoder>
void BM_DecodeBmp(benchmark::State& state) {
  const std::vector<Document>* docs = CorpusOrSkip(state);
  if (docs == nullptr) return;
  std::vector<char16_t> units;
  std::vector<char16_t> expected;
  for (const Document& doc : *docs) {
    units.resize(doc.text.size() + kDecodeBmpSlack);
    expected.resize(doc.text.size() + kDecodeBmpSlack);
    const DecodedBmp want = DecodeBmpPortable(doc.text, expected.data());
    const DecodedBmp got = DecodeBmp(doc.text, units.data());
    const auto units_end = units.begin() + static_cast<std::ptrdiff_t>(got.units);
    if (got.bytes != want.bytes || got.units != want.units ||
        !std::equal(units.begin(), units_end, expected.begin())) {
      state.SkipWithError(("SIMD decoding differs from the portable one on " + doc.id).c_str());
      return;
    }
  }
  for (auto _ : state) {
    for (const Document& doc : *docs) {
      units.resize(doc.text.size() + kDecodeBmpSlack);
      const DecodedBmp got = kDecoder == Decoder::kSimd ? DecodeBmp(doc.text, units.data())
                                                        : DecodeBmpPortable(doc.text, units.data());
      benchmark::DoNotOptimize(got);
      benchmark::DoNotOptimize(units.data());
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * TextBytes(*docs)));
}

BENCHMARK_TEMPLATE(BM_DecodeBmp, Decoder::kSimd)->Apply(CorpusArgs);
BENCHMARK_TEMPLATE(BM_DecodeBmp, Decoder::kPortable)->Apply(CorpusArgs);

}  // namespace
}  // namespace neardup::bench
