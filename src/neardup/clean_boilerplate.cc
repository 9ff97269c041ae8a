#include "neardup/clean_boilerplate.h"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_invoke.h>
#include <tbb/task_arena.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "neardup/clean_lexicon.h"
#include "neardup/error.h"
#include "neardup/hash.h"
#include "neardup/shingle.h"
#include "neardup/sketch_minhash.h"
#include "neardup/sort_hashes.h"
#include "neardup/spill_files.h"

namespace neardup {
namespace {

constexpr std::size_t kHugeDocumentBytes = 4u << 20;  // Clean() frees its buffers after larger ones
constexpr std::size_t kMaxShortBytes = 256;     // longer lines are never labels; keyed on raw bytes
constexpr int kGroupSlots = 16;                 // MinHash slots that group copies of one document
constexpr std::size_t kGroupRows = 2;           // slots per band
constexpr double kCopyJaccard = 0.5;            // a teaser's source is not a copy of its host
constexpr std::uint64_t kGroupSeed = 0x636c65616e677270ull;  // "cleangrp"
constexpr int kShingleWords = 5;
constexpr std::size_t kMaxScanBlockDocs = 64;   // documents a thread scans into one block
constexpr std::size_t kSamplingChunk = 4096;    // shingles of a line sampled at a time
constexpr std::uint64_t kTeaserSampling = 4;    // teaser pass keeps shingles with hash % 4 == 0
constexpr std::size_t kTeaserMinWords = 8;      // shorter lines are never teaser bodies
constexpr std::size_t kTeaserMinHits = 3;       // sampled shingles shared with the other lead
constexpr std::size_t kLabelWords = 4;          // "- Source" and crumb segments: at most 4 words
constexpr std::size_t kBareLabelWords = 3;      // a bare label before a timestamp: at most 3 words
// The title and the lead (the first kLeadLines lines of >= kLeadLineWords words) are never
// repeated_line: a story teased on many other pages keeps its own title and lead.
constexpr std::size_t kLeadLines = 2;
constexpr std::size_t kLeadLineWords = 5;

enum class Reason : std::uint8_t {
  kNone,
  kWidgetMarker,
  kNavigation,
  kSourceLabel,
  kPromo,
  kRepeatedLine,
  kTimestamp,
  kTeaser,
  kCommentBlock,
  kRelatedBlock,
};

const char* ReasonName(Reason reason) {
  switch (reason) {
    case Reason::kWidgetMarker: return "widget_marker";
    case Reason::kNavigation: return "navigation";
    case Reason::kSourceLabel: return "source_label";
    case Reason::kPromo: return "promo";
    case Reason::kRepeatedLine: return "repeated_line";
    case Reason::kTimestamp: return "timestamp";
    case Reason::kTeaser: return "teaser_near_duplicate";
    case Reason::kCommentBlock: return "comment_block";
    case Reason::kRelatedBlock: return "related_block";
    case Reason::kNone: break;
  }
  return "";
}

// One line of a text: [begin, end) without its terminator, and the trimmed content.
struct RawLine {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::string_view trimmed;
};

bool IsSpaceByte(unsigned char byte) { return byte == ' ' || byte == '\t' || byte == '\f' || byte == '\v'; }

std::string_view Trim(std::string_view text) {
  for (;;) {
    if (!text.empty() && IsSpaceByte(static_cast<unsigned char>(text.front()))) {
      text.remove_prefix(1);
    } else if (text.size() >= 2 && text[0] == '\xC2' && text[1] == '\xA0') {
      text.remove_prefix(2);
    } else {
      break;
    }
  }
  for (;;) {
    if (!text.empty() && IsSpaceByte(static_cast<unsigned char>(text.back()))) {
      text.remove_suffix(1);
    } else if (text.size() >= 2 && text[text.size() - 2] == '\xC2' && text.back() == '\xA0') {
      text.remove_suffix(2);
    } else {
      break;
    }
  }
  return text;
}

// The end of the line starting at `start`: the first '\n' or '\r' from there, or the text's end.
// Both are looked for at once, 16 bytes at a time with SSE2 (inline: most lines are short, and
// a call to memchr per line, plus a search of the whole text for '\r', cost more).
std::size_t LineStop(std::string_view text, std::size_t start) {
  std::size_t i = start;
#if defined(__SSE2__)
  const __m128i newline = _mm_set1_epi8('\n');
  const __m128i carriage_return = _mm_set1_epi8('\r');
  for (; i + 16 <= text.size(); i += 16) {
    const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + i));
    const auto stops = static_cast<unsigned>(_mm_movemask_epi8(
        _mm_or_si128(_mm_cmpeq_epi8(chunk, newline), _mm_cmpeq_epi8(chunk, carriage_return))));
    if (stops != 0) return i + static_cast<std::size_t>(__builtin_ctz(stops));
  }
#endif
  for (; i < text.size(); ++i) {
    if (text[i] == '\n' || text[i] == '\r') return i;
  }
  return text.size();
}

// The start of the line after the one ending at `stop` (its terminator: "\r\n", "\r" or "\n").
std::size_t NextLineStart(std::string_view text, std::size_t stop) {
  return stop + (stop + 1 < text.size() && text[stop] == '\r' && text[stop + 1] == '\n' ? 2 : 1);
}

// Splits `text` into lines ("\r\n", "\r", "\n" end a line); a final terminator opens no line.
void SplitLines(std::string_view text, std::vector<RawLine>* lines) {
  lines->clear();
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t stop = LineStop(text, start);
    lines->push_back({start, stop, Trim(text.substr(start, stop - start))});
    start = NextLineStart(text, stop);
  }
}

enum class Ending : std::uint8_t { kSentence, kColon, kOther };

// text.ends_with(suffix) as byte compares, which the compiler inlines for a literal suffix (the
// library's ends_with calls memcmp, and LineEnding tries several suffixes on every line).
bool EndsWith(std::string_view text, std::string_view suffix) {
  if (text.size() < suffix.size()) return false;
  const std::size_t offset = text.size() - suffix.size();
  for (std::size_t i = 0; i < suffix.size(); ++i) {
    if (text[offset + i] != suffix[i]) return false;
  }
  return true;
}

// How a trimmed line ends, looking through closing quotes and brackets.
Ending LineEnding(std::string_view line) {
  while (!line.empty()) {
    const auto last = static_cast<unsigned char>(line.back());
    if (last == '"' || last == '\'' || last == ')' || last == ']' || last == ' ') {
      line.remove_suffix(1);
      continue;
    }
    if (EndsWith(line, "\xE2\x80\x9D") || EndsWith(line, "\xE2\x80\x99") ||
        EndsWith(line, "\xC2\xBB")) {
      line.remove_suffix(EndsWith(line, "\xC2\xBB") ? 2 : 3);  // ” ’ »
      continue;
    }
    break;
  }
  if (line.empty()) return Ending::kOther;
  const char last = line.back();
  if (last == '.' || last == '!' || last == '?') return Ending::kSentence;
  if (last == ':') return Ending::kColon;
  if (EndsWith(line, "\xD8\x9F") || EndsWith(line, "\xDB\x94") || EndsWith(line, "\xE2\x80\xA6") ||
      EndsWith(line, "\xE3\x80\x82") || EndsWith(line, "\xEF\xBC\x81") ||
      EndsWith(line, "\xEF\xBC\x9F")) {
    return Ending::kSentence;  // ؟ ۔ … 。 ！ ？
  }
  if (EndsWith(line, "\xEF\xBC\x9A")) return Ending::kColon;  // ：
  return Ending::kOther;
}

// The repetition key of a line: its match-normalized words with numbers as "0" for short lines
// (so "Views: 1234" and "Views: 87" are one line), its raw bytes for long ones.
std::uint64_t LineKey(std::string_view trimmed, const MatchLine& normalized, std::string* scratch) {
  if (trimmed.size() > kMaxShortBytes || normalized.words.empty()) return Hash64Long(trimmed, kLineSeed);
  // normalized.text is the words joined by one space: the key text itself when no word is a number.
  if (std::find(normalized.numeric.begin(), normalized.numeric.end(), std::uint8_t{1}) ==
      normalized.numeric.end()) {
    return Hash64(normalized.text, kLineSeed) ^ 1;
  }
  scratch->clear();
  for (std::size_t i = 0; i < normalized.words.size(); ++i) {
    if (i > 0) scratch->push_back(' ');
    if (normalized.numeric[i]) {
      scratch->push_back('0');
    } else {
      scratch->append(normalized.words[i]);
    }
  }
  return Hash64(*scratch, kLineSeed) ^ 1;  // never equal to a raw-bytes key of the same text
}

// Facts of one non-blank line on its own (Clean()'s pass 1 before the dump-level rules), in 6
// bytes: the dump pass keeps them for every line of the dump.
struct LineFacts {
  // Normalized words, max_short_words + 1 for lines over kMaxShortBytes; at most kMaxFactWords
  // (the rules compare it with a few words only; is_short is exact).
  std::uint16_t words = 0;
  Ending ending = Ending::kOther;
  MarkerKind marker = MarkerKind::kNone;  // after the title and colon rules
  Reason reason = Reason::kNone;
  bool is_short : 1 = false;         // at most max_short_words words (and kMaxShortBytes bytes)
  bool has_digit : 1 = false;
  bool whole_line : 1 = false;       // the marker is a whole line (a heading)
  bool timestamp : 1 = false;
  bool repeat_eligible : 1 = false;  // may be a repeated_line: past the lead, not ending in ':'
  bool teaser_body : 1 = false;      // the dump pass found the line holds another document's lead
};
constexpr std::size_t kMaxFactWords = 0xFFFF;

// A non-blank line's repetition key and facts, as the dump pass keeps them for Clean(): 16 bytes.
struct LineRecord {
  std::uint64_t key = 0;
  LineFacts facts;
};
static_assert(sizeof(LineRecord) == 16);

// Frees a vector's memory (`*values = {}` would not: it assigns an empty initializer list).
template <typename T>
void Free(std::vector<T>* values) {
  std::vector<T>().swap(*values);
}

// A body line's entry in its document's body samples: its record index and how many of the
// samples that follow those of the line before are its own (8 bytes a line, not 4 per sample).
struct BodyLine {
  std::uint32_t record = 0;
  std::uint32_t samples = 0;
};

// One document's results of the dump pass's scan (ScanDocument), which kLean's Clean() repeats.
struct DocScan {
  std::uint64_t text_hash = 0;
  std::span<const LineRecord> lines;            // of the non-blank lines, in order
  std::span<const std::uint64_t> line_keys;     // unique
  std::span<const std::uint32_t> signature;     // kGroupSlots slots; none without a 5-gram
  std::span<const std::uint64_t> lead_samples;  // sampled shingles of the lead, unique
  std::span<const std::uint64_t> body_samples;  // by line, each line's unique
  std::span<const BodyLine> body_lines;         // the lines of body_samples, in record order
};

