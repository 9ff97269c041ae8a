#include "neardup/write_outputs.h"

#include <tbb/parallel_invoke.h>

#include <filesystem>

#include "neardup/error.h"
#include "neardup/write_atomic.h"
#include "neardup/write_jsonl.h"

namespace neardup {
namespace {

bool IsKept(const Document& doc, const ClusterResult& clusters) {
  return !doc.rejected && clusters.DuplicateOf(doc.ordinal) == doc.ordinal;
}

// Cluster number per representative ordinal (clusters of two or more), in representative order.
std::vector<std::int64_t> ClusterNumbers(const std::vector<Document>& docs, const ClusterResult& clusters) {
  std::vector<std::uint32_t> members(docs.size(), 0);
  for (const Document& doc : docs) {
    if (!doc.rejected) ++members[clusters.representative[doc.ordinal]];
  }
  std::vector<std::int64_t> number(docs.size(), -1);
  std::int64_t next = 0;
  for (std::size_t i = 0; i < docs.size(); ++i) {
    if (members[i] >= 2) number[i] = next++;
  }
  return number;
}

}  // namespace

void AppendId(std::string* out, const Document& doc) {
  if (doc.id_is_number) {
    out->append(doc.id);
  } else {
    AppendJsonString(out, doc.id);
  }
}

void AppendRemoved(std::string* out, const Document& doc) {
  out->push_back('[');
  for (std::size_t i = 0; i < doc.removed.size(); ++i) {
    if (i > 0) out->push_back(',');
    out->append("{\"first_line\":");
    AppendJsonNumber(out, std::uint64_t{doc.removed[i].first_line});
    out->append(",\"last_line\":");
    AppendJsonNumber(out, std::uint64_t{doc.removed[i].last_line});
    out->append(",\"reason\":");
    AppendJsonString(out, doc.removed[i].reason);
    out->push_back('}');
  }
  out->push_back(']');
}

void CountDecisions(const std::vector<Document>& docs, const ClusterResult& clusters, RunReport* report) {
  report->read = docs.size();
  report->kept = report->duplicate = report->rejected = 0;
  report->rejected_by_reason.clear();
  report->removed_lines_by_reason.clear();
  for (const Document& doc : docs) {
    if (doc.rejected) {
      ++report->rejected;
      ++report->rejected_by_reason[RejectReasonName(*doc.rejected)];
    } else if (IsKept(doc, clusters)) {
      ++report->kept;
    } else {
      ++report->duplicate;
    }
    for (const RemovedSpan& span : doc.removed) {
      report->removed_lines_by_reason[span.reason] += span.content_lines;
    }
  }
  const std::vector<std::int64_t> numbers = ClusterNumbers(docs, clusters);
  report->clusters = 0;
  for (std::int64_t number : numbers) report->clusters += number >= 0 ? 1 : 0;
  report->candidate_pairs = clusters.candidate_pairs;
  report->verified_pairs = clusters.verified_pairs;
}

std::string DecisionsJsonl(const std::vector<Document>& docs, const ClusterResult& clusters) {
  const std::vector<std::int64_t> numbers = ClusterNumbers(docs, clusters);
  std::string out;
  for (const Document& doc : docs) {
    out.append("{\"id\":");
    AppendId(&out, doc);
    out.append(",\"source\":");
    AppendJsonString(&out, doc.source.ToString());
    const std::uint32_t rep = clusters.representative[doc.ordinal];
    const std::uint32_t original = clusters.DuplicateOf(doc.ordinal);
    if (doc.rejected) {
      out.append(",\"decision\":\"rejected\",\"cluster\":null,\"duplicate_of\":null,\"similarity\":null,\"reason\":");
      AppendJsonString(&out, RejectReasonName(*doc.rejected));
      out.append(",\"detail\":");
      AppendJsonString(&out, doc.reject_detail);
    } else {
      const bool kept = original == doc.ordinal;
      out.append(kept ? ",\"decision\":\"kept\"" : ",\"decision\":\"duplicate\"");
      out.append(",\"cluster\":");
      if (numbers[rep] >= 0) {
        AppendJsonNumber(&out, static_cast<std::uint64_t>(numbers[rep]));
      } else {
        out.append("null");
      }
      out.append(",\"duplicate_of\":");
      if (kept) {
        out.append("null,\"similarity\":null");
      } else {
        AppendId(&out, docs[original]);
        out.append(",\"similarity\":");
        AppendJsonSimilarity(&out, clusters.similarity[doc.ordinal]);
      }
      out.append(",\"reason\":null,\"detail\":null");
    }
    out.append(",\"removed\":");
    AppendRemoved(&out, doc);
    out.append("}\n");
  }
  return out;
}

std::string ClustersJsonl(const std::vector<Document>& docs, const ClusterResult& clusters) {
  const std::vector<std::int64_t> numbers = ClusterNumbers(docs, clusters);
  std::vector<std::vector<std::uint32_t>> members(docs.size());
  for (const Document& doc : docs) {
    if (doc.rejected) continue;
    const std::uint32_t rep = clusters.representative[doc.ordinal];
    if (numbers[rep] >= 0) members[rep].push_back(static_cast<std::uint32_t>(doc.ordinal));
  }
  std::string out;
  for (std::size_t rep = 0; rep < docs.size(); ++rep) {
    if (numbers[rep] < 0) continue;
    out.append("{\"cluster\":");
    AppendJsonNumber(&out, static_cast<std::uint64_t>(numbers[rep]));
    out.append(",\"representative\":");
    AppendId(&out, docs[rep]);
    out.append(",\"docs\":[");
    double min_similarity = 1.0;
    for (std::size_t i = 0; i < members[rep].size(); ++i) {
      if (i > 0) out.push_back(',');
      AppendId(&out, docs[members[rep][i]]);
      const std::uint32_t member = members[rep][i];
      if (clusters.DuplicateOf(member) != member) min_similarity = std::min(min_similarity, clusters.similarity[member]);
    }
    out.append("],\"kept\":[");
    bool first_kept = true;
    for (std::uint32_t member : members[rep]) {
      if (clusters.DuplicateOf(member) != member) continue;
      if (!first_kept) out.push_back(',');
      first_kept = false;
      AppendId(&out, docs[member]);
    }
    out.append("],\"min_similarity\":");
    AppendJsonSimilarity(&out, min_similarity);
    auto terms = clusters.shared_terms.find(static_cast<std::uint32_t>(rep));
    if (terms != clusters.shared_terms.end()) {
      out.append(",\"shared_terms\":[");
      for (std::size_t i = 0; i < terms->second.size(); ++i) {
        if (i > 0) out.push_back(',');
        AppendJsonString(&out, terms->second[i]);
      }
      out.push_back(']');
    }
    out.append("}\n");
  }
  return out;
}

std::string CleanedJsonl(const std::vector<Document>& docs, const ClusterResult& clusters) {
  std::string out;
  for (const Document& doc : docs) {
    if (!IsKept(doc, clusters)) continue;
    out.append("{\"id\":");
    AppendId(&out, doc);
    out.append(",\"text\":");
    AppendJsonString(&out, doc.text);
    out.append(doc.extra_fields);
    out.append("}\n");
  }
  return out;
}

void WriteOutputs(const std::string& dir, const std::vector<Document>& docs,
                  const ClusterResult& clusters, const RunReport& report,
                  const PipelineConfig& config) {
  if (report.read != report.kept + report.duplicate + report.rejected || report.read != docs.size()) {
    throw Error("internal error: documents not accounted for (read " + std::to_string(report.read) +
                " != kept + duplicate + rejected); no output written");
  }
  namespace fs = std::filesystem;
  RemoveStaleTemps(dir);
  AtomicFile decisions((fs::path(dir) / "decisions.jsonl").string());
  AtomicFile clusters_file((fs::path(dir) / "clusters.jsonl").string());
  AtomicFile cleaned((fs::path(dir) / "cleaned.jsonl").string());
  AtomicFile report_file((fs::path(dir) / "report.json").string());
  std::string decisions_text, clusters_text, cleaned_text;
  tbb::parallel_invoke([&] { decisions_text = DecisionsJsonl(docs, clusters); },
                       [&] { clusters_text = ClustersJsonl(docs, clusters); },
                       [&] { cleaned_text = CleanedJsonl(docs, clusters); });
  decisions.Write(decisions_text);
  clusters_file.Write(clusters_text);
  cleaned.Write(cleaned_text);
  report_file.Write(ReportJson(report, config));
  decisions.Commit();
  clusters_file.Commit();
  cleaned.Commit();
  report_file.Commit();
}

}  // namespace neardup
