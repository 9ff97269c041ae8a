#pragma once
// The clean stage: strips page furniture from plain-text documents, line by line and block by
// block. The constructor is the first pass over the dump (which lines recur in unrelated documents,
// which blocks are teasers of other documents); Clean() is then called per document, from any
// thread (const, no shared mutable state). Clean() rewrites doc->text to the kept lines joined by
// "\n" and appends to doc->removed the removed line ranges (1-based lines of the original text;
// "\r\n", "\r" and "\n" end a line) with their reason. Blank lines are never reported; adjacent
// removed lines with the same reason (blank lines between them allowed) form one span, and blank
// lines inside a span are dropped too; a document with nothing removed keeps its text as is.
// Throws Error only if the embedded lexicon is malformed (and the builder below on misuse).
// Signals and reasons are listed below.
//
// The dump pass can also be fed in batches, so that the dump is never in memory at once:
// BoilerplateCleanerBuilder::Add() takes the documents in input order, batch after batch, and
// Finish() returns the cleaner; documents are then cleaned later, in any order. The result is the
// same as one BoilerplateCleaner over the concatenated batches (live documents are numbered in
// arrival order either way). CleanerMemory chooses what the builder and the cleaner keep:
//  kFast  everything (what the one-shot constructor does): per live document its line records
//         (key and facts of each non-blank line, 16 B a line), its sampled body shingles (8 B
//         each, plus 8 B a body line), its line keys, lead samples and signature; Finish() runs
//         the teaser search of every document and keeps the line records, marked with its
//         findings, so that Clean() neither classifies nor searches a seen text again.
//  kLean  only what the dump-level rules need: per live document its ordinal, text hash, 16-slot
//         signature (copy groups, and IsCopy in the teaser search), sorted lead samples (the
//         teaser search's lead index) and, until Finish() turns them into the repeated set, its
//         line keys. Clean() then scans the document it is given again (line facts and body
//         samples) and runs the teaser search for it: a few times slower per document. Documents
//         are identified by Document::ordinal, which must increase from one Add()ed document to
//         the next; Clean() of a document whose (ordinal, text) the builder saw gives exactly the
//         kFast result, and any other document gets no teaser lines (as an unseen text in kFast).
//         After Finish() it keeps per live document about 90 B, plus 12 B per lead sample in the
//         lead index (about 24-30 samples for a 100-word lead), and the repeated set.
// With a spill folder (the builder's third argument) the line keys and lead samples go to spill
// files instead of memory, 12 B each on disk, and Finish() sorts them a slice of top bits at a time;
// kLean's Finish() also sorts in slices without one once a dump has over 2^20 keys, so that its
// peak is a slice's sort buffers rather than the dump's (kFast, which holds the dump anyway, sorts
// in one go; the lead index and repeated set are the same either way).
// MemoryBytes() after adding a dump (batches of 1000): kFast 1.28 KB, kLean 0.60 KB a document on
// bench's generated 50 MB Arabic dump (3.5 KB of text a document), 0.89 KB and 0.46 KB on
// SaudiNewsNet articles (3.1 KB); kLean's Clean() then takes about 5 to 7 times as long. On bench's
// 1 GB dump, a kLean cleaner with a spill folder holds about 500 B a document after Finish().
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "neardup/document.h"

