#include "neardup/sketch_document.h"

#include "neardup/shingle.h"

namespace neardup {

using Clock = std::chrono::steady_clock;

LshParams CopyModeLsh(const PipelineConfig& config) {
  return config.bands > 0 && config.rows > 0 ? LshParams{config.bands, config.rows, 0, 0}
                                             : ChooseBandsRows(config.threshold, config.num_perm);
}

DocumentSketcher::DocumentSketcher(const PipelineConfig& config, const LshParams& lsh)
    : config_(config), lsh_(lsh), hasher_(config.num_perm, config.seed) {}

bool DocumentSketcher::Sketch(Document* doc, SketchWorker* worker, std::vector<std::uint64_t>* shingles,
                              std::span<std::uint64_t> keys) const {
  if (doc->rejected) return false;
  const auto t0 = Clock::now();
  const auto& tokens = worker->tokenizer.Tokenize(doc->text);
  const auto t1 = Clock::now();
  Shingles(tokens, config_.shingle, config_.ngram, shingles);
  const auto t2 = Clock::now();
  const bool sketched = !shingles->empty();
  if (!sketched) {
    doc->rejected = RejectReason::kEmpty;
    doc->reject_detail = "no word or number left after cleaning and normalization";
  } else {
    worker->signature.resize(static_cast<std::size_t>(config_.num_perm));
    hasher_.Sign(*shingles, worker->signature);
    BandKeys(worker->signature, lsh_, keys);
  }
  const auto t3 = Clock::now();
  worker->normalize += t1 - t0;
  worker->shingle += t2 - t1;
  worker->sketch += t3 - t2;
  return sketched;
}

bool DocumentSketcher::CleanAndSketch(const BoilerplateCleaner* cleaner, Document* doc, SketchWorker* worker,
                                      std::vector<std::uint64_t>* shingles, std::span<std::uint64_t> keys) const {
  if (cleaner != nullptr && !doc->rejected) {
    const auto start = Clock::now();
    cleaner->Clean(doc);
    worker->clean += Clock::now() - start;
  }
  return Sketch(doc, worker, shingles, keys);
}

}  // namespace neardup
