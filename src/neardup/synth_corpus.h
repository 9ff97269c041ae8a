#pragma once
// Seeded generator of news-like JSON Lines, for benchmarks (zstd datagen's model: for one
// SynthConfig the output bytes are always the same, on every machine). Text is drawn from
// Zipf-distributed Arabic or English vocabularies (common words plus root-and-pattern words),
// with entities, sentences, paragraphs and titles. Each site wraps its documents in its own
// boilerplate (menu, byline, share line, related-news block, footer). Some documents copy a recent
// story on another site with small edits; some re-report one in new words. Each line names its
// kind and origin, so a corpus is also its own gold. Memory stays bounded (a window of recent
// stories) at any size. Not thread-safe: one SynthCorpus per thread. Throws Error on bad config.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "neardup/document.h"

namespace neardup {

enum class SynthLanguage { kArabic, kEnglish, kMixed };  // kMixed: 80% Arabic stories
enum class SynthKind { kOriginal, kCopy, kRereport };

struct SynthConfig {
  std::uint64_t seed = 1;                     // same seed and sizes, same bytes
  std::uint64_t target_bytes = 10ull << 20;   // JSONL bytes; the line that reaches it is the last
  SynthLanguage language = SynthLanguage::kArabic;
  double copy_share = 0.15;      // documents that are near-duplicate copies of a recent story
  double rereport_share = 0.10;  // documents that re-report a recent story in other words
  int sites = 14;                // news sites, each with its own boilerplate
  double length_scale = 1.0;     // multiplies paragraphs per document (1.0: about 3.5 KB each)
};

struct SynthDocument {
  std::string id;     // "syn-00000042" (0-based ordinal)
  std::string title;
  std::string text;   // boilerplate lines and body paragraphs, "\n"-separated
  std::string lang;   // "ar" or "en"
  std::string site;
  std::string url;
  std::string date;   // YYYY-MM-DD
  SynthKind kind = SynthKind::kOriginal;
  std::string origin_id;  // id of the story's original document (its own id for originals)
};

class SynthCorpus {
 public:
  explicit SynthCorpus(const SynthConfig& config);
  ~SynthCorpus();
  SynthCorpus(const SynthCorpus&) = delete;
  SynthCorpus& operator=(const SynthCorpus&) = delete;

  // The next document; false once target_bytes of JSONL have been produced.
  bool Next(SynthDocument* doc);
  // The JSONL line of the last document, "\n" included; valid until the next Next().
  std::string_view line() const;
  std::uint64_t bytes() const;      // JSONL bytes produced so far
  std::uint64_t documents() const;  // documents produced so far

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Members: id, title, text, lang, source, url, date, synth_kind ("original"|"copy"|"rereport"),
// synth_of (origin id). Appends one line ending in "\n".
void AppendSynthJsonl(const SynthDocument& doc, std::string* out);

const char* SynthKindName(SynthKind kind);

// Writes a whole corpus to `path` (plain JSONL); returns the number of documents. Throws Error
// naming the file if it cannot be written.
std::uint64_t WriteSynthCorpus(const SynthConfig& config, const std::string& path);

// A whole corpus as Documents, as the read stage would make them from the JSONL (id, ordinal,
// source "<synth>:line", text, extra members), for benchmarks that start after reading.
std::vector<Document> SynthDocuments(const SynthConfig& config);

}  // namespace neardup
