#include "neardup/pipeline_bounded.h"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_invoke.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>

#include "neardup/clean_boilerplate.h"
#include "neardup/cluster_verify.h"
#include "neardup/error.h"
#include "neardup/pipeline.h"
#include "neardup/pipeline_batches.h"
#include "neardup/read_inputs.h"
#include "neardup/shingle.h"
#include "neardup/sketch_document.h"
#include "neardup/spill_files.h"
#include "neardup/write_atomic.h"
#include "neardup/write_outputs.h"

namespace neardup {
namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::duration spent) { return std::chrono::duration<double>(spent).count(); }

// Batches in flight in each pass's pipeline: one being read, one processed, one written.
constexpr std::size_t kBatchesInFlight = 3;

// The smallest batch the run goes down to when the per-document state leaves little room.
constexpr std::size_t kMinBatchBytes = 256u << 10;

// Resident memory of the program itself before any document: code, ICU's data, TBB's threads.
constexpr std::uint64_t kBaselineBytes = 40u << 20;

// Bytes of memory per document outside the batches, besides its id and the cleaner statistics:
// id offsets and flags (9), shingle-set offset (8), eligibility (1), cluster result (16), cluster
// numbering (8), verified-edge offsets (16) and one band's keys and sort entries (24).
constexpr std::uint64_t kFixedBytesPerDocument = 82;

// Shingle sets on disk, one after another; their offsets stay in memory (8 bytes per document).
class ShingleSpill {
 public:
  explicit ShingleSpill(const std::string& dir) : file_(dir, "shingle sets") {}

  void Add(const std::vector<std::uint64_t>& set) {
    file_.Append(std::string_view(reinterpret_cast<const char*>(set.data()), set.size() * sizeof(set[0])));
    ends_.push_back(file_.size() / sizeof(std::uint64_t));
  }
  void Flush() { file_.Flush(); }
  void Read(std::size_t doc, std::vector<std::uint64_t>* set) const {
    const std::uint64_t begin = doc == 0 ? 0 : ends_[doc - 1];
    set->resize(ends_[doc] - begin);
    file_.ReadAt(begin * sizeof(std::uint64_t),
                 std::span(reinterpret_cast<char*>(set->data()), set->size() * sizeof(std::uint64_t)));
  }
  std::uint64_t bytes() const { return file_.size(); }

 private:
  SpillFile file_;
  std::vector<std::uint64_t> ends_;  // end of each document's set, in shingles
};

// LSH band keys on disk: each batch's keys written band-major, so that one band of every document
// is read back with one read per batch.
class BandKeySpill {
 public:
  BandKeySpill(const std::string& dir, int bands) : file_(dir, "band keys"), bands_(bands) {}

  // The keys of `count` documents, row-major (count x bands).
  void Add(std::span<const std::uint64_t> keys, std::size_t count) {
    blocks_.push_back({documents_, count, file_.size()});
    transposed_.resize(keys.size());
    for (std::size_t doc = 0; doc < count; ++doc) {
      for (int band = 0; band < bands_; ++band) {
        transposed_[static_cast<std::size_t>(band) * count + doc] = keys[doc * bands_ + band];
      }
    }
    file_.Append(std::string_view(reinterpret_cast<const char*>(transposed_.data()),
                                  transposed_.size() * sizeof(std::uint64_t)));
    documents_ += count;
  }
  void Flush() { file_.Flush(); }
  void Load(int band, std::vector<std::uint64_t>* keys) const {
    keys->resize(documents_);
    tbb::parallel_for(std::size_t{0}, blocks_.size(), [&](std::size_t b) {
      const Block& block = blocks_[b];
      const std::uint64_t offset = block.offset + static_cast<std::uint64_t>(band) * block.count * sizeof(std::uint64_t);
      file_.ReadAt(offset, std::span(reinterpret_cast<char*>(keys->data() + block.first),
                                     block.count * sizeof(std::uint64_t)));
    });
  }
  std::uint64_t bytes() const { return file_.size(); }

