#pragma once
// RunReport: everything a run measured and decided, passed explicitly through the pipeline (no
// global state) and written as report.json. Counts satisfy read = kept + duplicate + rejected,
// which Run checks before any output replaces an old one. Built by the pipeline's own thread.
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "neardup/config.h"
#include "neardup/index_lsh.h"
#include "neardup/read_inputs.h"

namespace neardup {

struct StageMeasure {
  std::string name;
  double seconds = 0;
  std::uint64_t bytes = 0;  // bytes of text the stage processed
  std::uint64_t items = 0;  // documents (or pairs, for the cluster stage)
};

struct RunReport {
  std::uint64_t read = 0;
  std::uint64_t kept = 0;
  std::uint64_t duplicate = 0;
  std::uint64_t rejected = 0;
  std::uint64_t clusters = 0;  // clusters of two or more documents
  std::map<std::string, std::uint64_t> rejected_by_reason;
  std::map<std::string, std::uint64_t> removed_lines_by_reason;  // clean stage
  std::uint64_t candidate_pairs = 0;
  std::uint64_t verified_pairs = 0;
  ReadStats read_stats;
  std::vector<std::string> inputs;  // the input paths as given (for `neardup report`)
  LshParams lsh;
  std::vector<StageMeasure> stages;
  double total_seconds = 0;
  std::uint64_t peak_rss_bytes = 0;
  std::uint64_t spill_bytes = 0;  // bytes the bounded-memory run wrote to its spill files
  int threads = 0;
};

// Peak resident set size of this process so far (getrusage), in bytes.
std::uint64_t PeakRssBytes();

// Gives the memory the allocator holds free back to the system (glibc's malloc_trim; nothing
// elsewhere): between the passes of a bounded run, so that a pass's peak does not stay resident
// through the next, and between the runs of the bench harness, so that each run starts from a heap
// like a fresh process's.
void ReleaseFreedMemory();

// The last figures of report.json, set just before it is written (after the other outputs): the
// write stage so far (from `write_start`, `items` documents), the run's total time (from
// `run_start`) and its peak memory.
void FinishReportForWriting(RunReport* report, std::chrono::steady_clock::time_point run_start,
                            std::chrono::steady_clock::time_point write_start, std::uint64_t items);

// Times a stage and appends it to the report when it goes out of scope.
class StageTimer {
 public:
  StageTimer(RunReport* report, std::string name);
  StageTimer(const StageTimer&) = delete;
  StageTimer& operator=(const StageTimer&) = delete;
  ~StageTimer();
  void set_bytes(std::uint64_t bytes) { measure_.bytes = bytes; }
  void set_items(std::uint64_t items) { measure_.items = items; }

 private:
  RunReport* report_;
  StageMeasure measure_;
  std::chrono::steady_clock::time_point start_;
};

// report.json: counts, parameters, per-stage bytes and seconds, peak memory. When
// `with_timings` is false the machine-dependent figures are left out (used by tests).
std::string ReportJson(const RunReport& report, const PipelineConfig& config, bool with_timings = true);

}  // namespace neardup
