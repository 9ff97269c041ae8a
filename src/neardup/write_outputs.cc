#include "neardup/write_outputs.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_invoke.h>
#include <tbb/parallel_pipeline.h>
#include <tbb/parallel_reduce.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <map>
#include <string_view>
#include <utility>

#include "neardup/error.h"
#include "neardup/write_atomic.h"
#include "neardup/write_jsonl.h"

namespace neardup {

DocumentIds::DocumentIds(std::span<const Document> docs) {
  std::size_t bytes = 0;
  for (const Document& doc : docs) bytes += doc.id.size();
  bytes_.reserve(bytes);
  ends_.reserve(docs.size());
  flags_.reserve(docs.size());
  for (const Document& doc : docs) Add(doc);
}

void DocumentIds::Add(const Document& doc) {
  if (doc.ordinal != size()) {
    throw Error("internal error: document " + std::to_string(doc.ordinal) +
                " given to the id table out of order (expected " + std::to_string(size()) + ")");
  }
  bytes_.append(doc.id);
  ends_.push_back(bytes_.size());
  flags_.push_back(static_cast<std::uint8_t>((doc.rejected ? kRejected : 0) |
                                             (doc.id_is_number ? kNumber : 0)));
}

void DocumentIds::AppendId(std::string* out, std::size_t ordinal) const {
  const std::size_t begin = ordinal == 0 ? 0 : ends_[ordinal - 1];
  const std::string_view id(bytes_.data() + begin, ends_[ordinal] - begin);
  if ((flags_[ordinal] & kNumber) != 0) {
    out->append(id);
  } else {
    AppendJsonString(out, id);
  }
}

std::uint64_t DocumentIds::MemoryBytes() const {
  return bytes_.capacity() + ends_.capacity() * sizeof(std::uint64_t) + flags_.capacity();
}

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

namespace {

bool IsKept(const Document& doc, const ClusterResult& clusters) {
  return !doc.rejected && clusters.DuplicateOf(doc.ordinal) == doc.ordinal;
}

// Members per representative ordinal, counting accepted documents only (`rejected(i)` says
// whether document i was rejected).
template <typename Rejected>
std::vector<std::uint32_t> MemberCounts(std::size_t n, const Rejected& rejected, const ClusterResult& clusters) {
  std::vector<std::uint32_t> members(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    if (!rejected(i)) ++members[clusters.representative[i]];
  }
  return members;
}

std::vector<std::uint32_t> MemberCounts(const DocumentIds& ids, const ClusterResult& clusters) {
  return MemberCounts(ids.size(), [&](std::size_t i) { return ids.rejected(i); }, clusters);
}

template <typename Rejected>
void CountOutcomesOf(std::size_t n, const Rejected& rejected, const ClusterResult& clusters, RunReport* report) {
  report->read = n;
  report->kept = report->duplicate = report->rejected = report->clusters = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (rejected(i)) {
      ++report->rejected;
    } else if (clusters.DuplicateOf(i) == i) {
      ++report->kept;
    } else {
      ++report->duplicate;
    }
  }
  for (std::uint32_t members : MemberCounts(n, rejected, clusters)) report->clusters += members >= 2 ? 1 : 0;
  report->candidate_pairs = clusters.candidate_pairs;
  report->verified_pairs = clusters.verified_pairs;
}

// Counts by name, for the few names of reasons: a short list beats a map's string compares.
class CountsByName {
 public:
  void Add(std::string_view name, std::uint64_t count) {
    for (auto& [known, total] : counts_) {
      if (known == name) {
        total += count;
        return;
      }
    }
    counts_.emplace_back(std::string(name), count);
  }
  void AddTo(std::map<std::string, std::uint64_t>* out) const {
    for (const auto& [name, count] : counts_) (*out)[name] += count;
  }
  void Merge(const CountsByName& other) {
    for (const auto& [name, count] : other.counts_) Add(name, count);
  }

 private:
  std::vector<std::pair<std::string, std::uint64_t>> counts_;
};

struct DocumentCounts {
  CountsByName rejected_by_reason;
  CountsByName removed_lines_by_reason;
  void Add(const Document& doc) {
    if (doc.rejected) rejected_by_reason.Add(RejectReasonName(*doc.rejected), 1);
    for (const RemovedSpan& span : doc.removed) removed_lines_by_reason.Add(span.reason, span.content_lines);
  }
};

}  // namespace

