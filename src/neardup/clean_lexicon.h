#pragma once
// The clean stage's line normalization and its data-driven lexicon (data/boilerplate_markers.tsv,
// data/boilerplate_time_words.tsv, embedded in the binary). MatchNormalize turns a line into the
// words markers are compared on: lower case (ASCII, Latin-1, Greek, Cyrillic), Latin-1 accents and
// Arabic letter variants folded (FoldArabic, plus teh marbuta -> heh), Arabic-Indic digits -> ASCII,
// everything that is not a letter, mark or digit separates words. No ICU, no allocation once the
// buffers are warm. A CleanLexicon is built once (throws Error on a malformed data row), is then
// immutable and may be shared by threads; its lookups take normalized words.
#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace neardup {

// A line after match normalization: `text` is the words joined by one space; `text` and `words`
// view `buffer`, which only grows (so that normalizing a line does not first write zeros over its
// size) and holds scratch bytes past the text. Not copyable: a copy's views would be the original's.
struct MatchLine {
  std::string_view text;
  std::vector<std::string_view> words;
  std::vector<std::uint8_t> numeric;  // numeric[i]: words[i] is all digits
  std::string buffer;

  MatchLine() = default;
  MatchLine(const MatchLine&) = delete;
  MatchLine& operator=(const MatchLine&) = delete;
  MatchLine(MatchLine&&) = default;
  MatchLine& operator=(MatchLine&&) = default;
  void Clear() {
    text = {};
    words.clear();
    numeric.clear();
  }
};

// Normalizes `line` (valid UTF-8; invalid bytes separate words) into `out` (cleared first).
// Windows of 64 bytes (AVX-512 with VBMI2) when the CPU has them (MatchNormalizeIsWide()), else
// of 16 (SSE2); MatchNormalizeNarrow always takes the 16-byte path. Both give the same result.
void MatchNormalize(std::string_view line, MatchLine* out);
void MatchNormalizeNarrow(std::string_view line, MatchLine* out);
// The same text and words, without the digit flags (out->numeric is left empty): for lines whose
// flags are not looked at.
void MatchNormalizeWords(std::string_view line, MatchLine* out);
bool MatchNormalizeIsWide();
// The same, code point by code point: the definition MatchNormalize's lookup tables must equal
// (tests compare the two on every one- and two-byte sequence and on random bytes).
void MatchNormalizeReference(std::string_view line, MatchLine* out);

enum class MarkerKind : std::uint8_t {
  kNone,
  kComments,    // comment widget or heading
  kRelated,     // related / read-also / most-read heading
  kWidget,      // share, print, subscribe, tags, advert, cookie, copyright
  kNavigation,  // menu and pager labels
  kSource,      // "Source: X"
  kPromo,       // app or newsletter promotion
};

// Bits of the time-word classes (boilerplate_time_words.tsv).
enum TimeWordBits : std::uint8_t {
  kTimeUnit = 1,
  kTimeRelative = 2,
  kTimeMonth = 4,
  kTimeWeekday = 8,
  kTimeNumber = 16,
  kTimeLabel = 32,
};

struct MarkerMatch {
  MarkerKind kind = MarkerKind::kNone;
  bool whole_line = false;  // matched as a whole line (a heading), not as a prefix
  std::size_t phrase_words = 0;  // words of the matched phrase
};

// Values by 64-bit hash key, in open addressing on the key's low bits (the keys are hashes, so
// their low bits are uniform): a lookup is about one probe, without std::unordered_map's division
// by a prime and node chase, and lines ask the lexicon several lookups each. A Value{} value
// marks an empty slot, so values stored must differ from Value{}.
template <typename Value>
class HashKeyedTable {
 public:
  // The value of `key`, Value{} (empty) if new: the caller assigns it a value other than Value{}.
  Value& operator[](std::uint64_t key) {
    if (2 * (used_ + 1) > slots_.size()) Grow();
    Slot& slot = slots_[SlotOf(key)];
    if (slot.value == Value{}) {
      slot.key = key;
      ++used_;
    }
    return slot.value;
  }
  // The value of `key`, or Value{} if absent.
  Value Find(std::uint64_t key) const {
    return slots_.empty() ? Value{} : slots_[SlotOf(key)].value;
  }
  std::uint64_t MemoryBytes() const { return slots_.capacity() * sizeof(Slot); }  // held

 private:
  struct Slot {
    std::uint64_t key = 0;
    Value value{};
  };
  // The slot holding `key`, or the empty slot where it belongs (linear probing; never full).
  std::size_t SlotOf(std::uint64_t key) const {
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = key & mask;
    while (slots_[i].value != Value{} && slots_[i].key != key) i = (i + 1) & mask;
    return i;
  }
  void Grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(std::max<std::size_t>(16, 2 * old.size()), Slot{});
    used_ = 0;
    for (const Slot& slot : old) {
      if (slot.value != Value{}) (*this)[slot.key] = slot.value;
    }
  }
  std::vector<Slot> slots_;  // a power of two, at most half used
  std::size_t used_ = 0;
};

class CleanLexicon {
 public:
  CleanLexicon();  // parses the embedded data files
  // Builds from explicit file contents (tests).
  CleanLexicon(std::string_view markers_tsv, std::string_view time_words_tsv);

  // Marker of a normalized line (numbers ignored): whole-line phrases first, then prefixes when
  // the line has at most `max_prefix_words` words. `scratch` is a caller-owned buffer.
  MarkerMatch Marker(const MatchLine& line, std::size_t max_prefix_words, std::string* scratch) const;
  // A short call to action addressed to the reader: first word a cta word, another an address word.
  bool IsCallToAction(const MatchLine& line) const;
  // TimeWordBits of a normalized word, 0 if none.
  std::uint8_t TimeWord(std::string_view word) const;

 private:
  void Parse(std::string_view markers_tsv, std::string_view time_words_tsv);
  HashKeyedTable<MarkerKind> line_markers_;
  HashKeyedTable<MarkerKind> prefix_markers_;
  std::size_t longest_prefix_ = 0;  // in words
  // A bit per (low bits of the) hash of each phrase's first non-numeric word: most lines start
  // with a word no phrase starts with, and are rejected without hashing their prefixes.
  std::array<std::uint64_t, 64> first_word_filter_{};
  HashKeyedTable<std::uint8_t> time_words_;
  HashKeyedTable<std::uint8_t> cta_words_;  // 1 = cta, 2 = address
};

}  // namespace neardup
