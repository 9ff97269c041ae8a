#pragma once
// Inputs shared by the stage benchmarks, built once per process and then read-only (any thread).
// kSynthArabic / kSynthEnglish: SynthDocuments(seed 1) of NEARDUP_BENCH_MB megabytes of JSONL
// (default 16). kSaudiNewsNet: the real dump ../shared/data/saudinewsnet.jsonl.zst next to the
// project, when present; a benchmark on an absent corpus is skipped with a message saying so.
// Benchmark arguments: range(0) is the corpus, range(1) (when used) the thread count.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>
#include <vector>

#include "neardup/document.h"

namespace neardup::bench {

enum class BenchCorpus : int { kSynthArabic = 0, kSynthEnglish = 1, kSaudiNewsNet = 2 };

// The documents of `corpus` (empty when the real dump is absent).
const std::vector<Document>& BenchDocuments(BenchCorpus corpus);

// The JSONL file of `corpus`: a temp file of the synthetic corpus (written once, removed at exit),
// or the real dump's path; empty when absent.
const std::string& BenchJsonlPath(BenchCorpus corpus);

// "synth-ar", "synth-en", "saudinewsnet".
const char* CorpusName(BenchCorpus corpus);

// Sets the label to the corpus name; returns nullptr after SkipWithError when it is absent.
const std::vector<Document>* CorpusOrSkip(benchmark::State& state);

std::uint64_t TextBytes(const std::vector<Document>& docs);

// Registers (corpus) arguments: both synthetic corpora and the real dump; single-threaded
// benchmarks, timed in CPU time (the machine is shared, so CPU time is the per-core figure).
void CorpusArgs(benchmark::internal::Benchmark* benchmark);
// Registers (corpus, threads) arguments: Arabic corpora at 1 and 2 threads, in wall time.
void CorpusThreadArgs(benchmark::internal::Benchmark* benchmark);

}  // namespace neardup::bench
