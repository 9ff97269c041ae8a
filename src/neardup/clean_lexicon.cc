#include "neardup/clean_lexicon.h"

#include <algorithm>
#include <array>
#include <cstring>

#include "neardup/embedded_data.h"
#include "neardup/error.h"
#include "neardup/hash.h"
#include "neardup/normalize.h"

namespace neardup {
namespace {

constexpr std::int32_t kSeparatorChar = -2;
constexpr std::int32_t kDeletedChar = -1;

// Latin-1 letters U+00C0..U+00FF folded to lower-case ASCII (0 = separator, '*' = keep as is).
constexpr char kLatin1Fold[] =
    "aaaaaaaceeeeiiii"   // C0-CF
    "dnooooo\0ouuuuy*s"  // D0-DF (D7 multiplication sign, DE thorn kept, DF sharp s -> s)
    "aaaaaaaceeeeiiii"   // E0-EF
    "dnooooo\0ouuuuy*y";  // F0-FF (F7 division sign)

// Decodes one code point at text[*i] and advances *i; invalid bytes decode to a separator.
std::int32_t DecodeUtf8(std::string_view text, std::size_t* i) {
  const auto byte = static_cast<unsigned char>(text[*i]);
  std::size_t length = 1;
  std::int32_t code_point = 0;
  if (byte < 0x80) {
    ++*i;
    return byte;
  } else if ((byte & 0xE0) == 0xC0) {
    length = 2;
    code_point = byte & 0x1F;
  } else if ((byte & 0xF0) == 0xE0) {
    length = 3;
    code_point = byte & 0x0F;
  } else if ((byte & 0xF8) == 0xF0) {
    length = 4;
    code_point = byte & 0x07;
  } else {
    ++*i;
    return kSeparatorChar;
  }
  if (*i + length > text.size()) {
    ++*i;
    return kSeparatorChar;
  }
  for (std::size_t k = 1; k < length; ++k) {
    const auto next = static_cast<unsigned char>(text[*i + k]);
    if ((next & 0xC0) != 0x80) {
      ++*i;
      return kSeparatorChar;
    }
    code_point = (code_point << 6) | (next & 0x3F);
  }
  *i += length;
  return code_point;
}

// The match folding of one non-ASCII code point: a code point, kDeletedChar or kSeparatorChar.
std::int32_t FoldNonAscii(std::int32_t c) {
  if (c < 0xC0) return kSeparatorChar;  // C1 controls, nbsp, quotes, symbols of Latin-1
  if (c <= 0xFF) {
    const char folded = kLatin1Fold[static_cast<std::size_t>(c - 0xC0)];
    if (folded == '\0') return kSeparatorChar;
    if (folded == '*') return c;
    return folded;
  }
  if (c >= 0x391 && c <= 0x3A9) return c + 0x20;   // Greek capitals
  if (c >= 0x410 && c <= 0x42F) return c + 0x20;   // Cyrillic capitals
  if (c >= 0x400 && c <= 0x40F) return c + 0x50;
  if (c >= 0x600 && c <= 0x6FF) {
    if (c == 0x60C || c == 0x61B || c == 0x61F || (c >= 0x66A && c <= 0x66D) || c == 0x6D4 ||
        c == 0x6DD || c == 0x6DE || c == 0x6E9) {
      return kSeparatorChar;  // Arabic comma, semicolon, question mark, percent, full stop, ...
    }
    if (c >= 0x660 && c <= 0x669) return '0' + (c - 0x660);
    if (c >= 0x6F0 && c <= 0x6F9) return '0' + (c - 0x6F0);
    if (c == 0x629) return 0x647;  // teh marbuta -> heh
    const std::int32_t folded = FoldArabic(c);
    return folded < 0 ? kDeletedChar : folded;
  }
  if ((c >= 0x200B && c <= 0x200F) || (c >= 0x2060 && c <= 0x2064) || c == 0xFEFF || c == 0xAD) {
    return kDeletedChar;  // zero-width and bidi controls
  }
  if ((c >= 0x2000 && c <= 0x2BFF) || (c >= 0x3000 && c <= 0x303F) || (c >= 0xFE10 && c <= 0xFE6F) ||
      (c >= 0xFF00 && c <= 0xFF0F) || (c >= 0xFF1A && c <= 0xFF20) || (c >= 0x1F000 && c <= 0x1FAFF)) {
    return kSeparatorChar;  // punctuation, symbols, arrows, CJK punctuation, emoji
  }
  return c;
}

// Writes code point `c` in UTF-8 at `out`; returns the bytes written (1 to 4).
std::size_t AppendUtf8(std::int32_t c, char* out) {
  if (c < 0x80) {
    out[0] = static_cast<char>(c);
    return 1;
  }
  if (c < 0x800) {
    out[0] = static_cast<char>(0xC0 | (c >> 6));
    out[1] = static_cast<char>(0x80 | (c & 0x3F));
    return 2;
  }
  if (c < 0x10000) {
    out[0] = static_cast<char>(0xE0 | (c >> 12));
    out[1] = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out[2] = static_cast<char>(0x80 | (c & 0x3F));
    return 3;
  }
  out[0] = static_cast<char>(0xF0 | (c >> 18));
  out[1] = static_cast<char>(0x80 | ((c >> 12) & 0x3F));
  out[2] = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
  out[3] = static_cast<char>(0x80 | (c & 0x3F));
  return 4;
}

void AppendUtf8(std::int32_t c, std::string* out) {
  if (c < 0x80) {
    out->push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (c >> 6)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (c >> 12)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (c >> 18)));
    out->push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

// Hash of words[first, last) joined by one space, skipping numeric words.
std::uint64_t PhraseHash(const MatchLine& line, std::size_t first, std::size_t last, std::string* buffer) {
  buffer->clear();
  for (std::size_t i = first; i < last; ++i) {
    if (line.numeric[i]) continue;
    if (!buffer->empty()) buffer->push_back(' ');
    buffer->append(line.words[i]);
  }
  return Hash64(*buffer, kLineSeed);
}

std::vector<std::string_view> SplitTabs(std::string_view row) {
  std::vector<std::string_view> fields;
  std::size_t start = 0;
  while (true) {
    const std::size_t tab = row.find('\t', start);
    fields.push_back(row.substr(start, tab == std::string_view::npos ? std::string_view::npos : tab - start));
    if (tab == std::string_view::npos) break;
    start = tab + 1;
  }
  return fields;
}

MarkerKind ParseKind(std::string_view kind) {
  if (kind == "comments") return MarkerKind::kComments;
  if (kind == "related") return MarkerKind::kRelated;
  if (kind == "widget") return MarkerKind::kWidget;
  if (kind == "navigation") return MarkerKind::kNavigation;
  if (kind == "source") return MarkerKind::kSource;
  if (kind == "promo") return MarkerKind::kPromo;
  return MarkerKind::kNone;
}

std::uint8_t ParseTimeKind(std::string_view kind) {
  if (kind == "unit") return kTimeUnit;
  if (kind == "relative") return kTimeRelative;
  if (kind == "month") return kTimeMonth;
  if (kind == "weekday") return kTimeWeekday;
  if (kind == "number") return kTimeNumber;
  if (kind == "label") return kTimeLabel;
  return 0;
}

// Calls `row(fields, line_number)` for each data row of a TSV file (comments and blanks skipped).
template <typename RowFunction>
void ForEachRow(std::string_view tsv, RowFunction row) {
  std::size_t line_number = 0;
  while (!tsv.empty()) {
    const std::size_t newline = tsv.find('\n');
    std::string_view line = tsv.substr(0, newline);
    tsv = newline == std::string_view::npos ? std::string_view() : tsv.substr(newline + 1);
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    row(SplitTabs(line), line_number);
  }
}

}  // namespace

namespace {

// The match folding of the code points below U+0800 (ASCII decoded from a lone byte, and every
// code point a two-byte sequence decodes to, overlong ones included), with their folded UTF-8.
// MatchNormalize looks these up instead of decoding and folding: Arabic, Latin, Greek and
// Cyrillic text is almost only such characters.
struct FoldEntry {
  std::int32_t folded = kSeparatorChar;  // a code point, kDeletedChar or kSeparatorChar
  std::uint8_t length = 0;               // bytes of `folded` in UTF-8 (at most 2, see below)
  bool digit = false;                    // folded is an ASCII digit
  char utf8[2] = {};
};

// Index: a byte < 0x80 itself; a valid two-byte sequence 0x80 + its code point.
struct FoldTables {
  std::array<FoldEntry, 0x80 + 0x800> entries;
};

FoldEntry MakeFoldEntry(std::int32_t folded) {
  FoldEntry entry;
  entry.folded = folded;
  if (folded < 0) return entry;
  std::string utf8;
  AppendUtf8(folded, &utf8);
  // Folding never lengthens a code point below U+0800 (checked here, relied on by MatchNormalize
  // to write into a buffer the size of its input); a longer one keeps the decoding path.
  if (utf8.size() > 2) throw Error("clean lexicon: a fold below U+0800 lengthens its character");
  entry.length = static_cast<std::uint8_t>(utf8.size());
  std::copy(utf8.begin(), utf8.end(), entry.utf8);
  entry.digit = folded >= '0' && folded <= '9';
  return entry;
}

const FoldTables& GetFoldTables() {
  static const FoldTables kTables = [] {
    FoldTables tables;
    for (std::int32_t byte = 0; byte < 0x80; ++byte) {
      std::int32_t c = kSeparatorChar;
      if (byte >= 'A' && byte <= 'Z') {
        c = byte + 32;
      } else if ((byte >= 'a' && byte <= 'z') || (byte >= '0' && byte <= '9')) {
        c = byte;
      }
      tables.entries[static_cast<std::size_t>(byte)] = MakeFoldEntry(c);
    }
    for (std::int32_t c = 0; c < 0x800; ++c) {
      tables.entries[0x80 + static_cast<std::size_t>(c)] = MakeFoldEntry(FoldNonAscii(c));
    }
    return tables;
  }();
  return kTables;
}

}  // namespace

// The definition is the code point loop: decode (DecodeUtf8), fold (FoldNonAscii), then words are
// the runs of kept code points. One-byte and valid two-byte sequences take the tables above,
// which hold exactly that loop's result for them; longer and invalid sequences take the loop.
// The output never has more bytes than the input: a kept character folds to at most its own
// length, and a word's separating space stands for at least one separator byte; so the text is
// written in place into a buffer of the input's size (plus one byte), without growth checks.
// The folding of the code point at line[*at], advancing *at: by table for one- and valid
// two-byte sequences (chosen without a branch: Arabic text alternates them), else by the
// decoding loop with *entry = nullptr.
inline std::int32_t NextFolded(const FoldTables& tables, std::string_view line, std::size_t* at,
                               const FoldEntry** entry) {
  const auto* const bytes = reinterpret_cast<const unsigned char*>(line.data());
  const unsigned first = bytes[*at];
  const unsigned second = *at + 1 < line.size() ? bytes[*at + 1] : 0;
  const bool two_byte = (first & 0xE0) == 0xC0 && (second & 0xC0) == 0x80;
  if (first >= 0x80 && !two_byte) {
    *entry = nullptr;
    // Through a copy: were the caller's position address-taken, it would live in memory, and
    // every character would wait on a store and reload of it.
    std::size_t next = *at;
    const std::int32_t folded = FoldNonAscii(DecodeUtf8(line, &next));
    *at = next;
    return folded;
  }
  const std::size_t index = two_byte ? 0x80 + (((first & 0x1F) << 6) | (second & 0x3F)) : first;
  *entry = &tables.entries[index];
  *at += two_byte ? 2 : 1;
  return (*entry)->folded;
}

void MatchNormalize(std::string_view line, MatchLine* out) {
  out->Clear();
  const FoldTables& tables = GetFoldTables();
  out->text.resize(line.size() + 1);  // + 1: a one-byte character writes a second, unused byte
  char* const text = out->text.data();
  const std::size_t size = line.size();
  std::size_t length = 0;  // bytes written to text
  std::size_t i = 0;
  while (i < size) {
    // Separators and deleted characters up to the next word.
    const FoldEntry* entry = nullptr;
    std::int32_t folded = NextFolded(tables, line, &i, &entry);
    if (folded < 0) continue;
    if (length > 0) text[length++] = ' ';
    const std::size_t word_start = length;
    bool all_digits = true;
    // The word: kept characters, with deleted ones skipped, up to a separator or the end.
    for (;;) {
      if (entry != nullptr) {
        all_digits &= entry->digit;  // no branch
        std::memcpy(text + length, entry->utf8, 2);
        length += entry->length;
      } else {
        if (folded < '0' || folded > '9') all_digits = false;
        length += AppendUtf8(folded, text + length);
      }
      do {
        folded = i < size ? NextFolded(tables, line, &i, &entry) : kSeparatorChar;
      } while (folded == kDeletedChar);
      if (folded == kSeparatorChar) break;
    }
    out->words.emplace_back(text + word_start, length - word_start);
    out->numeric.push_back(all_digits ? 1 : 0);
  }
  out->text.resize(length);  // shrinking keeps the buffer, so the word views stay valid
}

void MatchNormalizeReference(std::string_view line, MatchLine* out) {
  out->Clear();
  bool in_word = false;
  bool all_digits = true;
  std::size_t i = 0;
  while (i < line.size()) {
    const auto byte = static_cast<unsigned char>(line[i]);
    std::int32_t c = kSeparatorChar;
    if (byte < 0x80) {
      ++i;
      if (byte >= 'A' && byte <= 'Z') {
        c = byte + 32;
      } else if ((byte >= 'a' && byte <= 'z') || (byte >= '0' && byte <= '9')) {
        c = byte;
      }
    } else {
      c = FoldNonAscii(DecodeUtf8(line, &i));
    }
    if (c == kDeletedChar) continue;
    if (c == kSeparatorChar) {
      if (in_word) out->numeric.push_back(all_digits ? 1 : 0);
      in_word = false;
      continue;
    }
    if (!in_word) {
      if (!out->text.empty()) out->text.push_back(' ');
      in_word = true;
      all_digits = true;
    }
    if (c < '0' || c > '9') all_digits = false;
    AppendUtf8(c, &out->text);
  }
  if (in_word) out->numeric.push_back(all_digits ? 1 : 0);
  // Views are made once the text no longer grows.
  const std::string_view text = out->text;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t space = text.find(' ', start);
    if (space == std::string_view::npos) space = text.size();
    out->words.push_back(text.substr(start, space - start));
    start = space + 1;
  }
}

