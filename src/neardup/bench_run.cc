#include "neardup/bench_run.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "neardup/error.h"
#include "neardup/pipeline.h"
#include "neardup/write_jsonl.h"

namespace neardup {
namespace {

namespace fs = std::filesystem;

// VmHWM or VmRSS of this process from /proc/self/status, in bytes; 0 when unavailable.
std::uint64_t StatusBytes(std::string_view key) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.compare(0, key.size(), key) == 0 && line.size() > key.size() && line[key.size()] == ':') {
      return std::strtoull(line.c_str() + key.size() + 1, nullptr, 10) * 1024u;
    }
  }
  return 0;
}

// Resets the kernel's peak-RSS mark to the current RSS (Linux >= 4.0); false if not possible.
bool ResetPeakRss() {
  std::ofstream clear("/proc/self/clear_refs");
  clear << "5";
  clear.flush();
  return static_cast<bool>(clear);
}

std::string SizeName(std::uint64_t bytes) {
  char text[32];
  if (bytes % 1'000'000'000 == 0) {
    std::snprintf(text, sizeof(text), "%lluGB", static_cast<unsigned long long>(bytes / 1'000'000'000));
  } else if (bytes % 1'000'000 == 0) {
    std::snprintf(text, sizeof(text), "%lluMB", static_cast<unsigned long long>(bytes / 1'000'000));
  } else {
    std::snprintf(text, sizeof(text), "%lluB", static_cast<unsigned long long>(bytes));
  }
  return text;
}

const char* LanguageName(SynthLanguage language) {
  switch (language) {
    case SynthLanguage::kArabic:
      return "ar";
    case SynthLanguage::kEnglish:
      return "en";
    case SynthLanguage::kMixed:
      return "mixed";
  }
  return "ar";
}

// Writes `path`'s dirty pages to disk and waits: a freshly generated corpus would otherwise be
// written back by the kernel (30 s after it was written, or sooner under memory pressure) while
// a timed run reads and writes, which made the 1 GB runs look slower than they are.
void SyncFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw Error(WithErrno(path + ": cannot open generated corpus", errno));
  const int result = ::fsync(fd);
  const int error = errno;
  ::close(fd);
  if (result != 0) throw Error(WithErrno(path + ": fsync of generated corpus failed", error));
}

double Mb(std::uint64_t bytes) { return static_cast<double>(bytes) / 1e6; }

double StageSeconds(const RunReport& report, const std::string& name) {
  double seconds = 0;
  for (const StageMeasure& stage : report.stages) {
    if (stage.name == name) seconds += stage.seconds;
  }
  return seconds;
}

// Stage names in order of first appearance over all rows.
std::vector<std::string> StageNames(const std::vector<BenchRow>& rows) {
  std::vector<std::string> names;
  for (const BenchRow& row : rows) {
    for (const StageMeasure& stage : row.report.stages) {
      if (std::find(names.begin(), names.end(), stage.name) == names.end()) names.push_back(stage.name);
    }
  }
  return names;
}

double MbPerSecond(const BenchRow& row) {
  return row.report.total_seconds > 0 ? Mb(row.bytes) / row.report.total_seconds : 0;
}

double BytesPerDocument(const BenchRow& row) {
  if (row.documents == 0 || row.peak_rss_bytes < row.start_rss_bytes) return 0;
  return static_cast<double>(row.peak_rss_bytes - row.start_rss_bytes) / static_cast<double>(row.documents);
}

// The one-thread row of the same corpus, for speed-ups.
const BenchRow* OneThreadRow(const std::vector<BenchRow>& rows, const BenchRow& row) {
  for (const BenchRow& other : rows) {
    if (other.corpus == row.corpus && other.threads == 1) return &other;
  }
  return nullptr;
}

BenchRow RunOnce(const std::string& corpus, const std::vector<std::string>& inputs, int threads,
                 const PipelineConfig& base, const fs::path& output_dir) {
  PipelineConfig config = base;
  config.threads = threads;
  config.quiet = true;
  BenchRow row;
  row.corpus = corpus;
  row.threads = threads;
  ReleaseFreedMemory();  // what the previous run freed: else this run starts from its fragments
  row.rss_per_run = ResetPeakRss();
  row.start_rss_bytes = StatusBytes("VmRSS");
  const auto start = std::chrono::steady_clock::now();
  row.report = RunAndWrite(config, inputs, output_dir.string());
  row.report.total_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  row.peak_rss_bytes = row.rss_per_run ? StatusBytes("VmHWM") : PeakRssBytes();
  if (row.peak_rss_bytes == 0) {
    row.peak_rss_bytes = PeakRssBytes();
    row.rss_per_run = false;
  }
  row.bytes = row.report.read_stats.bytes;
  row.documents = row.report.read;
  std::error_code error;
  fs::remove_all(output_dir, error);
  return row;
}

bool AnyRepeated(const std::vector<BenchRow>& rows) {
  return std::any_of(rows.begin(), rows.end(), [](const BenchRow& row) { return row.run_seconds.size() > 1; });
}

}  // namespace