// The scans of consecutive documents, each appended after the previous one's in flat arrays: a
// run of documents costs one allocation per array, not several per document.
class ScanBlock {
 public:
  // Counts of one document's entries in each array.
  struct Counts {
    std::uint64_t text_hash = 0;
    std::uint32_t lines = 0;
    std::uint32_t line_keys = 0;
    std::uint32_t lead_samples = 0;
    std::uint32_t body_samples = 0;
    std::uint32_t body_lines = 0;
    bool signed_ = false;  // has kGroupSlots signature slots
  };

  // The arrays ScanDocument appends a document to, then closes it with EndDocument().
  std::vector<LineRecord> lines;
  std::vector<std::uint64_t> line_keys;
  std::vector<std::uint32_t> signatures;
  std::vector<std::uint64_t> lead_samples;
  std::vector<std::uint64_t> body_samples;
  std::vector<BodyLine> body_lines;

  // Closes the document whose entries were appended since the last EndDocument().
  void EndDocument(std::uint64_t text_hash) {
    Counts counts{text_hash,
                  static_cast<std::uint32_t>(lines.size() - totals_.lines),
                  static_cast<std::uint32_t>(line_keys.size() - totals_.line_keys),
                  static_cast<std::uint32_t>(lead_samples.size() - totals_.lead_samples),
                  static_cast<std::uint32_t>(body_samples.size() - totals_.body_samples),
                  static_cast<std::uint32_t>(body_lines.size() - totals_.body_lines),
                  signatures.size() > totals_signature_slots_};
    docs_.push_back(counts);
    totals_ = {0,
               static_cast<std::uint32_t>(lines.size()),
               static_cast<std::uint32_t>(line_keys.size()),
               static_cast<std::uint32_t>(lead_samples.size()),
               static_cast<std::uint32_t>(body_samples.size()),
               static_cast<std::uint32_t>(body_lines.size()),
               false};
    totals_signature_slots_ = signatures.size();
  }

  // The documents' scans in order: visit(const DocScan&) for each.
  template <typename Visit>
  void ForEachDocument(Visit visit) const {
    Counts at;
    std::size_t slots = 0;
    for (const Counts& counts : docs_) {
      DocScan scan;
      scan.text_hash = counts.text_hash;
      scan.lines = std::span(lines).subspan(at.lines, counts.lines);
      scan.line_keys = std::span(line_keys).subspan(at.line_keys, counts.line_keys);
      scan.lead_samples = std::span(lead_samples).subspan(at.lead_samples, counts.lead_samples);
      scan.body_samples = std::span(body_samples).subspan(at.body_samples, counts.body_samples);
      scan.body_lines = std::span(body_lines).subspan(at.body_lines, counts.body_lines);
      if (counts.signed_) {
        scan.signature = std::span(signatures).subspan(slots, kGroupSlots);
        slots += kGroupSlots;
      }
      visit(scan);
      at.lines += counts.lines;
      at.line_keys += counts.line_keys;
      at.lead_samples += counts.lead_samples;
      at.body_samples += counts.body_samples;
      at.body_lines += counts.body_lines;
    }
  }
  // The block's own records of `scan`, one of its documents (the scan views them read-only).
  std::span<LineRecord> LinesOf(const DocScan& scan) {
    return std::span(lines).subspan(static_cast<std::size_t>(scan.lines.data() - lines.data()),
                                    scan.lines.size());
  }
  // The scan of the only document (kLean's Clean() scans one document at a time).
  DocScan Only() const {
    DocScan only;
    ForEachDocument([&](const DocScan& scan) { only = scan; });
    return only;
  }

  void Clear() {
    lines.clear();
    line_keys.clear();
    signatures.clear();
    lead_samples.clear();
    body_samples.clear();
    body_lines.clear();
    docs_.clear();
    totals_ = {};
    totals_signature_slots_ = 0;
  }
  // A copy whose arrays hold exactly their elements: documents are scanned into a thread's warm
  // block (growing arrays anew would allocate each several times) and copied once the block is
  // done. Without `details`, lines and the body samples stay empty (their counts are kept).
  ScanBlock ExactCopy(bool details) const {
    ScanBlock copy;
    if (details) {
      copy.lines.assign(lines.begin(), lines.end());
      copy.body_samples.assign(body_samples.begin(), body_samples.end());
      copy.body_lines.assign(body_lines.begin(), body_lines.end());
    }
    copy.line_keys.assign(line_keys.begin(), line_keys.end());
    copy.signatures.assign(signatures.begin(), signatures.end());
    copy.lead_samples.assign(lead_samples.begin(), lead_samples.end());
    copy.docs_.assign(docs_.begin(), docs_.end());
    copy.totals_ = totals_;
    copy.totals_signature_slots_ = totals_signature_slots_;
    return copy;
  }
  // Frees all but lines and the body samples (kFast keeps them until Finish(); LiveDocs the rest).
  void KeepOnlyDetails() {
    Free(&line_keys);
    Free(&signatures);
    Free(&lead_samples);
    Free(&docs_);
  }
  // Frees all but lines (the records kFast's cleaner keeps).
  void KeepOnlyLines() {
    KeepOnlyDetails();
    Free(&body_samples);
    Free(&body_lines);
  }
  std::uint64_t MemoryBytes() const {
    return lines.capacity() * sizeof(LineRecord) + line_keys.capacity() * 8 +
           signatures.capacity() * 4 + lead_samples.capacity() * 8 +
           body_samples.capacity() * 8 + body_lines.capacity() * sizeof(BodyLine) +
           docs_.capacity() * sizeof(Counts);
  }

 private:
  std::vector<Counts> docs_;
  Counts totals_;  // entries of the closed documents
  std::size_t totals_signature_slots_ = 0;
};

// Removes repeats from runs of hash values without sorting them: the values are hashes and
// repeats rare, so a small open-addressing set on their low bits, made empty again by a new
// stamp, costs a few operations a value (a sort, a few compares each). A run of more than
// kMaxSetValues (a huge line) is sorted instead, so that the set stays small.
class RepeatFilter {
 public:
  // Removes the repeats of values[first, end).
  void UniqueTail(std::vector<std::uint64_t>* values, std::size_t first) {
    const auto end = Unique(values->data() + first, values->data() + values->size());
    values->resize(static_cast<std::size_t>(end - values->data()));
  }
  // Moves one of each value of [begin, end) to its start (in their order, unless sorted); returns
  // their end.
  std::uint64_t* Unique(std::uint64_t* begin, std::uint64_t* end) {
    if (static_cast<std::size_t>(end - begin) > kMaxSetValues) {
      std::sort(begin, end);
      return std::unique(begin, end);
    }
    Reset(static_cast<std::size_t>(end - begin));
    std::uint64_t* kept = begin;
    for (const std::uint64_t* value = begin; value != end; ++value) {
      if (Insert(*value)) *kept++ = *value;
    }
    return kept;
  }

 private:
  // Makes the set empty, with room for `count` values at a load of at most 1/2.
  void Reset(std::size_t count) {
    if (2 * count > keys_.size()) {
      const std::size_t size = std::bit_ceil(std::max<std::size_t>(64, 2 * count));
      keys_.assign(size, 0);
      stamps_.assign(size, 0);
      stamp_ = 0;
    }
    if (++stamp_ == 0) {  // the stamps wrapped around: clear them
      std::fill(stamps_.begin(), stamps_.end(), 0);
      stamp_ = 1;
    }
  }
  // Adds `value`; whether it was new.
  bool Insert(std::uint64_t value) {
    const std::size_t mask = keys_.size() - 1;
    for (std::size_t slot = value & mask;; slot = (slot + 1) & mask) {
      if (stamps_[slot] != stamp_) {
        stamps_[slot] = stamp_;
        keys_[slot] = value;
        return true;
      }
      if (keys_[slot] == value) return false;
    }
  }

  static constexpr std::size_t kMaxSetValues = 1 << 14;
  std::vector<std::uint64_t> keys_;
  std::vector<std::uint32_t> stamps_;  // keys_[i] is in the set when stamps_[i] == stamp_
  std::uint32_t stamp_ = 0;
};

// Buffers of one thread's document scans, kept warm from one document to the next.
struct ScanBuffers {
  MatchLine normalized;
  std::string scratch;
  std::vector<std::uint64_t> token_hashes;  // of the current line
  std::vector<std::uint64_t> shingles;      // of the document, repeats kept (MinHash ignores them)
  std::vector<std::uint64_t> ranked;        // a line's shingles, to find its lead ones by rank
  std::vector<std::uint64_t> line_leads;    // sampled lead shingles of a chunk of the current line
  std::vector<std::uint64_t> line_samples;  // sampled body shingles of the current line
  RepeatFilter repeats;
  ScanBlock block;  // the scans, appended document after document
};

// What kFast keeps of a live document's scan besides its LiveDocs entry, until Finish(): the line
// records (for the LineRecordStore) and the body samples (for the teaser pass), in the scan
// blocks the builder keeps.
struct DocDetail {
  std::span<LineRecord> lines;  // the teaser search marks its lines' teaser_body
  std::span<const std::uint64_t> body_samples;
  std::span<const BodyLine> body_lines;
};

// What the dump-level rules need of each live document, by live position (arrival order), in
// flat arrays: no allocation and no vector header per document. The line keys are needed only
// until the repeated set is made, the lead samples only until the lead index is.
class LiveDocs {
 public:
  LiveDocs() : lead_starts_{0}, key_starts_{0} {}

  std::uint32_t size() const { return static_cast<std::uint32_t>(text_hashes_.size()); }

  // Without keys and samples, only their counts are kept (they went to a spill).
  void Append(std::uint64_t ordinal, const DocScan& scan, bool with_keys_and_samples) {
    ordinals_.push_back(ordinal);
    text_hashes_.push_back(scan.text_hash);
    signed_.push_back(!scan.signature.empty());
    signatures_.resize(signatures_.size() + kGroupSlots);
    std::copy(scan.signature.begin(), scan.signature.end(), signatures_.end() - kGroupSlots);
    lead_starts_.push_back(lead_starts_.back() + scan.lead_samples.size());
    key_starts_.push_back(key_starts_.back() + scan.line_keys.size());
    if (!with_keys_and_samples) return;
    lead_samples_.insert(lead_samples_.end(), scan.lead_samples.begin(), scan.lead_samples.end());
    line_keys_.insert(line_keys_.end(), scan.line_keys.begin(), scan.line_keys.end());
  }