 private:
  struct Block {
    std::uint64_t first;   // ordinal of the batch's first document
    std::uint64_t count;   // documents in the batch
    std::uint64_t offset;  // of the batch's keys in the file
  };
  SpillFile file_;
  int bands_;
  std::vector<Block> blocks_;
  std::uint64_t documents_ = 0;
  std::vector<std::uint64_t> transposed_;
};

// A batch of pass 2 in flight.
struct SketchBatch {
  std::vector<Document> docs;
  std::vector<std::vector<std::uint64_t>> shingles;
  std::vector<std::uint64_t> keys;  // docs.size() x bands, row-major
  std::vector<std::uint8_t> eligible;
};

std::string FormatBytes(std::uint64_t bytes) {
  const double mib = static_cast<double>(bytes) / (1024.0 * 1024.0);
  char text[32];
  std::snprintf(text, sizeof(text), "%.0f MiB", std::max(1.0, mib));
  return text;
}

// Exact Jaccard of every candidate pair, reading the shingle sets back from disk. Candidates are
// sorted by their first document, so a thread reads each first document's set once per run of it.
std::vector<double> VerifyFromDisk(std::span<const CandidatePair> candidates, const ShingleSpill& sets) {
  std::vector<double> similarity(candidates.size(), 0.0);
  struct Buffers {
    std::vector<std::uint64_t> first, second;
  };
  tbb::enumerable_thread_specific<Buffers> buffers;
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, candidates.size(), 4096),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      Buffers& local = buffers.local();
                      std::uint64_t loaded = ~std::uint64_t{0};
                      for (std::size_t i = range.begin(); i != range.end(); ++i) {
                        const auto [a, b] = candidates[i];
                        if (a != loaded) {
                          sets.Read(a, &local.first);
                          loaded = a;
                        }
                        sets.Read(b, &local.second);
                        similarity[i] = ExactJaccard(local.first, local.second);
                      }
                    });
  return similarity;
}

}  // namespace

std::size_t BoundedBatchBytes(std::uint64_t max_memory) {
  return static_cast<std::size_t>(std::clamp<std::uint64_t>(max_memory / 32, 1u << 20, 64u << 20));
}

