#include "neardup/write_outputs.h"

#include <tbb/parallel_invoke.h>
#include <tbb/parallel_pipeline.h>
#include <tbb/task_arena.h>

#include <algorithm>
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

namespace {

// Most documents (or representatives, for clusters.jsonl) per chunk of a streamed output file.
constexpr std::size_t kChunkItems = 1024;

// What the three JSONL builders share: the cluster number of each representative and, for
// clusters.jsonl, the members of each numbered cluster in input order.
struct ClusterLayout {
  std::vector<std::int64_t> number;
  std::vector<std::vector<std::uint32_t>> members;
};

ClusterLayout MakeLayout(const std::vector<Document>& docs, const ClusterResult& clusters,
                         bool with_members) {
  ClusterLayout layout;
  layout.number = ClusterNumbers(docs, clusters);
  if (!with_members) return layout;
  layout.members.resize(docs.size());
  for (const Document& doc : docs) {
    if (doc.rejected) continue;
    const std::uint32_t rep = clusters.representative[doc.ordinal];
    if (layout.number[rep] >= 0)
      layout.members[rep].push_back(static_cast<std::uint32_t>(doc.ordinal));
  }
  return layout;
}

void AppendDecisionLine(std::string* out, const std::vector<Document>& docs,
                        const ClusterResult& clusters, const ClusterLayout& layout,
                        const Document& doc) {
  out->append("{\"id\":");
  AppendId(out, doc);
  out->append(",\"source\":");
  AppendJsonString(out, doc.source.ToString());
  const std::uint32_t rep = clusters.representative[doc.ordinal];
  const std::uint32_t original = clusters.DuplicateOf(doc.ordinal);
  if (doc.rejected) {
    out->append(
        ",\"decision\":\"rejected\",\"cluster\":null,\"duplicate_of\":null,\"similarity\":null,"
        "\"reason\":");
    AppendJsonString(out, RejectReasonName(*doc.rejected));
    out->append(",\"detail\":");
    AppendJsonString(out, doc.reject_detail);
  } else {
    const bool kept = original == doc.ordinal;
    out->append(kept ? ",\"decision\":\"kept\"" : ",\"decision\":\"duplicate\"");
    out->append(",\"cluster\":");
    if (layout.number[rep] >= 0) {
      AppendJsonNumber(out, static_cast<std::uint64_t>(layout.number[rep]));
    } else {
      out->append("null");
    }
    out->append(",\"duplicate_of\":");
    if (kept) {
      out->append("null,\"similarity\":null");
    } else {
      AppendId(out, docs[original]);
      out->append(",\"similarity\":");
      AppendJsonSimilarity(out, clusters.similarity[doc.ordinal]);
    }
    out->append(",\"reason\":null,\"detail\":null");
  }
  out->append(",\"removed\":");
  AppendRemoved(out, doc);
  out->append("}\n");
}

void AppendClusterLine(std::string* out, const std::vector<Document>& docs,
                       const ClusterResult& clusters, const ClusterLayout& layout,
                       std::size_t rep) {
  const std::vector<std::uint32_t>& members = layout.members[rep];
  out->append("{\"cluster\":");
  AppendJsonNumber(out, static_cast<std::uint64_t>(layout.number[rep]));
  out->append(",\"representative\":");
  AppendId(out, docs[rep]);
  out->append(",\"docs\":[");
  double min_similarity = 1.0;
  for (std::size_t i = 0; i < members.size(); ++i) {
    if (i > 0) out->push_back(',');
    AppendId(out, docs[members[i]]);
    const std::uint32_t member = members[i];
    if (clusters.DuplicateOf(member) != member)
      min_similarity = std::min(min_similarity, clusters.similarity[member]);
  }
  out->append("],\"kept\":[");
  bool first_kept = true;
  for (std::uint32_t member : members) {
    if (clusters.DuplicateOf(member) != member) continue;
    if (!first_kept) out->push_back(',');
    first_kept = false;
    AppendId(out, docs[member]);
  }
  out->append("],\"min_similarity\":");
  AppendJsonSimilarity(out, min_similarity);
  auto terms = clusters.shared_terms.find(static_cast<std::uint32_t>(rep));
  if (terms != clusters.shared_terms.end()) {
    out->append(",\"shared_terms\":[");
    for (std::size_t i = 0; i < terms->second.size(); ++i) {
      if (i > 0) out->push_back(',');
      AppendJsonString(out, terms->second[i]);
    }
    out->push_back(']');
  }
  out->append("}\n");
}

void AppendCleanedLine(std::string* out, const Document& doc) {
  out->append("{\"id\":");
  AppendId(out, doc);
  out->append(",\"text\":");
  AppendJsonString(out, doc.text);
  out->append(doc.extra_fields);
  out->append("}\n");
}

// The lines of items [begin, end) of each output file (documents; representatives for clusters).
void DecisionLines(const std::vector<Document>& docs, const ClusterResult& clusters,
                   const ClusterLayout& layout, std::size_t begin, std::size_t end,
                   std::string* out) {
  for (std::size_t i = begin; i < end; ++i)
    AppendDecisionLine(out, docs, clusters, layout, docs[i]);
}

void ClusterLines(const std::vector<Document>& docs, const ClusterResult& clusters,
                  const ClusterLayout& layout, std::size_t begin, std::size_t end,
                  std::string* out) {
  for (std::size_t rep = begin; rep < end; ++rep) {
    if (layout.number[rep] >= 0) AppendClusterLine(out, docs, clusters, layout, rep);
  }
}

void CleanedLines(const std::vector<Document>& docs, const ClusterResult& clusters,
                  std::size_t begin, std::size_t end, std::string* out) {
  std::size_t bytes = 0;
  for (std::size_t i = begin; i < end; ++i) {
    if (IsKept(docs[i], clusters))
      bytes += docs[i].id.size() + docs[i].text.size() + docs[i].extra_fields.size() + 24;
  }
  out->reserve(out->size() + bytes);
  for (std::size_t i = begin; i < end; ++i) {
    if (IsKept(docs[i], clusters)) AppendCleanedLine(out, docs[i]);
  }
}

// Chunk boundaries for streaming: [bounds[k], bounds[k + 1]) is chunk k, of at most kChunkItems
// documents and, unless one document is larger, about kChunkTextBytes of text.
std::vector<std::size_t> ChunkBounds(const std::vector<Document>& docs) {
  constexpr std::size_t kChunkTextBytes = 4u << 20;
  std::vector<std::size_t> bounds = {0};
  std::size_t text_bytes = 0;
  for (std::size_t i = 0; i < docs.size(); ++i) {
    if (i - bounds.back() == kChunkItems || text_bytes >= kChunkTextBytes) {
      bounds.push_back(i);
      text_bytes = 0;
    }
    text_bytes += docs[i].text.size();
  }
  if (bounds.back() != docs.size()) bounds.push_back(docs.size());
  return bounds;
}

// Writes the lines of the items (documents, or representatives for clusters.jsonl) in the chunks
// of `bounds` to `file`, in order: chunks are built in parallel by `lines(begin, end, &text)` and
// written one at a time, in order, as they are ready, so building overlaps writing and memory
// holds a few chunks whatever the file size. A chunk's text goes into one of `slots` reused
// buffers, `slots` being the pipeline's token limit: chunk k + slots enters the pipeline only after
// chunk k left it (the last filter is serial in order, so the chunks in flight are consecutive and
// at most slots - 1 of them, all after k), so no two live chunks share a buffer.
template <typename Lines>
void StreamLines(const std::vector<std::size_t>& bounds, const Lines& lines, AtomicFile* file) {
  const auto concurrency = static_cast<std::size_t>(tbb::this_task_arena::max_concurrency());
  const std::size_t slots = std::min<std::size_t>(2 * concurrency + 2, 16);
  std::vector<std::string> buffers(slots);
  const std::size_t chunks = bounds.size() - 1;
  std::size_t next = 0;
  tbb::parallel_pipeline(
      slots,
      tbb::make_filter<void, std::size_t>(tbb::filter_mode::serial_in_order,
                                          [&](tbb::flow_control& control) -> std::size_t {
                                            if (next == chunks) control.stop();
                                            return next++;
                                          }) &
          tbb::make_filter<std::size_t, std::string*>(
              tbb::filter_mode::parallel,
              [&](std::size_t chunk) {
                std::string* text = &buffers[chunk % slots];
                text->clear();
                lines(bounds[chunk], bounds[chunk + 1], text);
                return text;
              }) &
          tbb::make_filter<std::string*, void>(tbb::filter_mode::serial_in_order,
                                               [&](std::string* text) { file->Write(*text); }));
}

}  // namespace