  std::uint64_t ordinal(std::uint32_t doc) const { return ordinals_[doc]; }
  std::uint64_t text_hash(std::uint32_t doc) const { return text_hashes_[doc]; }
  // kGroupSlots slots, or empty if the document has no word 5-gram.
  std::span<const std::uint32_t> signature(std::uint32_t doc) const {
    if (!signed_[doc]) return {};
    return {signatures_.data() + std::size_t{doc} * kGroupSlots, static_cast<std::size_t>(kGroupSlots)};
  }
  // Unique; empty after DropLeadSamples().
  std::span<const std::uint64_t> lead_samples(std::uint32_t doc) const {
    if (lead_samples_.empty()) return {};
    return {lead_samples_.data() + lead_starts_[doc], lead_starts_[doc + 1] - lead_starts_[doc]};
  }
  std::size_t lead_sample_count(std::uint32_t doc) const { return lead_starts_[doc + 1] - lead_starts_[doc]; }
  // Unique; empty after DropLineKeys().
  std::span<const std::uint64_t> line_keys(std::uint32_t doc) const {
    if (line_keys_.empty()) return {};
    return {line_keys_.data() + key_starts_[doc], key_starts_[doc + 1] - key_starts_[doc]};
  }

  // The live position of the document with this ordinal; ordinals must have been appended in
  // increasing order.
  std::optional<std::uint32_t> Find(std::uint64_t ordinal) const {
    const auto it = std::lower_bound(ordinals_.begin(), ordinals_.end(), ordinal);
    if (it == ordinals_.end() || *it != ordinal) return std::nullopt;
    return static_cast<std::uint32_t>(it - ordinals_.begin());
  }

  void DropLineKeys() {
    Free(&line_keys_);
    Free(&key_starts_);
  }
  void DropLeadSamples() { Free(&lead_samples_); }  // the counts stay
  void ShrinkToFit() {  // the arrays grew by doubling; a kept LiveDocs holds exactly its data
    for (auto* array : {&ordinals_, &text_hashes_, &lead_samples_, &lead_starts_, &line_keys_, &key_starts_}) {
      array->shrink_to_fit();
    }
    signed_.shrink_to_fit();
    signatures_.shrink_to_fit();
  }

  std::uint64_t MemoryBytes() const {
    return ordinals_.capacity() * 8 + text_hashes_.capacity() * 8 + signed_.capacity() / 8 +
           signatures_.capacity() * 4 + (lead_samples_.capacity() + lead_starts_.capacity()) * 8 +
           (line_keys_.capacity() + key_starts_.capacity()) * 8;
  }

 private:
  std::vector<std::uint64_t> ordinals_;
  std::vector<std::uint64_t> text_hashes_;
  std::vector<bool> signed_;
  std::vector<std::uint32_t> signatures_;  // kGroupSlots per document (zeros when unsigned)
  std::vector<std::uint64_t> lead_samples_;
  std::vector<std::uint64_t> lead_starts_;  // size() + 1 bounds into lead_samples_
  std::vector<std::uint64_t> line_keys_;
  std::vector<std::uint64_t> key_starts_;  // size() + 1 bounds into line_keys_
};

// The dump pass's records of the non-blank lines of each distinct text, by text hash (copies of
// one text have the same records: the first is indexed). The records stay in the scan blocks,
// in dump order, which Clean() mostly follows, and the index is open addressing on the hash's
// top bits, so a lookup costs about one cache miss rather than a node chain and a vector per text.
class LineRecordStore {
 public:
  LineRecordStore() = default;

  // Indexes the records of the live documents (details[i].lines of live document i), which are
  // in `blocks`; keeps the blocks' lines (and frees the rest of them).
  LineRecordStore(const std::vector<DocDetail>& details, const LiveDocs& live,
                  std::vector<ScanBlock> blocks)
      : blocks_(std::move(blocks)) {
    for (ScanBlock& block : blocks_) block.KeepOnlyLines();
    const int bits = std::bit_width(2 * details.size() + 1);  // load factor <= 1/2
    slots_.assign(std::size_t{1} << bits, Slot{});
    shift_ = 64 - bits;
    for (std::uint32_t i = 0; i < details.size(); ++i) {
      const std::uint64_t text_hash = live.text_hash(i);
      Slot& slot = slots_[SlotIndex(text_hash)];
      if (slot.first == nullptr) {
        slot = {text_hash, details[i].lines.data(),
                static_cast<std::uint32_t>(details[i].lines.size())};
      }
    }
  }

  // The records of the text with this hash, or nullopt if the dump pass did not see it.
  std::optional<std::span<const LineRecord>> Find(std::uint64_t text_hash) const {
    if (slots_.empty()) return std::nullopt;
    const Slot& slot = slots_[SlotIndex(text_hash)];
    if (slot.first == nullptr) return std::nullopt;
    return std::span<const LineRecord>(slot.first, slot.count);
  }

  std::uint64_t MemoryBytes() const {
    std::uint64_t bytes = slots_.capacity() * sizeof(Slot) + blocks_.capacity() * sizeof(ScanBlock);
    for (const ScanBlock& block : blocks_) bytes += block.MemoryBytes();
    return bytes;
  }

 private:
  struct Slot {
    std::uint64_t text_hash = 0;
    const LineRecord* first = nullptr;  // the text's records; null in a free slot
    std::uint32_t count = 0;
  };

  // The index of the slot holding `text_hash`, or of the free slot where it belongs (linear
  // probing from the hash's top bits; slots_ is never full).
  std::size_t SlotIndex(std::uint64_t text_hash) const {
    std::size_t i = text_hash >> shift_;
    while (slots_[i].first != nullptr && slots_[i].text_hash != text_hash) {
      i = (i + 1) & (slots_.size() - 1);
    }
    return i;
  }

  std::vector<ScanBlock> blocks_;
  std::vector<Slot> slots_;
  int shift_ = 64;
};

// Whether two documents are copies of each other (estimated Jaccard of their 5-grams).
bool IsCopy(std::span<const std::uint32_t> a, std::span<const std::uint32_t> b) {
  if (a.empty() || b.empty()) return false;
  return EstimateJaccard(a, b) >= kCopyJaccard;
}

class UnionFind {
 public:
  explicit UnionFind(std::size_t n) : parent_(n) {
    for (std::size_t i = 0; i < n; ++i) parent_[i] = static_cast<std::uint32_t>(i);
  }
  std::uint32_t Find(std::uint32_t x) {
    while (parent_[x] != x) {
      parent_[x] = parent_[parent_[x]];
      x = parent_[x];
    }
    return x;
  }
  void Union(std::uint32_t a, std::uint32_t b) {
    a = Find(a);
    b = Find(b);
    if (a != b) parent_[std::max(a, b)] = std::min(a, b);
  }

 private:
  std::vector<std::uint32_t> parent_;
};

bool IsDigitByte(char c) { return c >= '0' && c <= '9'; }

// Whether `text` holds one of the bytes of `set`. std::string_view::find_first_of calls memchr on
// `set` for every byte of `text`; these compares, inlined for a literal set, are several times
// faster on the short lines the rules test.
bool HasByteOf(std::string_view text, std::string_view set) {
  for (const char c : text) {
    for (const char member : set) {
      if (c == member) return true;
    }
  }
  return false;
}

// Whether fewer than two spaces of the line are followed by a byte that starts a crumb separator:
// then the line has fewer than two separators, found without trying each one at every space.
bool FewerThanTwoSeparatorStarts(std::string_view line) {
  std::size_t starts = 0;
  for (std::size_t i = 0; i + 1 < line.size(); ++i) {
    if (line[i] != ' ') continue;
    const char next = line[i + 1];
    starts += next == '>' || next == '<' || next == '|' || next == '/' || next == '\xC2' || next == '\xE2' ? 1 : 0;
    if (starts >= 2) return false;
  }
  return true;
}

// What a line of at most kMaxShortBytes bytes has among its bytes, for the rules of short lines.
struct ShortLineBytes {
  bool digit = false;                 // an ASCII digit
  bool paren_or_colon = false;        // '(', ')' or ':'
  bool two_separator_starts = false;  // !FewerThanTwoSeparatorStarts(line)
};

// The three facts in one pass over the line, 16 bytes at a time with SSE2: most short lines go
// through all three scans otherwise.
ShortLineBytes ScanShortLineBytes(std::string_view line) {
  ShortLineBytes bytes;
#if defined(__SSE2__)
  const std::size_t size = std::min(line.size(), kMaxShortBytes);
  const auto set = [](char byte) { return _mm_set1_epi8(byte); };
  __m128i digits = _mm_setzero_si128();
  __m128i parens = _mm_setzero_si128();
  // Separator starts counted per byte lane (a compare's 0xFF is -1): at most one a lane per
  // chunk, so at most kMaxShortBytes / 16 = 16 a lane, then summed once.
  __m128i lane_starts = _mm_setzero_si128();
  // The 16 bytes at `at`, and the 16 after its first (17 readable bytes).
  const auto scan_chunk = [&](const char* at) {
    const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(at));
    const __m128i next = _mm_loadu_si128(reinterpret_cast<const __m128i*>(at + 1));
    digits = _mm_or_si128(digits, _mm_and_si128(_mm_cmpgt_epi8(chunk, set('0' - 1)),
                                                _mm_cmplt_epi8(chunk, set('9' + 1))));
    parens = _mm_or_si128(parens, _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(chunk, set('(')),
                                                            _mm_cmpeq_epi8(chunk, set(')'))),
                                               _mm_cmpeq_epi8(chunk, set(':'))));
    const __m128i starts_separator = _mm_or_si128(
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(next, set('>')), _mm_cmpeq_epi8(next, set('<'))),
                     _mm_or_si128(_mm_cmpeq_epi8(next, set('|')), _mm_cmpeq_epi8(next, set('/')))),
        _mm_or_si128(_mm_cmpeq_epi8(next, set('\xC2')), _mm_cmpeq_epi8(next, set('\xE2'))));
    lane_starts = _mm_sub_epi8(lane_starts,
                               _mm_and_si128(_mm_cmpeq_epi8(chunk, set(' ')), starts_separator));
  };
  // The chunks whose 17 bytes are the line's in place; the last one from a copy padded with
  // zeros (no fact's byte).
  std::size_t i = 0;
  for (; i + 17 <= size; i += 16) scan_chunk(line.data() + i);
  if (i < size) {
    char tail[33] = {};
    std::memcpy(tail, line.data() + i, size - i);
    scan_chunk(tail);
  }
  const __m128i lane_sums = _mm_sad_epu8(lane_starts, _mm_setzero_si128());  // two 16-bit sums
  const auto separator_starts = static_cast<std::size_t>(_mm_cvtsi128_si32(lane_sums)) +
                                static_cast<std::size_t>(_mm_extract_epi16(lane_sums, 4));
  bytes.digit = _mm_movemask_epi8(digits) != 0;
  bytes.paren_or_colon = _mm_movemask_epi8(parens) != 0;
  bytes.two_separator_starts = separator_starts >= 2;
#else
  bytes.digit = std::any_of(line.begin(), line.end(), IsDigitByte);
  bytes.paren_or_colon = HasByteOf(line, "():");
  bytes.two_separator_starts = !FewerThanTwoSeparatorStarts(line);