SpilledRead ReadAndSpill(const PipelineConfig& config, const std::vector<std::string>& inputs,
                         const std::string& spill_dir, Progress* progress) {
  SpilledRead result;
  result.documents = std::make_unique<DocumentSpill>(spill_dir, "documents as read");
  DocumentSpill& read_spill = *result.documents;
  std::size_t batch_bytes =
      config.batch_bytes > 0 ? static_cast<std::size_t>(config.batch_bytes) : BoundedBatchBytes(config.max_memory);
  std::unique_ptr<BoilerplateCleanerBuilder> builder;
  if (config.clean) {
    builder = std::make_unique<BoilerplateCleanerBuilder>(CleanOptions{}, CleanerMemory::kLean, spill_dir);
  }
  Clock::duration scan_time{};
  std::uint64_t& documents = result.documents_read;
  // The per-document state must leave room for the smallest batches of the later passes, which
  // hold up to kBatchesInFlight batches of documents with their shingle sets and cleaned copies
  // (about 3x the text each). Checked as pass 1 goes, so a bound that is too small fails early.
  const std::uint64_t minimum_batches = kBaselineBytes + 3 * kBatchesInFlight * kMinBatchBytes;
  const auto check_state = [&](std::uint64_t state_bytes, const char* when) {
    if (state_bytes + minimum_batches <= config.max_memory) return;
    throw Error("--max-memory " + FormatBytes(config.max_memory) + " is too small for " +
                std::to_string(documents) + " documents " + when + ": their per-document state needs about " +
                FormatBytes(state_bytes) + " and the program with its smallest batches " +
                FormatBytes(minimum_batches) + "; give at least " + FormatBytes(state_bytes + minimum_batches) +
                " (or more for the rest)");
  };
  std::uint64_t id_bytes = 0;  // the reader's id set: about what the writer's id table takes later
  {
    InputReader reader(inputs, config.read);
    if (progress != nullptr) progress->Stage("read", 0);
    const auto pass_start = Clock::now();
    std::vector<std::vector<Document>> slots(kBatchesInFlight);
    RunBatches(
        &slots, [&](std::vector<Document>* batch) { return reader.Next(batch_bytes, batch, progress); },
        [](std::vector<Document>*) {},
        [&](std::vector<Document>* batch) {
          const auto scan_start = Clock::now();
          if (builder) builder->Add(*batch);
          scan_time += Clock::now() - scan_start;
          read_spill.Write(*batch);
          documents += batch->size();
          check_state((builder ? builder->MemoryBytes() : 0) + reader.MemoryBytes() +
                          documents * kFixedBytesPerDocument + 2 * kBatchesInFlight * batch_bytes,
                      "read so far");
        });
    read_spill.Flush();
    result.stats = reader.stats();
    id_bytes = reader.MemoryBytes();
    result.read_seconds = Seconds(Clock::now() - pass_start - scan_time);  // the scan overlapped
  }
  ReleaseFreedMemory();  // pass 1's batches, before Finish() builds the lead index
  const auto finish_start = Clock::now();
  if (builder) result.cleaner = builder->Finish();
  builder.reset();
  ReleaseFreedMemory();
  result.clean_seconds = Seconds(scan_time + (Clock::now() - finish_start));
  result.state_bytes =
      (result.cleaner ? result.cleaner->MemoryBytes() : 0) + id_bytes + documents * kFixedBytesPerDocument;
  check_state(result.state_bytes, "in all");
  if (config.batch_bytes == 0) {  // the later passes' batches: what the state leaves
    batch_bytes = static_cast<std::size_t>(std::min<std::uint64_t>(
        batch_bytes, (config.max_memory - result.state_bytes - kBaselineBytes) / (3 * kBatchesInFlight)));
  }
  result.batch_bytes = batch_bytes;
  return result;
}

