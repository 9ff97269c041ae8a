#include "bench_inputs.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string_view>

#include "neardup/read_inputs.h"
#include "neardup/synth_corpus.h"

namespace neardup::bench {
namespace {

// Timings from a build with assertions on mean little; say so in the benchmark's context
// (leveldb's PrintWarnings).
bool AddBuildContext() {
#ifdef NDEBUG
  benchmark::AddCustomContext("neardup_build", "release (NDEBUG)");
#else
  benchmark::AddCustomContext("neardup_build", "WARNING: assertions enabled, timings are not meaningful");
#endif
  return true;
}
[[maybe_unused]] const bool kBuildContextAdded = AddBuildContext();

std::uint64_t BenchBytes() {
  const char* value = std::getenv("NEARDUP_BENCH_MB");  // NOLINT(concurrency-mt-unsafe): read before threads
  std::uint64_t megabytes = 16;
  if (value != nullptr) {
    const std::uint64_t parsed = std::strtoull(value, nullptr, 10);
    if (parsed > 0) megabytes = parsed;
  }
  return megabytes << 20;
}

SynthConfig SynthFor(BenchCorpus corpus) {
  SynthConfig config;
  config.seed = 1;
  config.target_bytes = BenchBytes();
  config.language = corpus == BenchCorpus::kSynthEnglish ? SynthLanguage::kEnglish : SynthLanguage::kArabic;
  return config;
}

std::string RealDumpPath() {
  const std::filesystem::path path =
      std::filesystem::path(NEARDUP_SOURCE_DIR) / ".." / "shared" / "data" / "saudinewsnet.jsonl.zst";
  std::error_code error;
  return std::filesystem::exists(path, error) ? path.lexically_normal().string() : std::string();
}

// A temp file that is removed when the process ends.
class TempJsonl {
 public:
  explicit TempJsonl(BenchCorpus corpus) {
    path_ = (std::filesystem::temp_directory_path() /
             ("neardup_bench_" + std::to_string(getpid()) + "_" + std::to_string(static_cast<int>(corpus)) + ".jsonl"))
                .string();
    WriteSynthCorpus(SynthFor(corpus), path_);
  }
  ~TempJsonl() {
    std::error_code error;
    std::filesystem::remove(path_, error);
  }
  TempJsonl(const TempJsonl&) = delete;
  TempJsonl& operator=(const TempJsonl&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::vector<Document> ReadDump(const std::string& path) {
  if (path.empty()) return {};
  ReadStats stats;
  return ReadInputs({path}, ReadConfig{}, &stats);
}

}  // namespace

const std::vector<Document>& BenchDocuments(BenchCorpus corpus) {
  switch (corpus) {
    case BenchCorpus::kSynthArabic: {
      static const std::vector<Document> kDocs = SynthDocuments(SynthFor(corpus));
      return kDocs;
    }
    case BenchCorpus::kSynthEnglish: {
      static const std::vector<Document> kDocs = SynthDocuments(SynthFor(corpus));
      return kDocs;
    }
    case BenchCorpus::kSaudiNewsNet:
      break;
  }
  static const std::vector<Document> kDump = ReadDump(BenchJsonlPath(BenchCorpus::kSaudiNewsNet));
  return kDump;
}

const std::string& BenchJsonlPath(BenchCorpus corpus) {
  switch (corpus) {
    case BenchCorpus::kSynthArabic: {
      static const TempJsonl kFile(corpus);
      return kFile.path();
    }
    case BenchCorpus::kSynthEnglish: {
      static const TempJsonl kFile(corpus);
      return kFile.path();
    }
    case BenchCorpus::kSaudiNewsNet:
      break;
  }
  static const std::string kPath = RealDumpPath();
  return kPath;
}

const char* CorpusName(BenchCorpus corpus) {
  switch (corpus) {
    case BenchCorpus::kSynthArabic:
      return "synth-ar";
    case BenchCorpus::kSynthEnglish:
      return "synth-en";
    case BenchCorpus::kSaudiNewsNet:
      return "saudinewsnet";
  }
  return "?";
}

const std::vector<Document>* CorpusOrSkip(benchmark::State& state) {
  const auto corpus = static_cast<BenchCorpus>(state.range(0));
  state.SetLabel(CorpusName(corpus));
  const std::vector<Document>& docs = BenchDocuments(corpus);
  if (docs.empty()) {
    state.SkipWithError("corpus absent (../shared/data/saudinewsnet.jsonl.zst not found)");
    return nullptr;
  }
  return &docs;
}

std::uint64_t TextBytes(const std::vector<Document>& docs) {
  std::uint64_t bytes = 0;
  for (const Document& doc : docs) bytes += doc.text.size();
  return bytes;
}

void CorpusArgs(benchmark::internal::Benchmark* benchmark) {
  benchmark->ArgName("corpus");
  for (int corpus : {0, 1, 2}) benchmark->Arg(corpus);
  benchmark->Unit(benchmark::kMillisecond);
}

void CorpusThreadArgs(benchmark::internal::Benchmark* benchmark) {
  benchmark->ArgNames({"corpus", "threads"});
  for (int corpus : {0, 2}) {
    for (int threads : {1, 2}) benchmark->Args({corpus, threads});
  }
  benchmark->Unit(benchmark::kMillisecond)->UseRealTime();
}

}  // namespace neardup::bench