#endif
  return bytes;
}

// Number of spaced crumb separators (" > ", " » ", " | ", ...) in a line; 0 if a segment between
// them has more than kLabelWords words or two kinds of separators are mixed, or if it has fewer
// than two separators (less is never a crumb trail).
std::size_t CrumbSeparators(std::string_view line) {
  if (FewerThanTwoSeparatorStarts(line)) return 0;
  static constexpr std::string_view kSeparators[] = {" > ", " >> ", " < ", " | ", " / ", " \xC2\xBB ",
                                                     " \xC2\xAB ", " \xE2\x80\xBA ", " \xE2\x80\xB9 ",
                                                     " \xE2\x80\xA2 "};
  std::size_t separators = 0;
  std::string_view kind;
  std::size_t segment_words = 0;
  bool in_word = false;
  std::size_t i = 0;
  while (i < line.size()) {
    bool matched = false;
    if (line[i] == ' ') {
      for (std::string_view separator : kSeparators) {
        if (line.substr(i, separator.size()) == separator) {
          if (separators > 0 && separator != kind) return 0;  // one kind of separator per trail
          kind = separator;
          ++separators;
          segment_words = 0;
          in_word = false;
          i += separator.size() - 1;  // the closing space starts the next segment
          matched = true;
          break;
        }
      }
    }
    if (matched) continue;
    if (line[i] == ' ') {
      in_word = false;
    } else if (!in_word) {
      in_word = true;
      if (++segment_words > kLabelWords) return 0;
    }
    ++i;
  }
  return separators;
}

// Whether a trimmed line starts with a dash or bullet followed by a space or a letter.
std::size_t DashPrefixBytes(std::string_view line) {
  if (line.starts_with("-") || line.starts_with("|") || line.starts_with("*")) return 1;
  if (line.starts_with("\xE2\x80\x93") || line.starts_with("\xE2\x80\x94") || line.starts_with("\xE2\x80\xA2")) {
    return 3;  // – — •
  }
  return 0;
}

// Slices of a set of `keys` hash keys that Finish sorts one at a time: 2^SliceBits of them, by
// the keys' top bits, of about 2^20 keys each (at most 64 slices).
int SliceBits(std::size_t keys) {
  return std::min(6, std::max(0, static_cast<int>(std::bit_width(keys >> 20))));
}
bool InSlice(std::uint64_t key, std::uint64_t slice, int slice_bits) {
  return slice_bits == 0 || key >> (64 - slice_bits) == slice;
}

// Hash keys of the live documents on disk until Finish() (a builder with a spill folder: the line
// keys, and the lead samples): 2^kSliceBits spill files by the keys' top bits, 12 bytes per
// (key, live position), so that Finish() reads one slice at a time and memory holds none before.
class SlicedSpill {
 public:
  static constexpr int kSliceBits = 5;

  SlicedSpill(const std::string& dir, const std::string& what) {
    // Small write buffers: there are 2^kSliceBits of them per spill.
    for (int slice = 0; slice < (1 << kSliceBits); ++slice) {
      files_.push_back(std::make_unique<SpillFile>(dir, what, std::size_t{256} << 10));
    }
  }

  void Add(std::uint32_t doc, std::span<const std::uint64_t> keys) {
    char record[12];
    std::memcpy(record + 8, &doc, 4);
    for (const std::uint64_t key : keys) {
      std::memcpy(record, &key, 8);
      files_[key >> (64 - kSliceBits)]->Append(std::string_view(record, sizeof(record)));
    }
  }

  // The (key, live position) pairs of one slice, in the order they were added.
  void ReadSlice(std::uint64_t slice, std::vector<std::pair<std::uint64_t, std::uint32_t>>* out) {
    SpillFile& file = *files_[slice];
    file.Flush();
    std::string bytes(file.size(), '\0');
    file.ReadAt(0, bytes);
    out->resize(bytes.size() / 12);
    for (std::size_t i = 0; i < out->size(); ++i) {
      std::memcpy(&(*out)[i].first, bytes.data() + 12 * i, 8);
      std::memcpy(&(*out)[i].second, bytes.data() + 12 * i + 8, 4);
    }
  }

 private:
  std::vector<std::unique_ptr<SpillFile>> files_;
};

// (shingle, document) pairs of the teaser pass.
using LeadEntry = HashIndex;

// The sampled lead shingles of all documents, sorted by shingle then document, searchable by
// shingle. Most body samples are in no lead: a bit per (top bits of a) lead sample, about 8 bits
// per sample, spares them the search; the others are searched only among the entries of equal
// top bits (about one), not in the whole index, where a binary search misses the caches at
// every step.
class LeadIndex {
 public:
  // From the lead samples in `live`, or in `spilled` when given; `sliced`: sort in slices.
  LeadIndex(const LiveDocs& live, SlicedSpill* spilled, bool sliced) {
    std::size_t entries = 0;
    for (std::uint32_t i = 0; i < live.size(); ++i) entries += live.lead_sample_count(i);
    if (spilled == nullptr && !sliced) {
      SortInMemory(live, entries);
    } else {
      SortInSlices(live, spilled, sliced, entries);
    }
    filter_bits_ = std::max(6, static_cast<int>(std::bit_width(samples_.size() * 8)));
    filter_.assign(std::size_t{1} << (filter_bits_ - 6), 0);
    for (const std::uint64_t sample : samples_) {
      const std::uint64_t slot = FilterSlot(sample);
      filter_[slot >> 6] |= std::uint64_t{1} << (slot & 63);
    }
    bucket_bits_ = filter_bits_ - 3;
    bucket_starts_.assign((std::size_t{1} << bucket_bits_) + 1, 0);
    for (const std::uint64_t sample : samples_) ++bucket_starts_[(sample >> (64 - bucket_bits_)) + 1];
    for (std::size_t b = 1; b < bucket_starts_.size(); ++b)
      bucket_starts_[b] += bucket_starts_[b - 1];
  }

  // The documents whose lead holds `sample`, ascending; empty if none.
  std::span<const std::uint32_t> Postings(std::uint64_t sample) const {
    const std::uint64_t slot = FilterSlot(sample);
    if ((filter_[slot >> 6] >> (slot & 63) & 1) == 0) return {};
    const std::uint64_t bucket = sample >> (64 - bucket_bits_);
    const auto range = std::equal_range(samples_.begin() + bucket_starts_[bucket],
                                        samples_.begin() + bucket_starts_[bucket + 1], sample);
    return {docs_.data() + (range.first - samples_.begin()), static_cast<std::size_t>(range.second - range.first)};
  }

  std::uint64_t MemoryBytes() const {
    return samples_.capacity() * 8 + docs_.capacity() * 4 + filter_.capacity() * 8 + bucket_starts_.capacity() * 4;
  }

 private:
  // The dump's (sample, document) pairs at once: distributed on their top bits straight from `live`
  // into samples_ and docs_, then each bucket (a few thousand pairs) distributed on the rest of the
  // bits in a per-thread buffer, sorted there and written back. The dump's pairs are in no other
  // array, where gathering them and sorting the gathered array (SortByHash) takes two more of their
  // size (at 1 GB, 5 million pairs: 170 MB less memory touched, half the time).
  void SortInMemory(const LiveDocs& live, std::size_t entries) {
    const int bits = std::max(1, static_cast<int>(std::bit_width(entries)) - 1);
    const int top_bits = std::min(bits, kTopRadixBits);
    const int low_bits = bits - top_bits;
    const auto top = [top_bits](std::uint64_t sample) { return sample >> (64 - top_bits); };
    const std::size_t buckets = std::size_t{1} << top_bits;
    std::vector<std::uint32_t> starts(buckets + 1, 0);
    for (std::uint32_t i = 0; i < live.size(); ++i) {
      for (const std::uint64_t sample : live.lead_samples(i)) ++starts[top(sample) + 1];
    }
    for (std::size_t b = 1; b <= buckets; ++b) starts[b] += starts[b - 1];
    samples_.resize(entries);
    docs_.resize(entries);
    {
      std::vector<std::uint32_t> next(starts.begin(), starts.end() - 1);
      for (std::uint32_t i = 0; i < live.size(); ++i) {
        for (const std::uint64_t sample : live.lead_samples(i)) {
          const std::uint32_t at = next[top(sample)]++;
          samples_[at] = sample;
          docs_[at] = i;
        }
      }
    }
    struct SortBuffer {
      std::vector<LeadEntry> pairs, sorted;
      std::vector<std::uint32_t> starts;
    };
    tbb::enumerable_thread_specific<SortBuffer> buffers;
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, buckets), [&](const tbb::blocked_range<std::size_t>& range) {
      SortBuffer& buffer = buffers.local();
      for (std::size_t b = range.begin(); b != range.end(); ++b) {
        const std::size_t begin = starts[b];
        const std::size_t size = starts[b + 1] - begin;
        buffer.pairs.resize(size);
        buffer.sorted.resize(size);
        for (std::size_t k = 0; k < size; ++k) buffer.pairs[k] = {samples_[begin + k], docs_[begin + k]};
        ScatterByHashBits(buffer.pairs, buffer.sorted, top_bits, low_bits, &buffer.starts);
        SortBuckets(buffer.sorted, buffer.starts, PairOrder::kHashThenIndex);
        for (std::size_t k = 0; k < size; ++k) {
          samples_[begin + k] = buffer.sorted[k].first;
          docs_[begin + k] = buffer.sorted[k].second;
        }
      }
    });
  }

  void SortInSlices(const LiveDocs& live, SlicedSpill* spilled, bool sliced, std::size_t entries) {
    samples_.reserve(entries);
    docs_.reserve(entries);
    // Sorted a slice of top bits at a time (the samples are hashes), so that the (sample,
    // document) pairs and their sort buffer, 32 bytes per entry, take a slice's worth of memory;
    // the index itself keeps 12 bytes per entry, samples and documents in two arrays.
    const int slice_bits = spilled != nullptr ? SlicedSpill::kSliceBits : sliced ? SliceBits(entries) : 0;
    std::vector<LeadEntry> slice_entries;
    if (slice_bits == 0) slice_entries.reserve(entries);
    for (std::uint64_t slice = 0; slice < (std::uint64_t{1} << slice_bits); ++slice) {
      if (spilled != nullptr) {
        spilled->ReadSlice(slice, &slice_entries);
      } else {
        slice_entries.clear();
        for (std::uint32_t i = 0; i < live.size(); ++i) {
          for (std::uint64_t sample : live.lead_samples(i)) {
            if (InSlice(sample, slice, slice_bits)) slice_entries.emplace_back(sample, i);
          }
        }
      }
      SortByHash(&slice_entries);
      for (const LeadEntry& entry : slice_entries) {
        samples_.push_back(entry.first);
        docs_.push_back(entry.second);
      }
    }
  }

  std::uint64_t FilterSlot(std::uint64_t sample) const { return sample >> (64 - filter_bits_); }

  std::vector<std::uint64_t> samples_;  // sorted
  std::vector<std::uint32_t> docs_;     // the live position of each sample's document
  int filter_bits_ = 6;
  std::vector<std::uint64_t> filter_;
  int bucket_bits_ = 3;
  std::vector<std::uint32_t> bucket_starts_;
};