RunReport RunBoundedAndWrite(const PipelineConfig& config, const std::vector<std::string>& inputs,
                             const std::string& output_dir, Progress* progress) {
  if (config.mode == Mode::kStory) {
    throw Error("--max-memory applies to copy mode; story mode holds the dump in memory");
  }
  PrepareOutputDir(output_dir);
  const std::string spill_dir = config.spill_dir.empty() ? output_dir : config.spill_dir;
  const auto start = Clock::now();
  RunReport report;
  report.inputs = inputs;
  report.threads = EffectiveThreads(config);
  tbb::task_arena arena(report.threads);
  arena.execute([&] {
    // Pass 1: read, keep the cleaner's dump statistics, spill the documents as read.
    SpilledRead spilled = ReadAndSpill(config, inputs, spill_dir, progress);
    DocumentSpill& read_spill = *spilled.documents;
    const std::unique_ptr<BoilerplateCleaner>& cleaner = spilled.cleaner;
    const std::uint64_t documents = spilled.documents_read;
    const std::size_t batch_bytes = spilled.batch_bytes;
    report.read_stats = spilled.stats;
    report.stages.push_back(StageMeasure{"read", spilled.read_seconds, report.read_stats.bytes, documents});

    // Pass 2: clean, normalize, shingle, sketch; spill the cleaned documents, sets and keys.
    const LshParams lsh = CopyModeLsh(config);
    report.lsh = lsh;
    const DocumentSketcher sketcher(config, lsh);
    DocumentSpill clean_spill(spill_dir, "cleaned documents");
    ShingleSpill shingle_spill(spill_dir);
    BandKeySpill key_spill(spill_dir, lsh.bands);
    DocumentIds ids;
    std::vector<std::uint8_t> eligible;
    eligible.reserve(documents);
    std::uint64_t text_bytes = 0;
    tbb::enumerable_thread_specific<SketchWorker> workers;
    {
      if (progress != nullptr) progress->Stage("clean, normalize, shingle, sketch", documents);
      const auto pass_start = Clock::now();
      std::vector<SketchBatch> slots(kBatchesInFlight);
      const auto bands = static_cast<std::size_t>(lsh.bands);
      RunBatches(
          &slots, [&](SketchBatch* batch) { return read_spill.Read(batch_bytes, &batch->docs); },
          [&](SketchBatch* batch) {
            const std::size_t m = batch->docs.size();
            batch->shingles.resize(m);
            batch->keys.assign(m * bands, 0);
            batch->eligible.assign(m, 0);
            tbb::parallel_for(std::size_t{0}, m, [&](std::size_t i) {
              Document& doc = batch->docs[i];
              if (progress != nullptr) progress->Add(1, doc.text.size());
              const auto keys = std::span(batch->keys).subspan(i * bands, bands);
              batch->eligible[i] =
                  sketcher.CleanAndSketch(cleaner.get(), &doc, &workers.local(), &batch->shingles[i], keys) ? 1 : 0;
            });
          },
          [&](SketchBatch* batch) {
            for (std::size_t i = 0; i < batch->docs.size(); ++i) {
              const Document& doc = batch->docs[i];
              ids.Add(doc);
              AddDocumentCounts(doc, &report);
              text_bytes += doc.text.size();
              shingle_spill.Add(batch->shingles[i]);
              std::vector<std::uint64_t>().swap(batch->shingles[i]);
            }
            eligible.insert(eligible.end(), batch->eligible.begin(), batch->eligible.end());
            key_spill.Add(batch->keys, batch->docs.size());
            clean_spill.Write(batch->docs);
          });
      clean_spill.Flush();
      shingle_spill.Flush();
      key_spill.Flush();
      ReportSketchStages(workers, Seconds(Clock::now() - pass_start), cleaner != nullptr, spilled.clean_seconds,
                         report.read_stats.bytes, text_bytes, documents, &report);
    }
    spilled.cleaner.reset();
    ReleaseFreedMemory();

    // Pass 3: candidate pairs one band at a time; verification on the spilled shingle sets.
    if (progress != nullptr) progress->Stage("index and cluster", 0);
    std::vector<CandidatePair> candidates;
    {
      StageTimer timer(&report, "index");
      timer.set_items(documents);
      candidates = CandidatePairsByBand(lsh.bands, eligible, [&](int band, std::vector<std::uint64_t>* keys) {
        key_spill.Load(band, keys);
      });
    }
    ClusterResult clusters;
    {
      StageTimer timer(&report, "cluster");
      timer.set_items(candidates.size());
      const std::vector<double> similarity = VerifyFromDisk(candidates, shingle_spill);
      clusters = ClusterVerified(documents, candidates, similarity, config.threshold);
    }
    std::vector<CandidatePair>().swap(candidates);
    std::vector<std::uint8_t>().swap(eligible);

    // Pass 4: write, the cleaned documents read back in order.
    CountOutcomes(ids, clusters, &report);
    report.spill_bytes = read_spill.bytes() + clean_spill.bytes() + shingle_spill.bytes() + key_spill.bytes();
    if (progress != nullptr) progress->Stage("write", documents);
    const auto write_start = Clock::now();
    OutputWriter writer(output_dir, ids, clusters);
    std::vector<std::vector<Document>> slots(kBatchesInFlight);
    tbb::parallel_invoke([&] { writer.WriteClusters(); },
                         [&] {
                           RunBatches(
                               &slots,
                               [&](std::vector<Document>* batch) { return clean_spill.Read(batch_bytes, batch); },
                               [](std::vector<Document>*) {},
                               [&](std::vector<Document>* batch) { writer.WriteDocuments(*batch); });
                         });
    FinishReportForWriting(&report, start, write_start, documents);
    writer.Commit(report, config);
  });
  // report.json has the run up to writing itself; the caller gets the whole run, its commit included.
  report.total_seconds = Seconds(Clock::now() - start);
  report.peak_rss_bytes = PeakRssBytes();
  return report;
}

}  // namespace neardup