namespace neardup {

// Reasons written to RemovedSpan::reason. Line rules are tried in this order (first wins):
//  widget_marker   the whole line, or the start of a short line, is a comment/share/subscribe/
//                  tags/advert/"read also" label of data/boilerplate_markers.tsv (a one-word
//                  prefix, or a prefix starting a sentence, only before a colon). The lexicon's
//                  menu, "Source:" and app-promotion rows give navigation, source_label, promo.
//  navigation      a crumb trail: >= 2 spaced separators of one kind (> » › | / •) between
//                  segments of at most 4 words, no digits, no sentence punctuation
//  promo           a short non-sentence line that starts with a call to action and addresses the
//                  reader ("Try our ...", "جرب ... لدينا", "Découvrez notre ...")
//  repeated_line   the line (numbers ignored) recurs in >= max(min_repeat_docs,
//                  repeat_doc_fraction * documents) groups of the dump, a group being documents
//                  that share a MinHash band of their word 5-grams (copies count once). Never the
//                  title and lead (first 2 lines of >= 5 words), never a line ending in ':'.
//  timestamp       a short line made only of numbers and time words (boilerplate_time_words.tsv):
//                  "منذ 35 دقائق", "5 minutes ago", "il y a 3 heures", "12 mars 2024", "10:30"
//  source_label    then: a bare line of <= 3 words just before a timestamp, or a "- X" line of
//                  <= 4 words within the 2 lines after one
//  teaser_near_duplicate  then: a body line holding most of the lead of another document of the
//                  dump that is not its copy (sampled word 5-grams), in the document's tail, with
//                  furniture among the 4 lines above it; plus its title line just above
//  comment_block / related_block  last: a comments or related/most-read heading that is a whole
//                  line, not the title, and followed by lines of which >= 1/3 are furniture or
//                  short non-sentences, cuts everything from it to the end (reason of the latest
//                  heading); otherwise such a heading alone is a widget_marker.
// The first non-blank line (the title) is exempt from prefix markers, promo and bare labels.
struct CleanOptions {
  int min_repeat_docs = 3;              // repeated_line: fewest unrelated documents (safe on tiny dumps)
  double repeat_doc_fraction = 0.0005;  // repeated_line: and at least this fraction of the dump
  std::size_t max_short_words = 12;     // lines of at most this many words may be furniture labels
  bool teasers = true;                  // run the teaser_near_duplicate pass
  std::size_t teaser_lead_words = 100;  // a document's lead: its first this many words
};

// How much of the dump pass the builder and the cleaner keep (see the top of this file).
enum class CleanerMemory { kFast, kLean };

class BoilerplateCleaner {
 public:
  // `docs` need not outlive the cleaner: the constructor keeps only statistics. Rejected docs are
  // ignored. Uses the current TBB arena for the per-document scan. The same as a kFast
  // BoilerplateCleanerBuilder given `docs` in one Add().
  explicit BoilerplateCleaner(std::span<const Document> docs, const CleanOptions& options = {});
  ~BoilerplateCleaner();
  BoilerplateCleaner(const BoilerplateCleaner&) = delete;
  BoilerplateCleaner& operator=(const BoilerplateCleaner&) = delete;

  void Clean(Document* doc) const;

  // The repeated_line threshold in documents for this dump (for tests and the report).
  std::uint64_t repeat_threshold() const;
  // Approximate bytes the cleaner holds (its dump statistics), for a memory bound and the report.
  std::uint64_t MemoryBytes() const;

 private:
  friend class BoilerplateCleanerBuilder;
  struct Model;
  explicit BoilerplateCleaner(std::unique_ptr<Model> model);
  std::unique_ptr<Model> model_;
};

// The dump pass in batches (see the top of this file).
class BoilerplateCleanerBuilder {
 public:
  // With a `spill_dir`, the documents' line keys (about 8 bytes per line until Finish()) go to
  // spill files there instead of memory (spill_files.h); Finish() reads them back a slice at a
  // time. The cleaner is the same.
  explicit BoilerplateCleanerBuilder(const CleanOptions& options = {},
                                     CleanerMemory memory = CleanerMemory::kFast,
                                     const std::string& spill_dir = {});
  ~BoilerplateCleanerBuilder();
  BoilerplateCleanerBuilder(const BoilerplateCleanerBuilder&) = delete;
  BoilerplateCleanerBuilder& operator=(const BoilerplateCleanerBuilder&) = delete;

  // Adds the next documents of the dump, in input order; rejected docs are ignored. Scans in
  // parallel in the current TBB arena; `docs` need not outlive the call. Throws Error if the
  // builder is spent, or in kLean if an ordinal does not exceed the previous document's.
  void Add(std::span<const Document> docs);
  // Approximate bytes held so far (the per-document records, not the scan's per-thread buffers).
  std::uint64_t MemoryBytes() const;
  // The cleaner for the documents added (none: a cleaner of an empty dump). The builder is spent
  // afterwards (Add() and Finish() throw Error).
  std::unique_ptr<BoilerplateCleaner> Finish();

 private:
  friend class BoilerplateCleaner;
  struct State;
  std::unique_ptr<BoilerplateCleaner::Model> FinishModel();
  std::unique_ptr<State> state_;
};

}  // namespace neardup