// One thread's working memory of IsTeaserLine, kept warm from one line to the next.
struct TeaserBuffers {
  std::vector<std::span<const std::uint32_t>> postings;  // of the line's samples that some lead holds
  std::vector<std::uint32_t> candidates;             // documents, with repeats
};

// Whether a body line of document `a`, given by its sampled shingles (unique), holds
// most of the lead of another document b that is not its copy: b's lead holds s >=
// kTeaserMinHits of the line's samples and 2 s >= min(line samples, b's lead samples).
// Such a b is in the postings of at least one sample outside the kTeaserMinHits - 1 longest
// postings lists of the line, so candidates are drawn from the others only and looked up in the
// longest ones: a phrase that opens many documents of the dump (whose list grows with the dump)
// does not make the search quadratic.
bool IsTeaserLine(std::uint32_t a, std::span<const std::uint64_t> line, const LeadIndex& lead_index,
                  const LiveDocs& live, TeaserBuffers* buffers) {
  auto& postings = buffers->postings;
  postings.clear();
  for (const std::uint64_t sample : line) {
    const std::span<const std::uint32_t> found = lead_index.Postings(sample);
    if (!found.empty()) postings.push_back(found);
  }
  if (postings.size() < kTeaserMinHits) return false;
  constexpr std::size_t kSkipped = kTeaserMinHits - 1;
  std::partial_sort(postings.begin(), postings.begin() + kSkipped, postings.end(),
                    [](const auto& x, const auto& y) { return x.size() > y.size(); });
  auto& candidates = buffers->candidates;
  candidates.clear();
  for (std::size_t p = kSkipped; p < postings.size(); ++p) {
    for (const std::uint32_t doc : postings[p]) {
      if (doc != a) candidates.push_back(doc);
    }
  }
  std::sort(candidates.begin(), candidates.end());
  for (std::size_t h = 0; h < candidates.size();) {
    const std::uint32_t b = candidates[h];
    std::size_t shared = 0;
    for (; h < candidates.size() && candidates[h] == b; ++h) ++shared;
    for (std::size_t p = 0; p < kSkipped; ++p) {
      shared += std::binary_search(postings[p].begin(), postings[p].end(), b) ? 1 : 0;
    }
    const std::size_t smaller = std::min(line.size(), live.lead_sample_count(b));
    if (shared >= kTeaserMinHits && 2 * shared >= smaller && !IsCopy(live.signature(a), live.signature(b)))
      return true;
  }
  return false;
}

// Whether a line is, for Clean()'s teaser pass (pass 3), the article's own text whatever the
// teaser search finds for it: a long line without a reason. Line rules give a long line no
// reason, later passes none before pass 3 (labels and headers are short), so only repeated_line
// may; a teaser candidate that pass 3 takes gets the reason teaser_near_duplicate.
struct TailContent {
  std::span<const LineRecord> records;
  const HashKeyedTable<std::uint8_t>* repeated;

  bool operator()(std::uint32_t record) const {
    const LineRecord& line = records[record];
    return !line.facts.is_short && line.facts.reason == Reason::kNone &&
           !(line.facts.repeat_eligible && repeated->Find(line.key) != 0);
  }
};

// Appends to `teasers` the body lines (record indices) of live document `a` that are teasers
// (IsTeaserLine) and that pass 3 may take, from its body samples (`samples`, of the `lines` in
// record order). Pass 3 takes a teaser only in the document's tail, where no line of the article's
// own text follows it: the search goes from the last line up and stops at a line that is content
// (`content`) and not a teaser, above which pass 3 takes none (most documents end in furniture
// after their last paragraph, so it stops there). Teasers are appended bottom up.
void FindTeaserLines(std::uint32_t a, std::span<const std::uint64_t> samples,
                     std::span<const BodyLine> lines, const TailContent& content,
                     const LeadIndex& lead_index, const LiveDocs& live, TeaserBuffers* buffers,
                     std::vector<std::uint32_t>* teasers) {
  std::size_t end = samples.size();
  for (auto line = lines.rbegin(); line != lines.rend(); ++line) {
    const std::size_t begin = end - line->samples;
    if (IsTeaserLine(a, samples.subspan(begin, line->samples), lead_index, live, buffers)) {
      teasers->push_back(line->record);
    } else if (content(line->record)) {
      break;
    }
    end = begin;
  }
}

}  // namespace

namespace {

// Clean()'s working memory, one per thread, kept warm from one document to the next.
struct CleanBuffers {
  std::vector<RawLine> lines;
  std::vector<LineFacts> facts;
  std::vector<std::uint32_t> nonblank;  // indices of the non-blank lines
  std::vector<std::uint8_t> marks;      // teaser candidates, then dropped lines
  MatchLine normalized;
  std::string scratch;
  // kLean: the document's scan again, and its teaser search.
  ScanBuffers scan;
  TeaserBuffers teaser;
  std::vector<std::uint32_t> teaser_lines;
};

}  // namespace

struct BoilerplateCleaner::Model {
  CleanOptions options;
  CleanLexicon lexicon;
  std::uint64_t repeat_threshold = 0;
  HashKeyedTable<std::uint8_t> repeated;  // keys of repeated lines, as 1
  // kFast: the dump pass's records of the non-blank lines of each text, so that Clean() does not
  // normalize and classify them again (a document it did not see is classified afresh); their
  // teaser_body facts are the teaser search's.
  LineRecordStore line_records;
  MinHasher hasher{kGroupSlots, kGroupSeed};  // of the dump pass's scans, and kLean's in Clean()
  // kLean with teasers: what Clean() needs to run the teaser search of a document it scans again
  // (LiveDocs without line keys and lead samples, which the lead index holds).
  LiveDocs live;
  std::optional<LeadIndex> lead_index;
  // Per-thread scratch of Clean(), which is const and may run on any thread: each thread only
  // ever touches its own element.
  mutable tbb::enumerable_thread_specific<CleanBuffers> clean_buffers;
};