double Speedup(const std::vector<BenchRow>& rows, const BenchRow& row) {
  const BenchRow* one = OneThreadRow(rows, row);
  if (one == nullptr || row.report.total_seconds <= 0) return 0;
  if (row.run_seconds.size() > 1 && one->run_seconds.size() == row.run_seconds.size()) {
    std::vector<double> ratios;
    for (std::size_t round = 0; round < row.run_seconds.size(); ++round) {
      if (row.run_seconds[round] > 0) ratios.push_back(one->run_seconds[round] / row.run_seconds[round]);
    }
    if (ratios.empty()) return 0;
    std::sort(ratios.begin(), ratios.end());
    const std::size_t middle = ratios.size() / 2;
    return ratios.size() % 2 == 1 ? ratios[middle] : (ratios[middle - 1] + ratios[middle]) / 2;
  }
  return one->report.total_seconds / row.report.total_seconds;
}

std::optional<std::uint64_t> ParseByteSize(std::string_view text) {
  std::uint64_t value = 0;
  std::size_t i = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
    if (value > (UINT64_MAX - 9) / 10) return std::nullopt;
    value = value * 10 + static_cast<std::uint64_t>(text[i] - '0');
  }
  if (i == 0) return std::nullopt;
  std::string_view unit = text.substr(i);
  if (!unit.empty() && (unit.back() == 'B' || unit.back() == 'b')) unit.remove_suffix(1);
  std::uint64_t scale = 1;
  if (unit.empty()) {
    scale = 1;
  } else if (unit == "K" || unit == "k") {
    scale = 1'000;
  } else if (unit == "M" || unit == "m") {
    scale = 1'000'000;
  } else if (unit == "G" || unit == "g") {
    scale = 1'000'000'000;
  } else if (unit == "T" || unit == "t") {
    scale = 1'000'000'000'000;
  } else {
    return std::nullopt;
  }
  if (value > UINT64_MAX / scale) return std::nullopt;
  return value * scale;
}