CleanLexicon::CleanLexicon() {
  Parse(EmbeddedData("boilerplate_markers.tsv"), EmbeddedData("boilerplate_time_words.tsv"));
}

CleanLexicon::CleanLexicon(std::string_view markers_tsv, std::string_view time_words_tsv) {
  Parse(markers_tsv, time_words_tsv);
}

void CleanLexicon::Parse(std::string_view markers_tsv, std::string_view time_words_tsv) {
  MatchLine normalized;
  std::string buffer;
  ForEachRow(markers_tsv, [&](const std::vector<std::string_view>& fields, std::size_t line_number) {
    const std::string where = "boilerplate_markers.tsv:" + std::to_string(line_number) + ": ";
    if (fields.size() != 4) throw Error(where + "expected 4 tab-separated fields");
    MatchNormalize(fields[3], &normalized);
    if (normalized.words.empty()) throw Error(where + "empty phrase");
    const std::uint64_t hash = PhraseHash(normalized, 0, normalized.words.size(), &buffer);
    if (fields[1] == "cta" || fields[1] == "address") {
      if (fields[2] != "word" || normalized.words.size() != 1) throw Error(where + "cta/address take one word");
      cta_words_[hash] |= fields[1] == "cta" ? 1 : 2;
      return;
    }
    for (std::size_t i = 0; i < normalized.words.size(); ++i) {
      if (normalized.numeric[i]) continue;
      const std::uint64_t first = Hash64(normalized.words[i], kLineSeed);
      first_word_filter_[first % 4096 / 64] |= std::uint64_t{1} << (first % 64);
      break;
    }
    const MarkerKind kind = ParseKind(fields[1]);
    if (kind == MarkerKind::kNone) throw Error(where + "unknown kind '" + std::string(fields[1]) + "'");
    if (fields[2] == "line") {
      line_markers_[hash] = kind;
    } else if (fields[2] == "prefix") {
      prefix_markers_[hash] = kind;
      longest_prefix_ = std::max(longest_prefix_, normalized.words.size());
    } else {
      throw Error(where + "match must be line or prefix");
    }
  });
  ForEachRow(time_words_tsv, [&](const std::vector<std::string_view>& fields, std::size_t line_number) {
    const std::string where = "boilerplate_time_words.tsv:" + std::to_string(line_number) + ": ";
    if (fields.size() != 3) throw Error(where + "expected 3 tab-separated fields");
    const std::uint8_t bits = ParseTimeKind(fields[1]);
    if (bits == 0) throw Error(where + "unknown kind '" + std::string(fields[1]) + "'");
    MatchNormalize(fields[2], &normalized);
    // A word such as "aujourd'hui" normalizes to two words; each is a time word.
    for (std::string_view word : normalized.words) time_words_[Hash64(word, kLineSeed)] |= bits;
  });
}