namespace {

// "10h30", "10h": digits, "h", optional digits (French and other clock notations).
bool IsClockWord(std::string_view word) {
  if (word.empty() || !IsDigitByte(word[0])) return false;  // most words: no search for 'h'
  const std::size_t h = word.find('h');
  if (h == 0 || h == std::string_view::npos) return false;
  const auto digits = [](std::string_view part) { return std::all_of(part.begin(), part.end(), IsDigitByte); };
  return digits(word.substr(0, h)) && digits(word.substr(h + 1));
}

// Whether a normalized short line is a timestamp or date (see the header).
bool IsTimestamp(const MatchLine& line, std::string_view raw, const CleanLexicon& lexicon) {
  if (line.words.empty() || line.words.size() > 10) return false;
  std::uint8_t seen = 0;
  std::size_t numbers = 0;
  for (std::size_t i = 0; i < line.words.size(); ++i) {
    if (line.numeric[i] || IsClockWord(line.words[i])) {
      ++numbers;
      continue;
    }
    const std::uint8_t bits = lexicon.TimeWord(line.words[i]);
    if (bits == 0) return false;
    seen |= bits;
  }
  if ((seen & kTimeUnit) && (seen & kTimeRelative)) return true;
  if ((seen & (kTimeMonth | kTimeWeekday)) && numbers > 0) return true;
  if ((seen & ~kTimeLabel) == 0 && numbers >= 2) {
    // Numbers joined by date or time separators: 12/03/2024, 2024-03-12, 10:30.
    const bool clock = raw.find(':') != std::string_view::npos;
    const bool date = numbers >= 3 && HasByteOf(raw, "/-.");
    return clock || date;
  }
  return false;
}

constexpr std::size_t kTeaserHeaderLines = 2;  // short lines above a teaser body that belong to it
constexpr std::size_t kTeaserContext = 4;  // non-blank lines above a teaser body searched for furniture

// Whether one of the kTeaserContext non-blank lines above nonblank[k] is furniture.
bool FurnitureAbove(const std::vector<std::uint32_t>& nonblank, std::size_t k,
                    const std::vector<LineFacts>& facts) {
  for (std::size_t up = 1; up <= kTeaserContext && up <= k; ++up) {
    const Reason reason = facts[nonblank[k - up]].reason;
    if (reason != Reason::kNone && reason != Reason::kTeaser) return true;
  }
  return false;
}

Reason MarkerReason(MarkerKind kind) {
  switch (kind) {
    case MarkerKind::kComments:
    case MarkerKind::kRelated:
    case MarkerKind::kWidget: return Reason::kWidgetMarker;
    case MarkerKind::kNavigation: return Reason::kNavigation;
    case MarkerKind::kSource: return Reason::kSourceLabel;
    case MarkerKind::kPromo: return Reason::kPromo;
    case MarkerKind::kNone: break;
  }
  return Reason::kNone;
}

// The repetition key and facts of a trimmed non-blank line; `normalized` is its MatchNormalize
// when it has at most kMaxShortBytes bytes (unused otherwise). `reason` is left to the rules of
// the line alone (marker, navigation, promo); Clean() adds repeated_line and timestamp.
std::uint64_t ClassifyLine(std::string_view trimmed, const MatchLine& normalized, bool is_title,
                           std::size_t lead_lines_seen, const CleanLexicon& lexicon,
                           std::size_t max_words, std::string* scratch, LineFacts* fact) {
  fact->ending = LineEnding(trimmed);
  std::uint64_t key = 0;
  MarkerMatch marker;
  ShortLineBytes line_bytes;  // of short lines
  if (trimmed.size() > kMaxShortBytes) {
    key = Hash64Long(trimmed, kLineSeed);
    fact->words = static_cast<std::uint16_t>(std::min(max_words + 1, kMaxFactWords));
  } else {
    key = LineKey(trimmed, normalized, scratch);
    fact->words = static_cast<std::uint16_t>(std::min(normalized.words.size(), kMaxFactWords));
    fact->is_short = normalized.words.size() <= max_words;
    line_bytes = ScanShortLineBytes(trimmed);
    fact->has_digit =
        line_bytes.digit || std::any_of(normalized.numeric.begin(), normalized.numeric.end(),
                                        [](std::uint8_t numeric) { return numeric != 0; });
  }
  if (fact->is_short) {
    marker = lexicon.Marker(normalized, max_words, scratch);
    if (marker.kind != MarkerKind::kNone && !marker.whole_line) {
      // A one-word prefix ("Source", "Tags"), or a prefix starting a sentence ("Read also the
      // report, ..."), only counts before a colon; the title never.
      const bool has_colon = trimmed.find(':') != std::string_view::npos ||
                             trimmed.find("\xEF\xBC\x9A") != std::string_view::npos;
      const bool sentence =
          fact->ending == Ending::kSentence && marker.kind != MarkerKind::kComments;
      if (is_title || ((marker.phrase_words < 2 || sentence) && !has_colon)) marker = {};
    }
    fact->timestamp = IsTimestamp(normalized, trimmed, lexicon);
  }
  fact->marker = marker.kind;
  fact->whole_line = marker.whole_line;
  if (marker.kind != MarkerKind::kNone) {
    fact->reason = MarkerReason(marker.kind);
  } else if (fact->is_short && !fact->has_digit && fact->ending == Ending::kOther &&
             !line_bytes.paren_or_colon && line_bytes.two_separator_starts &&
             CrumbSeparators(trimmed) >= 2) {
    fact->reason = Reason::kNavigation;
  } else if (fact->is_short && !is_title && fact->ending != Ending::kSentence &&
             lexicon.IsCallToAction(normalized)) {
    fact->reason = Reason::kPromo;
  }
  fact->repeat_eligible = fact->ending != Ending::kColon && lead_lines_seen >= kLeadLines;
  return key;
}

// The word hashes of `words` (at least kShingleWords) and the hashes of their word 5-grams, as
// WordShingles makes them (HashWords, HashWordGram), without allocating. The scan's 5-grams only
// meet each other (teaser samples, copy-group signatures), never the sketch stage's.
void HashLineShingles(std::span<const std::string_view> words, std::uint64_t* word_hashes,
                      std::uint64_t* shingles) {
  HashWords(words, kTokenSeed, word_hashes);
  for (std::size_t w = 0; w + kShingleWords <= words.size(); ++w) {
    shingles[w] = HashWordGram(word_hashes + w, kShingleWords);
  }
}

// The document's lines, their repetition keys, its word 5-gram MinHash signature and its teaser
// samples. A line's shingles are the 5-grams of its normalized words (HashLineShingles, without
// allocating); the lead/body split walks a line's shingles in sorted, repeat-free order, so only
// lines that reach into the lead need that order, and a body line only needs the set of its
// sampled shingles. The scan is appended to buffers->block as its next document.
void ScanDocument(const Document& doc, const MinHasher& hasher, const CleanLexicon& lexicon,
                  const CleanOptions& options, ScanBuffers* buffers) {
  ScanBlock& block = buffers->block;
  const std::size_t first_line = block.lines.size();
  const std::size_t first_key = block.line_keys.size();
  const std::size_t first_lead = block.lead_samples.size();
  MatchLine& normalized = buffers->normalized;
  std::vector<std::uint64_t>& token_hashes = buffers->token_hashes;
  // The document's shingles are shingles[0, shingle_count): the buffers only grow, so that no
  // line's hashes are first written as zeros.
  std::vector<std::uint64_t>& shingles = buffers->shingles;
  std::size_t shingle_count = 0;
  std::size_t word_position = 0;
  std::size_t lead_lines_seen = 0;   // lines of >= kLeadLineWords words so far
  std::size_t clean_lead_lines = 0;  // the same as Clean() counts them (long lines count as long)
  const std::string_view text = doc.text;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t stop = LineStop(text, start);
    const std::string_view trimmed = Trim(text.substr(start, stop - start));
    start = NextLineStart(text, stop);
    if (trimmed.empty()) continue;
    // ClassifyLine looks at the digit flags of short lines only.
    if (trimmed.size() <= kMaxShortBytes) {
      MatchNormalize(trimmed, &normalized);
    } else {
      MatchNormalizeWords(trimmed, &normalized);
    }
    LineRecord& record = block.lines.emplace_back();
    record.key =
        ClassifyLine(trimmed, normalized, block.lines.size() == first_line + 1, clean_lead_lines,
                     lexicon, options.max_short_words, &buffers->scratch, &record.facts);
    if (record.facts.words >= kLeadLineWords) ++clean_lead_lines;
    block.line_keys.push_back(record.key);
    const std::size_t words = normalized.words.size();
    if (words < static_cast<std::size_t>(kShingleWords)) {
      word_position += words;
      continue;
    }
    if (token_hashes.size() < words) token_hashes.resize(words);
    const std::size_t first_shingle = shingle_count;
    const std::size_t line_shingles = words - kShingleWords + 1;
    shingle_count += line_shingles;
    if (shingles.size() < shingle_count) shingles.resize(std::max(shingle_count, 2 * shingles.size()));
    HashLineShingles(normalized.words, token_hashes.data(), shingles.data() + first_shingle);
    if (options.teasers) {
      const bool in_lead = lead_lines_seen < kLeadLines;
      const std::span<const std::uint64_t> line(shingles.data() + first_shingle, line_shingles);
      const bool body = !in_lead && words >= kTeaserMinWords;
      // Shingles of rank < lead_rank in the line's sorted, repeat-free order are lead samples.
      const std::size_t lead_rank =
          word_position < options.teaser_lead_words ? options.teaser_lead_words - word_position : 0;
      std::uint64_t lead_max = 0;  // the largest lead shingle of the line, when it has some
      bool lead_all = false;       // every shingle of the line has a rank < lead_rank
      if (lead_rank >= line.size()) {
        lead_all = true;
      } else if (lead_rank > 0) {
        // The lead_rank-th smallest distinct shingle: repeats removed, then nth_element.
        std::vector<std::uint64_t>& ranked = buffers->ranked;
        ranked.assign(line.begin(), line.end());
        std::uint64_t* const first = ranked.data();
        std::uint64_t* const last = buffers->repeats.Unique(first, first + ranked.size());
        if (lead_rank >= static_cast<std::size_t>(last - first)) {
          lead_all = true;
        } else {
          std::nth_element(first, first + lead_rank - 1, last);
          lead_max = first[lead_rank - 1];
        }
      }
      // Each sampled shingle is a lead sample or, in a body line, a body sample. A quarter of the
      // shingles are sampled, at random: each is written to both buffers and counted where it
      // belongs, rather than branched on; a chunk of the line at a time, so that the buffers
      // need room for a chunk more than the samples (a huge line's shingles are many).
      std::vector<std::uint64_t>& leads = buffers->line_leads;
      std::vector<std::uint64_t>& samples = buffers->line_samples;
      if (leads.size() < kSamplingChunk) leads.resize(kSamplingChunk);
      std::size_t sample_count = 0;
      for (std::size_t first = 0; first < line.size(); first += kSamplingChunk) {
        const std::span<const std::uint64_t> chunk =
            line.subspan(first, std::min(kSamplingChunk, line.size() - first));
        if (samples.size() < sample_count + chunk.size())
          samples.resize(sample_count + chunk.size());
        std::size_t lead_count = 0;
        for (const std::uint64_t shingle : chunk) {
          const bool sampled = shingle % kTeaserSampling == 0;
          const bool lead = lead_all || (lead_rank > 0 && shingle <= lead_max);
          leads[lead_count] = shingle;
          samples[sample_count] = shingle;
          lead_count += static_cast<std::size_t>(sampled & lead);
          sample_count += static_cast<std::size_t>(sampled & !lead & body);
        }
        // Made unique with the document's.
        block.lead_samples.insert(block.lead_samples.end(), leads.begin(),
                                  leads.begin() + static_cast<std::ptrdiff_t>(lead_count));
      }
      const auto unique = static_cast<std::ptrdiff_t>(
          buffers->repeats.Unique(samples.data(), samples.data() + sample_count) - samples.data());
      if (unique > 0) {
        const auto record = static_cast<std::uint32_t>(block.lines.size() - first_line - 1);
        block.body_lines.push_back({record, static_cast<std::uint32_t>(unique)});
        block.body_samples.insert(block.body_samples.end(), samples.begin(), samples.begin() + unique);
      }
    }
    word_position += words;
    ++lead_lines_seen;
  }
  buffers->repeats.UniqueTail(&block.line_keys, first_key);
  buffers->repeats.UniqueTail(&block.lead_samples, first_lead);
  if (shingle_count > 0) {
    block.signatures.resize(block.signatures.size() + kGroupSlots);
    // A minimum per slot: repeats change nothing.
    hasher.Sign(std::span(shingles).first(shingle_count), std::span(block.signatures).last(kGroupSlots));
  }
  block.EndDocument(Hash64Long(text, kLineSeed));
}

}  // namespace

struct BoilerplateCleanerBuilder::State {
  CleanOptions options;
  CleanerMemory memory = CleanerMemory::kFast;
  bool spent = false;
  std::unique_ptr<BoilerplateCleaner::Model> model = std::make_unique<BoilerplateCleaner::Model>();
  tbb::enumerable_thread_specific<ScanBuffers> buffers;
  LiveDocs live;
  std::vector<DocDetail> details;  // kFast: by live position, into detail_blocks
  std::vector<ScanBlock> detail_blocks;
  std::uint64_t detail_bytes = 0;             // MemoryBytes() of detail_blocks
  std::optional<std::uint64_t> last_ordinal;  // of the last live document added
  // With a spill folder: the line keys and lead samples, on disk.
  std::unique_ptr<SlicedSpill> line_key_spill, lead_sample_spill;

  void ThrowIfSpent(const char* call) const {
    if (spent) throw Error(std::string("BoilerplateCleanerBuilder::") + call + " after Finish()");
  }
};

BoilerplateCleanerBuilder::BoilerplateCleanerBuilder(const CleanOptions& options, CleanerMemory memory,
                                                     const std::string& spill_dir)
    : state_(std::make_unique<State>()) {
  state_->options = options;
  state_->memory = memory;
  state_->model->options = options;
  if (!spill_dir.empty()) {
    state_->line_key_spill = std::make_unique<SlicedSpill>(spill_dir, "line keys of the clean stage");
    state_->lead_sample_spill = std::make_unique<SlicedSpill>(spill_dir, "lead samples of the clean stage");
  }
}

BoilerplateCleanerBuilder::~BoilerplateCleanerBuilder() = default;