std::string DecisionsJsonl(const std::vector<Document>& docs, const ClusterResult& clusters) {
  std::string out;
  DecisionLines(docs, clusters, MakeLayout(docs, clusters, false), 0, docs.size(), &out);
  return out;
}

std::string ClustersJsonl(const std::vector<Document>& docs, const ClusterResult& clusters) {
  std::string out;
  ClusterLines(docs, clusters, MakeLayout(docs, clusters, true), 0, docs.size(), &out);
  return out;
}

std::string CleanedJsonl(const std::vector<Document>& docs, const ClusterResult& clusters) {
  std::string out;
  CleanedLines(docs, clusters, 0, docs.size(), &out);
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
  const ClusterLayout layout = MakeLayout(docs, clusters, true);
  const std::vector<std::size_t> bounds = ChunkBounds(docs);
  // The three files are streamed at once: their chunks share the arena's threads.
  tbb::parallel_invoke(
      [&] {
        StreamLines(
            bounds,
            [&](std::size_t begin, std::size_t end, std::string* out) {
              CleanedLines(docs, clusters, begin, end, out);
            },
            &cleaned);
      },
      [&] {
        StreamLines(
            bounds,
            [&](std::size_t begin, std::size_t end, std::string* out) {
              DecisionLines(docs, clusters, layout, begin, end, out);
            },
            &decisions);
      },
      [&] {
        StreamLines(
            bounds,
            [&](std::size_t begin, std::size_t end, std::string* out) {
              ClusterLines(docs, clusters, layout, begin, end, out);
            },
            &clusters_file);
      });
  report_file.Write(ReportJson(report, config));
  decisions.Commit();
  clusters_file.Commit();
  cleaned.Commit();
  report_file.Commit();
}

}  // namespace neardup