std::vector<BenchRow> RunBench(const BenchOptions& options, const PipelineConfig& config, std::ostream* log) {
  std::vector<int> threads = options.threads;
  if (threads.empty()) {
    PipelineConfig all = config;
    all.threads = 0;
    threads = {1};
    if (EffectiveThreads(all) > 1) threads.push_back(EffectiveThreads(all));
  }
  const fs::path work = options.work_dir.empty() ? fs::temp_directory_path() : fs::path(options.work_dir);
  std::error_code error;
  fs::create_directories(work, error);
  if (error) throw Error(work.string() + ": cannot create folder: " + error.message());
  const std::string tag = std::to_string(getpid());
  const fs::path output_dir = work / ("neardup_bench_out_" + tag);
  std::vector<BenchRow> rows;
  if (options.repeat < 1) throw Error("bench: repeat must be at least 1");
  auto run_all = [&](const std::string& corpus, const std::vector<std::string>& inputs, double generate_seconds) {
    std::vector<std::vector<BenchRow>> runs(threads.size());  // by thread count, in round order
    for (int round = 0; round < options.repeat; ++round) {
      for (std::size_t t = 0; t < threads.size(); ++t) {
        if (log != nullptr) {
          *log << "neardup bench: " << corpus << ", " << threads[t] << " thread(s)";
          if (options.repeat > 1) *log << ", run " << round + 1 << " of " << options.repeat;
          *log << "..." << std::flush;
        }
        BenchRow row = RunOnce(corpus, inputs, threads[t], config, output_dir);
        row.generate_seconds = generate_seconds;
        if (log != nullptr) *log << " " << row.report.total_seconds << " s\n";
        runs[t].push_back(std::move(row));
      }
    }
    for (std::vector<BenchRow>& of_threads : runs) {
      std::vector<double> seconds;
      for (const BenchRow& run : of_threads) seconds.push_back(run.report.total_seconds);
      // The median run (the lower of the two middle ones for an even count): a run that happened.
      std::vector<std::size_t> order(of_threads.size());
      for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
      std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return seconds[a] < seconds[b]; });
      BenchRow row = std::move(of_threads[order[(order.size() - 1) / 2]]);
      row.run_seconds = std::move(seconds);
      rows.push_back(std::move(row));
    }
  };
  if (!options.inputs.empty()) {
    std::string name;
    for (const std::string& input : options.inputs) name += (name.empty() ? "" : " ") + input;
    run_all(name, options.inputs, 0);
    return rows;
  }
  for (const std::uint64_t size : options.sizes) {
    const std::string corpus = std::string("synth-") + LanguageName(options.language) + " " + SizeName(size);
    const fs::path path = work / ("neardup_bench_" + tag + "_" + SizeName(size) + ".jsonl");
    SynthConfig synth;
    synth.seed = options.corpus_seed;
    synth.target_bytes = size;
    synth.language = options.language;
    if (log != nullptr) *log << "neardup bench: generating " << corpus << " in " << path.string() << "..." << std::flush;
    const auto start = std::chrono::steady_clock::now();
    WriteSynthCorpus(synth, path.string());
    SyncFile(path.string());
    const double generate_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (log != nullptr) *log << " " << generate_seconds << " s\n";
    try {
      run_all(corpus, {path.string()}, generate_seconds);
    } catch (...) {
      if (!options.keep_corpus) fs::remove(path, error);
      throw;
    }
    if (!options.keep_corpus) fs::remove(path, error);
  }
  return rows;
}