void BoilerplateCleanerBuilder::Add(std::span<const Document> docs) {
  State& state = *state_;
  state.ThrowIfSpent("Add()");
  const bool details = state.memory == CleanerMemory::kFast;
  std::vector<std::uint32_t> live;  // indices into docs of the documents taken into account
  std::optional<std::uint64_t> last_ordinal = state.last_ordinal;
  for (std::size_t i = 0; i < docs.size(); ++i) {
    if (docs[i].rejected) continue;
    // kLean's Clean() finds a document's live position by its ordinal (kFast's by its text).
    if (!details && last_ordinal && docs[i].ordinal <= *last_ordinal) {
      throw Error("clean stage (lean memory): document \"" + docs[i].id + "\" has ordinal " +
                  std::to_string(docs[i].ordinal) + ", not after the previous document's " +
                  std::to_string(*last_ordinal) + ": documents must be added in input order");
    }
    last_ordinal = docs[i].ordinal;
    live.push_back(static_cast<std::uint32_t>(i));
  }
  const std::size_t n = live.size();
  if (n == 0) return;
  state.last_ordinal = last_ordinal;
  if (details && state.details.empty()) state.details.reserve(n);  // exact for a one-shot dump
  // Blocks of consecutive documents, scanned in parallel, a block at a time by one thread (into
  // its warm buffers, then copied once), then stored in order.
  const std::size_t threads =
      static_cast<std::size_t>(std::max(1, tbb::this_task_arena::max_concurrency()));
  const std::size_t block_docs = std::clamp<std::size_t>(n / (8 * threads), 1, kMaxScanBlockDocs);
  std::vector<ScanBlock> blocks((n + block_docs - 1) / block_docs);
  const CleanLexicon& lexicon = state.model->lexicon;
  const MinHasher& hasher = state.model->hasher;
  tbb::parallel_for(std::size_t{0}, blocks.size(), [&](std::size_t b) {
    ScanBuffers& local = state.buffers.local();
    local.block.Clear();
    for (std::size_t i = b * block_docs; i < std::min(n, (b + 1) * block_docs); ++i) {
      ScanDocument(docs[live[i]], hasher, lexicon, state.options, &local);
    }
    blocks[b] = local.block.ExactCopy(details);
  });
  std::size_t i = 0;  // live index of the next document
  for (ScanBlock& block : blocks) {
    block.ForEachDocument([&](const DocScan& scan) {
      const bool spill = state.line_key_spill != nullptr;
      if (spill) {
        state.line_key_spill->Add(state.live.size(), scan.line_keys);
        state.lead_sample_spill->Add(state.live.size(), scan.lead_samples);
      }
      state.live.Append(docs[live[i++]].ordinal, scan, /*with_keys_and_samples=*/!spill);
      if (details) state.details.push_back({block.LinesOf(scan), scan.body_samples, scan.body_lines});
    });
    if (details) {
      block.KeepOnlyDetails();
      state.detail_bytes += block.MemoryBytes();
      state.detail_blocks.push_back(std::move(block));  // moves keep the arrays the details view
    }
  }
}

std::uint64_t BoilerplateCleanerBuilder::MemoryBytes() const {
  const State& state = *state_;
  return state.live.MemoryBytes() + state.detail_bytes +
         state.details.capacity() * sizeof(DocDetail) +
         state.detail_blocks.capacity() * sizeof(ScanBlock);
}

std::unique_ptr<BoilerplateCleaner> BoilerplateCleanerBuilder::Finish() {
  return std::unique_ptr<BoilerplateCleaner>(new BoilerplateCleaner(FinishModel()));
}

std::unique_ptr<BoilerplateCleaner::Model> BoilerplateCleanerBuilder::FinishModel() {
  State& state = *state_;
  state.ThrowIfSpent("Finish()");
  state.spent = true;
  state.buffers.clear();  // the scans' per-thread buffers: large after a huge document
  std::unique_ptr<BoilerplateCleaner::Model> model = std::move(state.model);
  const CleanOptions& options = state.options;
  LiveDocs& docs = state.live;
  const std::uint32_t n = docs.size();
  model->repeat_threshold = std::max<std::uint64_t>(
      static_cast<std::uint64_t>(std::max(1, options.min_repeat_docs)),
      static_cast<std::uint64_t>(std::ceil(options.repeat_doc_fraction * static_cast<double>(n))));
  if (n == 0) return model;

  // The copy groups and the repeated lines (which need the groups), and the teaser search's lead
  // index, are independent: in kFast they are built at once (kLean builds one after the other, to
  // keep its peak memory that of one).
  // kLean (bounded memory) sorts in slices; kFast, which holds the whole dump anyway, in one go
  // (each slice is another pass over every document's keys: 0.2 s more at 1 GB).
  const bool sliced = state.memory == CleanerMemory::kLean;
  const auto groups_and_repeated_lines = [&] {
    // Groups of copies: documents sharing a band (kGroupRows slots) of their word 5-gram MinHash
    // signatures, joined transitively. P(two documents share a band) = 1 - (1 - J^2)^8: 8% at
    // Jaccard 0.1 (a page holding a teaser of a longer story), 90% at 0.5, 99.6% at 0.7.
    // Both sorts below go through the keys one slice at a time (slices by the keys' top bits: the
    // keys are hashes), so that the sorted pairs and their sort buffer, 32 bytes per key, take a
    // slice's worth of memory rather than the dump's. Components and counts are the same.
    UnionFind groups(n);
    std::vector<std::pair<std::uint64_t, std::uint32_t>> keyed;  // (hash, document), reused below
    {
      const std::size_t band_keys = std::size_t{n} * (kGroupSlots / kGroupRows);
      const int slice_bits = sliced ? SliceBits(band_keys) : 0;
      if (slice_bits == 0) keyed.reserve(band_keys);  // no growth by doubling (copies, page faults)
      for (std::uint64_t slice = 0; slice < (std::uint64_t{1} << slice_bits); ++slice) {
        keyed.clear();
        for (std::uint32_t i = 0; i < n; ++i) {
          const auto signature = docs.signature(i);
          for (std::size_t band = 0; band + kGroupRows <= signature.size(); band += kGroupRows) {
            const std::uint64_t key = Hash64(signature.data() + band, kGroupRows * sizeof(std::uint32_t), band);
            if (InSlice(key, slice, slice_bits)) keyed.emplace_back(key, i);
          }
        }
        SortByHash(&keyed);
        for (std::size_t k = 1; k < keyed.size(); ++k) {
          if (keyed[k].first == keyed[k - 1].first) groups.Union(keyed[k - 1].second, keyed[k].second);
        }
      }
    }

    // repeated_line: document frequency, then distinct groups of the frequent lines.
    // A line key occurs once per document, so the length of a run of equal keys in key order is its
    // document frequency; its distinct groups are counted by marking each group with the run. The
    // pairs of a key need no order: a line on every page of a site is a run of thousands.
    {
      std::vector<std::uint32_t> roots(n);
      for (std::uint32_t i = 0; i < n; ++i) roots[i] = groups.Find(i);
      const std::uint64_t threshold = model->repeat_threshold;
      std::vector<std::uint32_t> group_marks(n, 0);  // the last run (numbered from 1) seen in a group
      std::uint32_t run = 0;
      // Adds the repeated keys among `keyed`, one slice of (key, group) pairs.
      const auto add_repeated = [&] {
        SortByHash(&keyed, PairOrder::kHashOnly);
        for (std::size_t begin = 0; begin < keyed.size();) {
          std::size_t end = begin + 1;
          while (end < keyed.size() && keyed[end].first == keyed[begin].first) ++end;
          if (end - begin >= threshold) {
            ++run;  // at most one per threshold pairs
            std::uint64_t distinct_groups = 0;
            for (std::size_t k = begin; k < end; ++k) {
              std::uint32_t& mark = group_marks[keyed[k].second];
              distinct_groups += mark != run ? 1 : 0;
              mark = run;
            }
            if (distinct_groups >= threshold) model->repeated[keyed[begin].first] = 1;
          }
          begin = end;
        }
      };
      if (state.line_key_spill) {
        for (std::uint64_t slice = 0; slice < (std::uint64_t{1} << SlicedSpill::kSliceBits); ++slice) {
          state.line_key_spill->ReadSlice(slice, &keyed);
          for (auto& [key, doc] : keyed) doc = roots[doc];
          add_repeated();
        }
        state.line_key_spill.reset();
      } else {
        std::size_t line_keys = 0;
        for (std::uint32_t i = 0; i < n; ++i) line_keys += docs.line_keys(i).size();
        // A key in fewer than `threshold` documents is no repeated line, and most keys are in one.
        // Saturating counts by the keys' low bits (never below a key's document frequency: keys
        // that share a count add up) let only the keys that may reach it into the sort, all pairs
        // of a key or none: the same runs as without them, in the same order.
        const int count_bits = std::clamp(static_cast<int>(std::bit_width(line_keys)), 10, 24);
        const std::uint64_t count_mask = (std::uint64_t{1} << count_bits) - 1;
        std::vector<std::uint8_t> counts(std::size_t{1} << count_bits, 0);
        for (std::uint32_t i = 0; i < n; ++i) {
          for (const std::uint64_t key : docs.line_keys(i)) {
            std::uint8_t& count = counts[key & count_mask];
            count = static_cast<std::uint8_t>(count + (count < 255 ? 1 : 0));
          }
        }
        const auto least = static_cast<std::uint8_t>(std::min<std::uint64_t>(threshold, 255));
        std::size_t candidates = 0;
        for (std::uint32_t i = 0; i < n; ++i) {
          for (const std::uint64_t key : docs.line_keys(i)) candidates += counts[key & count_mask] >= least ? 1 : 0;
        }
        const int slice_bits = sliced ? SliceBits(candidates) : 0;
        if (slice_bits == 0) keyed.reserve(candidates);
        for (std::uint64_t slice = 0; slice < (std::uint64_t{1} << slice_bits); ++slice) {
          keyed.clear();
          for (std::uint32_t i = 0; i < n; ++i) {
            for (const std::uint64_t key : docs.line_keys(i)) {
              if (counts[key & count_mask] >= least && InSlice(key, slice, slice_bits)) keyed.emplace_back(key, roots[i]);
            }
          }
          add_repeated();
        }
      }
      docs.DropLineKeys();
    }

  };
  std::optional<LeadIndex> lead_index;
  const auto build_lead_index = [&] {
    lead_index.emplace(docs, state.lead_sample_spill.get(), sliced);
    state.lead_sample_spill.reset();
  };
  if (options.teasers && !sliced) {
    tbb::parallel_invoke(groups_and_repeated_lines, build_lead_index);
  } else {
    groups_and_repeated_lines();
    if (options.teasers) build_lead_index();
  }

  // teaser_near_duplicate: body lines holding most of another, unrelated document's lead. kFast
  // searches every document now; kLean keeps the lead index for Clean() to search the document
  // it is given.
  if (options.teasers) {
    if (state.memory == CleanerMemory::kLean) {
      docs.DropLeadSamples();
      model->lead_index.emplace(std::move(*lead_index));
      docs.ShrinkToFit();
      model->live = std::move(docs);
    } else {
      // Each document marks its own records (the store keeps those of a text's first copy;
      // copies of a text have the same teasers: a document's copy is never its teaser's source).
      struct TeaserSearch {
        TeaserBuffers buffers;
        std::vector<std::uint32_t> lines;
      };
      tbb::enumerable_thread_specific<TeaserSearch> searches;
      tbb::parallel_for(std::uint32_t{0}, n, [&](std::uint32_t a) {
        TeaserSearch& search = searches.local();
        search.lines.clear();
        const DocDetail& detail = state.details[a];
        const TailContent content{detail.lines, &model->repeated};
        FindTeaserLines(a, detail.body_samples, detail.body_lines, content, *lead_index, docs,
                        &search.buffers, &search.lines);
        for (const std::uint32_t record : search.lines) detail.lines[record].facts.teaser_body = true;
      });
    }
  }
  if (state.memory == CleanerMemory::kFast) {
    model->line_records = LineRecordStore(state.details, docs, std::move(state.detail_blocks));
  }
  Free(&state.details);
  Free(&state.detail_blocks);
  state.live = {};
  return model;
}

