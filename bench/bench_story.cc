// The story-mode stages of issue #4: text -> story terms (StoryTermExtractor::Extract), and
// weighted vectors -> P-MinHash signatures (WeightedMinHasher::Sign). Variants in one binary,
// compared as ratios: extraction with the per-thread token cache (the pipeline's) and without it
// (the reference), and Sign (early stop, bounded first pass) against SignByDefinition (all k
// values of every term). Before timing, each variant is checked against its reference: the same
// terms for every document, the same signature bit for bit for the first documents.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <string>
#include <vector>

#include "bench_inputs.h"
#include "neardup/cluster_story.h"
#include "neardup/run_report.h"
#include "neardup/sketch_weighted.h"
#include "neardup/story_terms.h"

namespace neardup::bench {
namespace {

constexpr int kNumPerm = 128;
constexpr std::uint64_t kSeed = 1;
constexpr std::size_t kCheckedSignatures = 200;

bool SameTerms(const std::vector<TermCount>& a, const std::vector<TermCount>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const TermCount& x, const TermCount& y) {
    return x.hash == y.hash && x.count == y.count && x.boost == y.boost;
  });
}

enum class TermsVariant { kTokenCache, kNoCache };

template <TermsVariant kVariant>
void BM_StoryTerms(benchmark::State& state) {
  const std::vector<Document>* docs = CorpusOrSkip(state);
  if (docs == nullptr) return;
  const StoryLexicon lexicon;
  StoryTermExtractor extractor(lexicon, kVariant == TermsVariant::kTokenCache);
  StoryTermExtractor reference(lexicon, /*cache_tokens=*/false);
  std::vector<TermCount> terms;
  std::vector<TermCount> expected;
  for (const Document& doc : *docs) {
    extractor.Extract(doc.text, &terms);
    reference.Extract(doc.text, &expected);
    if (!SameTerms(terms, expected)) {
      state.SkipWithError(("terms of " + doc.id + " differ from the uncached reference").c_str());
      return;
    }
  }
  for (auto _ : state) {
    for (const Document& doc : *docs) {
      extractor.Extract(doc.text, &terms);
      benchmark::DoNotOptimize(terms.data());
    }
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * TextBytes(*docs)));
  state.counters["docs/s"] = benchmark::Counter(static_cast<double>(state.iterations() * docs->size()),
                                                benchmark::Counter::kIsRate);
}

BENCHMARK_TEMPLATE(BM_StoryTerms, TermsVariant::kTokenCache)->Apply(CorpusArgs);
BENCHMARK_TEMPLATE(BM_StoryTerms, TermsVariant::kNoCache)->Apply(CorpusArgs);

// The weighted story vectors of a corpus (story terms, idf, top terms), built once.
const StoryVectors& Vectors(BenchCorpus corpus) {
  auto build = [](BenchCorpus c) {
    std::vector<Document> docs = BenchDocuments(c);
    RunReport report;
    return BuildStoryVectors(&docs, &report);
  };
  switch (corpus) {
    case BenchCorpus::kSynthArabic: {
      static const StoryVectors kVectors = build(corpus);
      return kVectors;
    }
    case BenchCorpus::kSynthEnglish: {
      static const StoryVectors kVectors = build(corpus);
      return kVectors;
    }
    case BenchCorpus::kSaudiNewsNet:
      break;
  }
  static const StoryVectors kVectors = build(BenchCorpus::kSaudiNewsNet);
  return kVectors;
}

enum class SignVariant { kEarlyStop, kDefinition };

template <SignVariant kVariant>
void BM_StorySign(benchmark::State& state) {
  const std::vector<Document>* docs = CorpusOrSkip(state);
  if (docs == nullptr) return;
  const StoryVectors& vectors = Vectors(static_cast<BenchCorpus>(state.range(0)));
  const WeightedMinHasher hasher(kNumPerm, kSeed);
  WeightedMinHasher::Scratch scratch;
  std::vector<std::uint32_t> signature(kNumPerm);
  std::vector<std::uint32_t> expected(kNumPerm);
  auto sign = [&](const std::vector<WeightedTerm>& terms) {
    if (kVariant == SignVariant::kEarlyStop) {
      hasher.Sign(terms, &scratch, signature);
    } else {
      hasher.SignByDefinition(terms, signature);
    }
  };
  for (std::size_t i = 0; i < std::min(vectors.terms.size(), kCheckedSignatures); ++i) {
    sign(vectors.terms[i]);
    hasher.SignByDefinition(vectors.terms[i], expected);
    if (signature != expected) {
      state.SkipWithError("signature differs from the definition");
      return;
    }
  }
  std::size_t features = 0;
  for (const auto& terms : vectors.terms) features += terms.size();
  for (auto _ : state) {
    for (const auto& terms : vectors.terms) {
      if (terms.empty()) continue;
      sign(terms);
      benchmark::DoNotOptimize(signature.data());
    }
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * features));
  state.counters["docs/s"] = benchmark::Counter(
      static_cast<double>(state.iterations() * vectors.terms.size()), benchmark::Counter::kIsRate);
}

BENCHMARK_TEMPLATE(BM_StorySign, SignVariant::kEarlyStop)->Apply(CorpusArgs);
BENCHMARK_TEMPLATE(BM_StorySign, SignVariant::kDefinition)->Apply(CorpusArgs);

}  // namespace
}  // namespace neardup::bench
