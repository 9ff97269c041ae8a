#include "neardup/run_report.h"

#include <sys/resource.h>

#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "neardup/write_jsonl.h"

namespace neardup {

std::uint64_t PeakRssBytes() {
  struct rusage usage {};
  if (getrusage(RUSAGE_SELF, &usage) != 0) return 0;
  return static_cast<std::uint64_t>(usage.ru_maxrss) * 1024u;
}

void ReleaseFreedMemory() {
#ifdef __GLIBC__
  malloc_trim(0);
#endif
}

void FinishReportForWriting(RunReport* report, std::chrono::steady_clock::time_point run_start,
                            std::chrono::steady_clock::time_point write_start, std::uint64_t items) {
  const auto now = std::chrono::steady_clock::now();
  report->stages.push_back(StageMeasure{"write", std::chrono::duration<double>(now - write_start).count(), 0, items});
  report->total_seconds = std::chrono::duration<double>(now - run_start).count();
  report->peak_rss_bytes = PeakRssBytes();
}

StageTimer::StageTimer(RunReport* report, std::string name)
    : report_(report), start_(std::chrono::steady_clock::now()) {
  measure_.name = std::move(name);
}

StageTimer::~StageTimer() {
  measure_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  report_->stages.push_back(measure_);
}

namespace {

void Key(std::string* out, const char* key) {
  out->append("  ");
  AppendJsonString(out, key);
  out->append(": ");
}

void CountMap(std::string* out, const std::map<std::string, std::uint64_t>& counts) {
  out->push_back('{');
  bool first = true;
  for (const auto& [name, count] : counts) {
    if (!first) out->append(", ");
    first = false;
    AppendJsonString(out, name);
    out->append(": ");
    AppendJsonNumber(out, count);
  }
  out->push_back('}');
}

}  // namespace

std::string ReportJson(const RunReport& report, const PipelineConfig& config, bool with_timings) {
  std::string out = "{\n";
  auto number = [&](const char* key, std::uint64_t value) {
    Key(&out, key);
    AppendJsonNumber(&out, value);
    out.append(",\n");
  };
  Key(&out, "counts");
  out.append("{\"read\": ");
  AppendJsonNumber(&out, report.read);
  out.append(", \"kept\": ");
  AppendJsonNumber(&out, report.kept);
  out.append(", \"duplicate\": ");
  AppendJsonNumber(&out, report.duplicate);
  out.append(", \"rejected\": ");
  AppendJsonNumber(&out, report.rejected);
  out.append(", \"clusters\": ");
  AppendJsonNumber(&out, report.clusters);
  out.append(", \"checked\": ");
  out.append(report.read == report.kept + report.duplicate + report.rejected ? "true" : "false");
  out.append("},\n");
  Key(&out, "rejected_by_reason");
  CountMap(&out, report.rejected_by_reason);
  out.append(",\n");
  Key(&out, "removed_lines_by_reason");
  CountMap(&out, report.removed_lines_by_reason);
  out.append(",\n");
  Key(&out, "input");
  out.append("{\"paths\": [");
  for (std::size_t i = 0; i < report.inputs.size(); ++i) {
    if (i > 0) out.append(", ");
    AppendJsonString(&out, report.inputs[i]);
  }
  out.append("], \"text_field\": ");
  AppendJsonString(&out, config.read.text_field);
  out.append(", \"id_field\": ");
  AppendJsonString(&out, config.read.id_field);
  out.append(", \"files\": ");
  AppendJsonNumber(&out, report.read_stats.files);
  out.append(", \"skipped_files\": ");
  AppendJsonNumber(&out, report.read_stats.skipped_files);
  out.append(", \"bytes\": ");
  AppendJsonNumber(&out, report.read_stats.bytes);
  out.append(", \"blank_lines\": ");
  AppendJsonNumber(&out, report.read_stats.blank_lines);
  out.append(", \"utf8_repairs\": ");
  AppendJsonNumber(&out, report.read_stats.utf8_repairs);
  out.append("},\n");
  Key(&out, "parameters");
  out.append("{\"mode\": ");
  AppendJsonString(&out, config.mode == Mode::kStory ? "story" : "copy");
  out.append(", \"clean\": ");
  out.append(config.clean ? "true" : "false");
  out.append(", \"shingle\": ");
  AppendJsonString(&out, config.shingle == ShingleKind::kChar ? "char" : "word");
  out.append(", \"ngram\": ");
  AppendJsonNumber(&out, static_cast<std::uint64_t>(config.ngram));
  out.append(", \"sketch\": ");
  AppendJsonString(&out, config.mode == Mode::kStory ? "probminhash" : "one_permutation_densified");
  out.append(", \"num_perm\": ");
  AppendJsonNumber(&out, static_cast<std::uint64_t>(config.num_perm));
  out.append(", \"bands\": ");
  AppendJsonNumber(&out, static_cast<std::uint64_t>(report.lsh.bands));
  out.append(", \"rows\": ");
  AppendJsonNumber(&out, static_cast<std::uint64_t>(report.lsh.rows));
  out.append(", \"threshold\": ");
  AppendJsonNumber(&out, config.threshold);
  out.append(", \"lsh_false_positive_area\": ");
  AppendJsonSimilarity(&out, report.lsh.false_positive_area);
  out.append(", \"lsh_false_negative_area\": ");
  AppendJsonSimilarity(&out, report.lsh.false_negative_area);
  out.append(", \"seed\": ");
  AppendJsonNumber(&out, config.seed);
  out.append(", \"invalid_utf8\": ");
  AppendJsonString(&out, config.read.invalid_utf8 == InvalidUtf8Policy::kReject ? "reject" : "repair");
  out.append(", \"max_memory\": ");
  AppendJsonNumber(&out, config.max_memory);
  out.append("},\n");
  Key(&out, "pairs");
  out.append("{\"candidates\": ");
  AppendJsonNumber(&out, report.candidate_pairs);
  out.append(", \"verified\": ");
  AppendJsonNumber(&out, report.verified_pairs);
  out.append("}");
  if (with_timings) {
    out.append(",\n");
    Key(&out, "stages");
    out.append("[");
    bool first = true;
    for (const StageMeasure& stage : report.stages) {
      out.append(first ? "\n    " : ",\n    ");
      first = false;
      out.append("{\"stage\": ");
      AppendJsonString(&out, stage.name);
      out.append(", \"seconds\": ");
      AppendJsonNumber(&out, stage.seconds);
      out.append(", \"bytes\": ");
      AppendJsonNumber(&out, stage.bytes);
      out.append(", \"items\": ");
      AppendJsonNumber(&out, stage.items);
      out.append(", \"mb_per_s\": ");
      AppendJsonNumber(&out, stage.seconds > 0 ? static_cast<double>(stage.bytes) / 1e6 / stage.seconds : 0.0);
      out.append("}");
    }
    out.append("\n  ],\n");
    Key(&out, "total_seconds");
    AppendJsonNumber(&out, report.total_seconds);
    out.append(",\n");
    number("threads", static_cast<std::uint64_t>(report.threads));
    number("peak_rss_bytes", report.peak_rss_bytes);
    Key(&out, "spill_bytes");
    AppendJsonNumber(&out, report.spill_bytes);
  }
  out.append("\n}\n");
  return out;
}

}  // namespace neardup