BoilerplateCleaner::BoilerplateCleaner(std::span<const Document> docs, const CleanOptions& options) {
  BoilerplateCleanerBuilder builder(options, CleanerMemory::kFast);
  builder.Add(docs);
  model_ = builder.FinishModel();
}

BoilerplateCleaner::BoilerplateCleaner(std::unique_ptr<Model> model) : model_(std::move(model)) {}

BoilerplateCleaner::~BoilerplateCleaner() = default;

std::uint64_t BoilerplateCleaner::repeat_threshold() const { return model_->repeat_threshold; }

std::uint64_t BoilerplateCleaner::MemoryBytes() const {
  const Model& model = *model_;
  return model.repeated.MemoryBytes() + model.line_records.MemoryBytes() +
         model.live.MemoryBytes() + (model.lead_index ? model.lead_index->MemoryBytes() : 0);
}

void BoilerplateCleaner::Clean(Document* doc) const {
  const Model& model = *model_;
  const CleanLexicon& lexicon = model.lexicon;
  const std::string_view text = doc->text;
  CleanBuffers& buffers = model.clean_buffers.local();
  // A huge document's buffers (a few times its size) are given back once it is cleaned, so that
  // they do not stay allocated beside the next stages' own; other documents keep them warm.
  struct ReleaseIfHuge {
    CleanBuffers* buffers;
    std::size_t bytes;
    ~ReleaseIfHuge() {
      if (bytes > kHugeDocumentBytes) *buffers = CleanBuffers{};
    }
  } release_if_huge{&buffers, text.size()};
  std::vector<RawLine>& lines = buffers.lines;
  SplitLines(text, &lines);
  std::vector<LineFacts>& facts = buffers.facts;
  facts.assign(lines.size(), LineFacts{});
  std::vector<std::uint32_t>& nonblank = buffers.nonblank;
  nonblank.clear();
  MatchLine& normalized = buffers.normalized;
  std::string& scratch = buffers.scratch;
  const std::size_t max_words = model.options.max_short_words;
  std::size_t lead_lines_seen = 0;  // lines of >= kLeadLineWords words so far

  // Pass 1: facts of each line on its own, from the dump pass when it saw this text. kLean scans
  // a document it saw again, for the same records and the body samples of its teaser search.
  const std::uint64_t text_hash = Hash64Long(text, kLineSeed);
  std::optional<std::span<const LineRecord>> records = model.line_records.Find(text_hash);
  if (model.lead_index) {
    const std::optional<std::uint32_t> live = model.live.Find(doc->ordinal);
    if (live && model.live.text_hash(*live) == text_hash) {
      ScanBlock& block = buffers.scan.block;
      block.Clear();
      ScanDocument(*doc, model.hasher, lexicon, model.options, &buffers.scan);
      buffers.teaser_lines.clear();
      const TailContent content{block.lines, &model.repeated};
      const DocScan scan = block.Only();
      FindTeaserLines(*live, scan.body_samples, scan.body_lines, content, *model.lead_index,
                      model.live, &buffers.teaser, &buffers.teaser_lines);
      for (const std::uint32_t record : buffers.teaser_lines)
        block.lines[record].facts.teaser_body = true;
      records = std::span<const LineRecord>(block.lines);
    }
  }
  if (records) {
    const std::size_t nonblank_lines = static_cast<std::size_t>(std::count_if(
        lines.begin(), lines.end(), [](const RawLine& line) { return !line.trimmed.empty(); }));
    if (records->size() != nonblank_lines) records.reset();  // a hash collision
  }
  bool any_teaser_body = false;
  for (std::size_t index = 0; index < lines.size(); ++index) {
    const std::string_view trimmed = lines[index].trimmed;
    if (trimmed.empty()) continue;
    const bool is_title = nonblank.empty();
    nonblank.push_back(static_cast<std::uint32_t>(index));
    LineFacts& fact = facts[index];
    std::uint64_t key = 0;
    if (records) {
      const LineRecord& record = (*records)[nonblank.size() - 1];
      key = record.key;
      fact = record.facts;
    } else {
      if (trimmed.size() <= kMaxShortBytes) MatchNormalize(trimmed, &normalized);
      key = ClassifyLine(trimmed, normalized, is_title, lead_lines_seen, lexicon, max_words, &scratch,
                         &fact);
    }
    if (fact.reason == Reason::kNone) {
      if (fact.repeat_eligible && model.repeated.Find(key) != 0) {
        fact.reason = Reason::kRepeatedLine;
      } else if (fact.timestamp) {
        fact.reason = Reason::kTimestamp;
      }
    }
    if (fact.words >= kLeadLineWords) ++lead_lines_seen;
    any_teaser_body |= fact.teaser_body;
  }

  // Pass 2: labels around timestamps.
  for (std::size_t k = 0; k < nonblank.size(); ++k) {
    const std::uint32_t index = nonblank[k];
    if (!facts[index].timestamp) continue;
    if (k >= 2) {  // a bare label just before (never the title)
      LineFacts& before = facts[nonblank[k - 1]];
      if (before.reason == Reason::kNone && before.words <= kBareLabelWords && !before.has_digit &&
          before.ending == Ending::kOther) {
        before.reason = Reason::kSourceLabel;
      }
    }
    for (std::size_t after = k + 1; after < nonblank.size() && after <= k + 2; ++after) {
      const std::uint32_t line = nonblank[after];
      LineFacts& fact = facts[line];
      const std::string_view trimmed = lines[line].trimmed;
      const std::size_t dash = DashPrefixBytes(trimmed);
      if (fact.reason == Reason::kNone && dash > 0 && fact.words >= 1 && fact.words <= kLabelWords &&
          fact.ending != Ending::kSentence) {
        fact.reason = Reason::kSourceLabel;
      }
    }
  }

  // Pass 3: teasers found by the dump pass, with their short header lines just above. A teaser
  // must lie in the tail of the document (no line of the article's own text follows it) and come
  // with page furniture (a timestamp, label or marker among the kTeaserContext lines above it):
  // a reused background paragraph, or a digest of briefs one of which is also a story of the
  // dump, is content.
  if (any_teaser_body) {
    bool content_follows = false;
    for (std::size_t k = nonblank.size(); k-- > 1;) {
      const std::uint32_t line = nonblank[k];
      if (facts[line].teaser_body && !content_follows && FurnitureAbove(nonblank, k, facts)) {
        if (facts[line].reason == Reason::kNone) facts[line].reason = Reason::kTeaser;
        // The teaser's own header (its title) just above it, up to the first furniture line.
        for (std::size_t up = line, taken = 0; up > 0 && taken < kTeaserHeaderLines; --up, ++taken) {
          const std::size_t above = up - 1;
          if (lines[above].trimmed.empty() || above == nonblank.front()) break;
          LineFacts& fact = facts[above];
          if (fact.reason != Reason::kNone || !fact.is_short || fact.ending == Ending::kSentence) break;
          fact.reason = Reason::kTeaser;
        }
      } else if (facts[line].reason == Reason::kNone && !facts[line].is_short) {
        content_follows = true;
      }
    }
  }

  // Pass 4: a comments or related heading near the end opens a block cut to the end.
  const std::size_t count = nonblank.size();
  for (std::size_t k = 1; k < count; ++k) {
    const LineFacts& heading = facts[nonblank[k]];
    if (!heading.whole_line ||
        (heading.marker != MarkerKind::kComments && heading.marker != MarkerKind::kRelated)) {
      continue;
    }
    std::size_t furniture = 0;
    for (std::size_t after = k + 1; after < count; ++after) {
      const LineFacts& fact = facts[nonblank[after]];
      const bool label_like = fact.is_short && fact.ending != Ending::kSentence;
      furniture += fact.reason != Reason::kNone || label_like ? 1 : 0;
    }
    const bool opens = 3 * furniture >= count - k - 1;
    if (!opens) continue;
    Reason block = Reason::kNone;
    for (std::size_t after = k; after < count; ++after) {
      LineFacts& fact = facts[nonblank[after]];
      if (fact.whole_line && fact.marker == MarkerKind::kComments) block = Reason::kCommentBlock;
      if (fact.whole_line && fact.marker == MarkerKind::kRelated) block = Reason::kRelatedBlock;
      fact.reason = block;
    }
    break;
  }

  // Output: kept lines, and spans of removed lines (blank lines inside a span are dropped too).
  bool any_removed = false;
  for (std::uint32_t index : nonblank) any_removed |= facts[index].reason != Reason::kNone;
  if (!any_removed) return;
  std::vector<std::uint8_t>& drop = buffers.marks;
  drop.assign(lines.size(), 0);
  std::size_t span_start = 0;
  while (span_start < count) {
    const Reason reason = facts[nonblank[span_start]].reason;
    if (reason == Reason::kNone) {
      ++span_start;
      continue;
    }
    std::size_t span_end = span_start;
    while (span_end + 1 < count && facts[nonblank[span_end + 1]].reason == reason) ++span_end;
    const std::uint32_t first = nonblank[span_start];
    const std::uint32_t last = nonblank[span_end];
    for (std::uint32_t line = first; line <= last; ++line) drop[line] = 1;
    doc->removed.push_back({first + 1, last + 1, ReasonName(reason),
                            static_cast<std::uint32_t>(span_end - span_start + 1)});
    span_start = span_end + 1;
  }
  // The kept lines are moved down in the text's own buffer: each goes no later than it was (a
  // "\n" stands for a terminator of at least one byte), so no copy of the text is needed.
  char* const kept = doc->text.data();
  std::size_t length = 0;
  bool wrote_line = false;
  for (std::size_t index = 0; index < lines.size(); ++index) {
    if (drop[index]) continue;
    if (wrote_line) kept[length++] = '\n';
    wrote_line = true;
    const std::size_t bytes = lines[index].end - lines[index].begin;
    std::memmove(kept + length, kept + lines[index].begin, bytes);
    length += bytes;
  }
  // Blank lines left at the end by a cut trailing block are no content.
  while (length > 0 &&
         (kept[length - 1] == '\n' || IsSpaceByte(static_cast<unsigned char>(kept[length - 1])))) {
    --length;
  }
  doc->text.resize(length);
}

}  // namespace neardup