MarkerMatch CleanLexicon::Marker(const MatchLine& line, std::size_t max_prefix_words,
                                 std::string* scratch) const {
  const std::size_t n = line.words.size();
  std::size_t non_numeric = 0;
  for (std::size_t i = 0; i < n; ++i) non_numeric += line.numeric[i] ? 0 : 1;
  if (non_numeric == 0) return {};
  // Every phrase hashed below starts with the line's first non-numeric word.
  const std::size_t first = static_cast<std::size_t>(
      std::find(line.numeric.begin(), line.numeric.end(), std::uint8_t{0}) - line.numeric.begin());
  const std::uint64_t first_hash = Hash64(line.words[first], kLineSeed);
  if ((first_word_filter_[first_hash % 4096 / 64] >> (first_hash % 64) & 1) == 0) return {};
  if (const MarkerKind kind = line_markers_.Find(PhraseHash(line, 0, n, scratch));
      kind != MarkerKind::kNone) {
    return {kind, true, non_numeric};
  }
  if (non_numeric > max_prefix_words) return {};
  std::size_t words_taken = 0;
  for (std::size_t end = 1; end <= n && words_taken < longest_prefix_; ++end) {
    if (line.numeric[end - 1]) continue;
    ++words_taken;
    if (const MarkerKind kind = prefix_markers_.Find(PhraseHash(line, 0, end, scratch));
        kind != MarkerKind::kNone) {
      return {kind, false, words_taken};
    }
  }
  return {};
}

bool CleanLexicon::IsCallToAction(const MatchLine& line) const {
  if (line.words.size() < 2) return false;
  auto bits = [&](std::string_view word) { return cta_words_.Find(Hash64(word, kLineSeed)); };
  if ((bits(line.words[0]) & 1) == 0) return false;
  for (std::size_t i = 1; i < line.words.size(); ++i) {
    if (bits(line.words[i]) & 2) return true;
  }
  return false;
}

std::uint8_t CleanLexicon::TimeWord(std::string_view word) const {
  return time_words_.Find(Hash64(word, kLineSeed));
}

}  // namespace neardup