void CountOutcomes(const DocumentIds& ids, const ClusterResult& clusters, RunReport* report) {
  CountOutcomesOf(ids.size(), [&](std::size_t i) { return ids.rejected(i); }, clusters, report);
}

void AddDocumentCounts(const Document& doc, RunReport* report) {
  if (doc.rejected) ++report->rejected_by_reason[RejectReasonName(*doc.rejected)];
  for (const RemovedSpan& span : doc.removed) {
    report->removed_lines_by_reason[span.reason] += span.content_lines;
  }
}

void CountDecisions(const std::vector<Document>& docs, const ClusterResult& clusters, RunReport* report) {
  // Sums over ranges of documents, in parallel in the current arena: the same at any thread count.
  const DocumentCounts counts = tbb::parallel_reduce(
      tbb::blocked_range<std::size_t>(0, docs.size()), DocumentCounts{},
      [&](const tbb::blocked_range<std::size_t>& range, DocumentCounts partial) {
        for (std::size_t i = range.begin(); i < range.end(); ++i) partial.Add(docs[i]);
        return partial;
      },
      [](DocumentCounts a, const DocumentCounts& b) {
        a.rejected_by_reason.Merge(b.rejected_by_reason);
        a.removed_lines_by_reason.Merge(b.removed_lines_by_reason);
        return a;
      });
  report->rejected_by_reason.clear();
  report->removed_lines_by_reason.clear();
  counts.rejected_by_reason.AddTo(&report->rejected_by_reason);
  counts.removed_lines_by_reason.AddTo(&report->removed_lines_by_reason);
  CountOutcomesOf(docs.size(), [&](std::size_t i) { return docs[i].rejected.has_value(); }, clusters, report);
}

namespace {

// Most documents (or representatives, for clusters.jsonl) per chunk of a streamed output file.
constexpr std::size_t kChunkItems = 1024;

// The clusters of two or more documents, numbered in representative order: the number of each
// representative ordinal (or -1), and the members of cluster k, in input order, at
// members[member_starts[k]] up to members[member_starts[k + 1]]. About 8 bytes per document.
struct ClusterNumbering {
  ClusterNumbering(const DocumentIds& ids, const ClusterResult& clusters) {
    const std::vector<std::uint32_t> counts = MemberCounts(ids, clusters);
    number.assign(ids.size(), -1);
    member_starts = {0};
    for (std::size_t rep = 0; rep < ids.size(); ++rep) {
      if (counts[rep] < 2) continue;
      number[rep] = static_cast<std::int32_t>(member_starts.size() - 1);
      member_starts.push_back(member_starts.back() + counts[rep]);
    }
    members.resize(member_starts.back());
    std::vector<std::uint32_t> next(member_starts.begin(), member_starts.end() - 1);
    for (std::size_t i = 0; i < ids.size(); ++i) {  // in input order: members come out sorted
      if (ids.rejected(i)) continue;
      const std::int32_t k = number[clusters.representative[i]];
      if (k >= 0) members[next[static_cast<std::size_t>(k)]++] = static_cast<std::uint32_t>(i);
    }
  }
  std::vector<std::int32_t> number;
  std::vector<std::uint32_t> member_starts;
  std::vector<std::uint32_t> members;
};

// What the line builders share.
struct Layout {
  const DocumentIds& ids;
  const ClusterResult& clusters;
  const ClusterNumbering& numbering;
};

void AppendDecisionLine(std::string* out, const Layout& layout, const Document& doc) {
  const ClusterResult& clusters = layout.clusters;
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
    if (layout.numbering.number[rep] >= 0) {
      AppendJsonNumber(out, static_cast<std::uint64_t>(layout.numbering.number[rep]));
    } else {
      out->append("null");
    }
    out->append(",\"duplicate_of\":");
    if (kept) {
      out->append("null,\"similarity\":null");
    } else {
      layout.ids.AppendId(out, original);
      out->append(",\"similarity\":");
      AppendJsonSimilarity(out, clusters.similarity[doc.ordinal]);
    }
    out->append(",\"reason\":null,\"detail\":null");
  }
  out->append(",\"removed\":");
  AppendRemoved(out, doc);
  out->append("}\n");
}