std::string BenchTable(const std::vector<BenchRow>& rows) {
  const std::vector<std::string> stages = StageNames(rows);
  std::ostringstream out;
  out.setf(std::ios::fixed);
  char cell[64];
  auto column = [&](const char* format, auto value) {
    std::snprintf(cell, sizeof(cell), format, value);
    out << cell;
  };
  column("%-22s", "corpus");
  column("%10s", "MB");
  column("%10s", "docs");
  column("%8s", "threads");
  column("%9s", "MB/s");
  column("%10s", "docs/s");
  column("%8s", "speedup");
  column("%9s", "total_s");
  const bool repeated = AnyRepeated(rows);
  if (repeated) {
    column("%5s", "runs");
    column("%8s", "min_s");
    column("%8s", "max_s");
  }
  for (const std::string& stage : stages) column(" %11s", (stage + "_s").c_str());
  column(" %11s", "peak_rss_MB");
  column("%10s", "bytes/doc");
  out << "\n";
  bool process_wide = false;
  for (const BenchRow& row : rows) {
    column("%-22s", row.corpus.substr(0, 22).c_str());
    column("%10.1f", Mb(row.bytes));
    column("%10llu", static_cast<unsigned long long>(row.documents));
    column("%8d", row.threads);
    column("%9.1f", MbPerSecond(row));
    column("%10.0f", row.report.total_seconds > 0 ? static_cast<double>(row.documents) / row.report.total_seconds : 0.0);
    column("%8.2f", Speedup(rows, row));
    column("%9.2f", row.report.total_seconds);
    if (repeated) {
      const std::vector<double>& seconds = row.run_seconds;
      column("%5zu", seconds.size());
      column("%8.2f", seconds.empty() ? row.report.total_seconds : *std::min_element(seconds.begin(), seconds.end()));
      column("%8.2f", seconds.empty() ? row.report.total_seconds : *std::max_element(seconds.begin(), seconds.end()));
    }
    for (const std::string& stage : stages) column(" %11.3f", StageSeconds(row.report, stage));
    column("%11.1f", Mb(row.peak_rss_bytes));
    out << (row.rss_per_run ? " " : "*");
    column("%10.0f", BytesPerDocument(row));
    out << "\n";
    process_wide = process_wide || !row.rss_per_run;
  }
  out << "MB = 10^6 bytes of input; speedup = one-thread time / this time; bytes/doc = (peak RSS - RSS at start) / docs.\n";
  if (repeated) {
    out << "runs > 1: the row is the run of median total time (its stages and memory); the thread counts "
           "alternate from run to run, and speedup is the median over runs of the one-thread time / this time.\n";
  }
  if (process_wide) out << "* process-wide peak (the per-run peak could not be reset)\n";
  if (std::any_of(rows.begin(), rows.end(), [](const BenchRow& row) { return row.report.spill_bytes > 0; })) {
    out << "Bounded-memory runs (--max-memory): documents, shingle sets and band keys are spilled to disk "
           "between passes.\n";
  }
  if (std::any_of(rows.begin(), rows.end(),
                  [](const BenchRow& row) { return row.generate_seconds > 0; })) {
    out << "Each generated corpus is fsynced before its runs, so that its write-back does not "
           "overlap them.\n";
  }
  return out.str();
}

std::string BenchJson(const std::vector<BenchRow>& rows) {
  std::string out = "{\"rows\": [";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const BenchRow& row = rows[i];
    out.append(i == 0 ? "\n  {" : ",\n  {");
    auto member = [&](const char* key, auto value, bool first = false) {
      if (!first) out.append(", ");
      AppendJsonString(&out, key);
      out.append(": ");
      AppendJsonNumber(&out, value);
    };
    AppendJsonString(&out, "corpus");
    out.append(": ");
    AppendJsonString(&out, row.corpus);
    member("bytes", row.bytes);
    member("documents", row.documents);
    member("threads", static_cast<std::uint64_t>(row.threads));
    member("seconds", row.report.total_seconds);
    member("mb_per_second", MbPerSecond(row));
    member("docs_per_second",
           row.report.total_seconds > 0 ? static_cast<double>(row.documents) / row.report.total_seconds : 0.0);
    member("speedup", Speedup(rows, row));
    member("runs", static_cast<std::uint64_t>(std::max<std::size_t>(1, row.run_seconds.size())));
    out.append(", \"run_seconds\": [");
    for (std::size_t run = 0; run < row.run_seconds.size(); ++run) {
      if (run > 0) out.append(", ");
      AppendJsonNumber(&out, row.run_seconds[run]);
    }
    out.append("]");
    member("generate_seconds", row.generate_seconds);
    member("peak_rss_bytes", row.peak_rss_bytes);
    member("start_rss_bytes", row.start_rss_bytes);
    out.append(", \"peak_rss_per_run\": ");
    out.append(row.rss_per_run ? "true" : "false");
    member("bytes_per_document", BytesPerDocument(row));
    member("kept", row.report.kept);
    member("duplicate", row.report.duplicate);
    member("rejected", row.report.rejected);
    member("candidate_pairs", row.report.candidate_pairs);
    member("spill_bytes", row.report.spill_bytes);
    out.append(", \"stages\": {");
    bool first = true;
    for (const std::string& stage : StageNames({row})) {
      member(stage.c_str(), StageSeconds(row.report, stage), first);
      first = false;
    }
    out.append("}}");
  }
  out.append("\n]}\n");
  return out;
}

}  // namespace neardup