void AppendClusterLine(std::string* out, const Layout& layout, std::size_t rep) {
  const ClusterResult& clusters = layout.clusters;
  const auto number = static_cast<std::size_t>(layout.numbering.number[rep]);
  const std::span<const std::uint32_t> members(
      layout.numbering.members.data() + layout.numbering.member_starts[number],
      layout.numbering.member_starts[number + 1] - layout.numbering.member_starts[number]);
  out->append("{\"cluster\":");
  AppendJsonNumber(out, static_cast<std::uint64_t>(number));
  out->append(",\"representative\":");
  layout.ids.AppendId(out, rep);
  out->append(",\"docs\":[");
  double min_similarity = 1.0;
  for (std::size_t i = 0; i < members.size(); ++i) {
    if (i > 0) out->push_back(',');
    layout.ids.AppendId(out, members[i]);
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
    layout.ids.AppendId(out, member);
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
void DecisionLines(const Layout& layout, std::span<const Document> docs, std::size_t begin,
                   std::size_t end, std::string* out) {
  for (std::size_t i = begin; i < end; ++i) AppendDecisionLine(out, layout, docs[i]);
}

void ClusterLines(const Layout& layout, std::size_t begin, std::size_t end, std::string* out) {
  for (std::size_t rep = begin; rep < end; ++rep) {
    if (layout.numbering.number[rep] >= 0) AppendClusterLine(out, layout, rep);
  }
}

void CleanedLines(const ClusterResult& clusters, std::span<const Document> docs, std::size_t begin,
                  std::size_t end, std::string* out) {
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
std::vector<std::size_t> ChunkBounds(std::span<const Document> docs) {
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

void StreamAndReleaseDocuments(std::span<Document> docs,
                               const std::function<void(std::span<const Document>, std::string*)>& lines,
                               AtomicFile* file) {
  const std::vector<std::size_t> bounds = ChunkBounds(docs);
  StreamLines(
      bounds,
      [&](std::size_t begin, std::size_t end, std::string* out) {
        lines(docs.subspan(begin, end - begin), out);
        for (std::size_t i = begin; i < end; ++i) ReleaseDocument(&docs[i]);
      },
      file);
}

struct OutputWriter::State {
  State(const std::string& dir, const DocumentIds& ids, const ClusterResult& clusters)
      : decisions(Path(dir, "decisions.jsonl")),
        clusters_file(Path(dir, "clusters.jsonl")),
        cleaned(Path(dir, "cleaned.jsonl")),
        report(Path(dir, "report.json")),
        numbering(ids, clusters) {}
  static std::string Path(const std::string& dir, const char* name) {
    return (std::filesystem::path(dir) / name).string();
  }
  AtomicFile decisions, clusters_file, cleaned, report;
  ClusterNumbering numbering;
};

OutputWriter::OutputWriter(const std::string& dir, const DocumentIds& ids, const ClusterResult& clusters)
    : ids_(ids), clusters_(clusters) {
  RemoveStaleTemps(dir);
  state_ = std::make_unique<State>(dir, ids, clusters);
}

OutputWriter::~OutputWriter() = default;

void OutputWriter::WriteDocuments(std::span<const Document> docs) { Write(docs, {}); }

void OutputWriter::WriteAndReleaseDocuments(std::span<Document> docs) { Write(docs, docs); }

void OutputWriter::Write(std::span<const Document> docs, std::span<Document> release) {
  for (std::size_t i = 0; i < docs.size(); ++i) {
    if (docs[i].ordinal != written_ + i) {
      throw Error("internal error: document " + std::to_string(docs[i].ordinal) +
                  " written out of order (expected " + std::to_string(written_ + i) + ")");
    }
  }
  const Layout layout{ids_, clusters_, state_->numbering};
  const std::vector<std::size_t> bounds = ChunkBounds(docs);
  // Per chunk, how many of the two files still have to build its lines: the last one empties the
  // chunk's documents (when releasing).
  std::unique_ptr<std::atomic<int>[]> pending;
  if (!release.empty()) {
    pending = std::make_unique<std::atomic<int>[]>(bounds.size());
    for (std::size_t chunk = 0; chunk < bounds.size(); ++chunk) pending[chunk].store(2, std::memory_order_relaxed);
  }
  const auto built = [&](std::size_t begin, std::size_t end) {
    if (release.empty()) return;
    const auto chunk = static_cast<std::size_t>(std::lower_bound(bounds.begin(), bounds.end(), begin) - bounds.begin());
    if (pending[chunk].fetch_sub(1, std::memory_order_acq_rel) == 1) {
      for (std::size_t i = begin; i < end; ++i) ReleaseDocument(&release[i]);
    }
  };
  // The two files are streamed at once: their chunks share the arena's threads.
  tbb::parallel_invoke(
      [&] {
        StreamLines(
            bounds,
            [&](std::size_t begin, std::size_t end, std::string* out) {
              CleanedLines(clusters_, docs, begin, end, out);
              built(begin, end);
            },
            &state_->cleaned);
      },
      [&] {
        StreamLines(
            bounds,
            [&](std::size_t begin, std::size_t end, std::string* out) {
              DecisionLines(layout, docs, begin, end, out);
              built(begin, end);
            },
            &state_->decisions);
      });
  written_ += docs.size();
}

void OutputWriter::WriteClusters() {
  const Layout layout{ids_, clusters_, state_->numbering};
  std::vector<std::size_t> bounds;
  for (std::size_t rep = 0; rep < ids_.size(); rep += kChunkItems) bounds.push_back(rep);
  bounds.push_back(ids_.size());
  StreamLines(
      bounds,
      [&](std::size_t begin, std::size_t end, std::string* out) { ClusterLines(layout, begin, end, out); },
      &state_->clusters_file);
  clusters_written_ = true;
}

void OutputWriter::Commit(const RunReport& report, const PipelineConfig& config) {
  if (report.read != report.kept + report.duplicate + report.rejected || report.read != ids_.size() ||
      written_ != ids_.size() || !clusters_written_) {
    throw Error("internal error: documents not accounted for (read " + std::to_string(report.read) +
                ", kept + duplicate + rejected " +
                std::to_string(report.kept + report.duplicate + report.rejected) + ", written " +
                std::to_string(written_) + " of " + std::to_string(ids_.size()) + "); no output written");
  }
  state_->report.Write(ReportJson(report, config));
  state_->decisions.Commit();
  state_->clusters_file.Commit();
  state_->cleaned.Commit();
  state_->report.Commit();
}

namespace {

// WriteOutputs and WriteOutputsReleasing: `release` is `docs` itself or empty.
void WriteAll(const std::string& dir, const std::vector<Document>& docs, std::span<Document> release,
              const ClusterResult& clusters, const RunReport& report, const PipelineConfig& config,
              std::optional<std::chrono::steady_clock::time_point> run_start) {
  const auto write_start = std::chrono::steady_clock::now();
  const DocumentIds ids(docs);
  OutputWriter writer(dir, ids, clusters);
  // The three files are streamed at once: their chunks share the arena's threads.
  tbb::parallel_invoke(
      [&] {
        if (release.empty()) {
          writer.WriteDocuments(docs);
        } else {
          writer.WriteAndReleaseDocuments(release);
        }
      },
      [&] { writer.WriteClusters(); });
  if (!run_start) {
    writer.Commit(report, config);
    return;
  }
  RunReport final_report = report;
  FinishReportForWriting(&final_report, *run_start, write_start, docs.size());
  writer.Commit(final_report, config);
}

}  // namespace

void WriteOutputs(const std::string& dir, const std::vector<Document>& docs,
                  const ClusterResult& clusters, const RunReport& report,
                  const PipelineConfig& config,
                  std::optional<std::chrono::steady_clock::time_point> run_start) {
  WriteAll(dir, docs, {}, clusters, report, config, run_start);
}

void WriteOutputsReleasing(const std::string& dir, std::vector<Document>* docs,
                           const ClusterResult& clusters, const RunReport& report,
                           const PipelineConfig& config,
                           std::optional<std::chrono::steady_clock::time_point> run_start) {
  WriteAll(dir, *docs, *docs, clusters, report, config, run_start);
}

std::string DecisionsJsonl(const std::vector<Document>& docs, const ClusterResult& clusters) {
  const DocumentIds ids(docs);
  const ClusterNumbering numbering(ids, clusters);
  std::string out;
  DecisionLines(Layout{ids, clusters, numbering}, docs, 0, docs.size(), &out);
  return out;
}

std::string ClustersJsonl(const std::vector<Document>& docs, const ClusterResult& clusters) {
  const DocumentIds ids(docs);
  const ClusterNumbering numbering(ids, clusters);
  std::string out;
  ClusterLines(Layout{ids, clusters, numbering}, 0, docs.size(), &out);
  return out;
}

std::string CleanedJsonl(const std::vector<Document>& docs, const ClusterResult& clusters) {
  std::string out;
  CleanedLines(clusters, docs, 0, docs.size(), &out);
  return out;
}

}  // namespace neardup
