#include "neardup/clean_lexicon.h"

#if defined(__x86_64__)
#include <immintrin.h>
#elif defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <array>
#include <bit>
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

// Hash of words[first, last) joined by one space, skipping numeric words. `line` is
// MatchNormalize's: with no numeric word among them, the words joined are a part of line.text
// (its words joined by one space), hashed where it lies rather than copied.
std::uint64_t PhraseHash(const MatchLine& line, std::size_t first, std::size_t last, std::string* buffer) {
  if (first < last && std::find(line.numeric.begin() + static_cast<std::ptrdiff_t>(first),
                                line.numeric.begin() + static_cast<std::ptrdiff_t>(last),
                                std::uint8_t{1}) == line.numeric.begin() + static_cast<std::ptrdiff_t>(last)) {
    const char* const begin = line.words[first].data();
    const char* const end = line.words[last - 1].data() + line.words[last - 1].size();
    return Hash64(std::string_view(begin, static_cast<std::size_t>(end - begin)), kLineSeed);
  }
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
// code point a two-byte sequence decodes to, overlong ones included), as what MatchNormalize
// writes for them. MatchNormalize looks these up instead of decoding and folding: Arabic, Latin,
// Greek and Cyrillic text is almost only such characters.
struct FoldEntry {
  char utf8[2] = {};  // the folded character in UTF-8, ' ' for a separator
  std::uint8_t length =
      0;  // bytes of utf8 written: 1 or 2 (see below), 1 for a separator, 0 if deleted
  bool separator = false;
  bool deleted = false;
};

// Index: a byte < 0x80 itself; a valid two-byte sequence 0x80 + its code point.
struct FoldTables {
  std::array<FoldEntry, 0x80 + 0x800> entries;
};

// The table index of the character starting with bytes `first`, `second`, which is ASCII or a
// valid two-byte sequence.
inline std::size_t FoldIndex(unsigned first, unsigned second) {
  return first < 0x80 ? first : 0x80 + (((first & 0x1F) << 6) | (second & 0x3F));
}

bool PlainFoldsMatch(const FoldTables& tables);

FoldEntry MakeFoldEntry(std::int32_t folded) {
  FoldEntry entry;
  if (folded == kSeparatorChar) {
    entry.utf8[0] = ' ';
    entry.length = 1;
    entry.separator = true;
    return entry;
  }
  if (folded == kDeletedChar) {
    entry.deleted = true;
    return entry;
  }
  std::string utf8;
  AppendUtf8(folded, &utf8);
  // Folding never lengthens a code point below U+0800 (checked here, relied on by MatchNormalize
  // to write into a buffer the size of its input); a longer one keeps the decoding path.
  if (utf8.size() > 2) throw Error("clean lexicon: a fold below U+0800 lengthens its character");
  entry.length = static_cast<std::uint8_t>(utf8.size());
  std::copy(utf8.begin(), utf8.end(), entry.utf8);
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
    if (!PlainFoldsMatch(tables))
      throw Error("clean lexicon: the plain folds are not the tables' folds");
    return tables;
  }();
  return kTables;
}

// MatchNormalize's first pass: writes the folded characters of a line to `text`, every run of
// separators as one space (none at the start; deleted characters join what surrounds them), so
// that the words are the runs between spaces. The text never has more bytes than the line: a
// kept character folds to at most its own length, a space stands for at least one byte.
// Its state is two values the caller keeps in locals: stores to the text (char) may alias
// anything, so state kept in memory would be reloaded after every character.
struct FoldState {
  std::size_t length = 0;   // bytes written
  bool after_space = true;  // the text is empty or ends in a space
};

// A character of the tables. Writes two bytes (the text has a spare byte past the line's size)
// and counts those that belong, without branches: word lengths are random.
inline FoldState WriteFolded(const FoldEntry& entry, FoldState state, char* text) {
  std::memcpy(text + state.length, entry.utf8, 2);
  const bool repeat_space = entry.separator & state.after_space;
  state.length += entry.length - static_cast<std::size_t>(repeat_space);
  state.after_space = entry.separator | (state.after_space & entry.deleted);
  return state;
}

// A character the tables do not hold: a code point, kDeletedChar or kSeparatorChar.
FoldState WriteFolded(std::int32_t folded, FoldState state, char* text) {
  if (folded == kSeparatorChar)
    return WriteFolded(FoldEntry{{' ', 0}, 1, true, false}, state, text);
  if (folded >= 0) {
    state.length += AppendUtf8(folded, text + state.length);
    state.after_space = false;
  }
  return state;
}

// Plain characters fold byte for byte, by a few rules: ASCII letters and digits (upper-case
// letters + 0x20), a single space (a separator), and the Arabic letters U+0621..U+063A (lead byte
// 0xD8, second 0xA1..0xBA) and U+0641..U+064A (0xD9, 0x81..0x8A), of which alef with madda or
// hamza (U+0622, U+0623, U+0625) fold to alef (U+0627), teh marbuta (U+0629) to heh (U+0647) and
// alef maqsura (U+0649) to yeh (U+064A), the others to themselves. Most of Arabic and Latin text
// is runs of them, which MatchNormalize copies 16 bytes at a time with these rules applied in a
// vector. The rules must give the tables' folds: GetFoldTables() checks every plain character.
constexpr unsigned char kD8 = 0xD8, kD9 = 0xD9;
constexpr unsigned char kD8First = 0xA1, kD8Last = 0xBA, kD9First = 0x81, kD9Last = 0x8A;

// The plain fold of a two-byte plain character (the rules above, one character at a time).
std::array<unsigned char, 2> PlainFold(unsigned char lead, unsigned char second) {
  if (lead == kD8 && (second == 0xA2 || second == 0xA3 || second == 0xA5)) return {kD8, 0xA7};
  if (lead == kD8 && second == 0xA9) return {kD9, 0x87};
  if (lead == kD9 && second == 0x89) return {kD9, 0x8A};
  return {lead, second};
}

// Whether the plain rules give the tables' folds for every plain character.
bool PlainFoldsMatch(const FoldTables& tables) {
  for (unsigned byte = 0; byte < 0x80; ++byte) {
    const FoldEntry& entry = tables.entries[byte];
    const bool letter_or_digit = (byte >= 'a' && byte <= 'z') || (byte >= '0' && byte <= '9');
    if (byte == ' ' && !entry.separator) return false;
    if (letter_or_digit && (entry.length != 1 || static_cast<unsigned char>(entry.utf8[0]) != byte))
      return false;
    if (byte >= 'A' && byte <= 'Z' &&
        (entry.length != 1 || static_cast<unsigned char>(entry.utf8[0]) != byte + 0x20)) {
      return false;
    }
  }
  for (const auto [lead, first, last] : {std::array<unsigned, 3>{kD8, kD8First, kD8Last},
                                         std::array<unsigned, 3>{kD9, kD9First, kD9Last}}) {
    for (unsigned second = first; second <= last; ++second) {
      const FoldEntry& entry = tables.entries[FoldIndex(lead, second)];
      const auto fold =
          PlainFold(static_cast<unsigned char>(lead), static_cast<unsigned char>(second));
      if (entry.length != 2 || static_cast<unsigned char>(entry.utf8[0]) != fold[0] ||
          static_cast<unsigned char>(entry.utf8[1]) != fold[1]) {
        return false;
      }
    }
  }
  return true;
}

#if defined(__SSE2__)
__m128i Bytes(unsigned char byte) { return _mm_set1_epi8(static_cast<char>(byte)); }

// 0xFF in the bytes of v within [low, high] (unsigned), else 0.
__m128i InRange(__m128i v, unsigned char low, unsigned char high) {
  const __m128i offset = _mm_sub_epi8(v, Bytes(low));
  return _mm_cmpeq_epi8(_mm_min_epu8(offset, Bytes(static_cast<unsigned char>(high - low))),
                        offset);
}

// `yes` in the bytes where mask is 0xFF, else `no`.
__m128i Select(__m128i mask, __m128i yes, __m128i no) {
  return _mm_or_si128(_mm_and_si128(mask, yes), _mm_andnot_si128(mask, no));
}

// The plain bytes of a window of 16 bytes of a line (bit j of `plain`: byte j is plain), given
// the line's bytes just before and after it (0 at its ends), and its spaces; writes the window
// folded to text (16 bytes, whatever is plain). A space right after another, or first when
// `after_space`, is not plain: it is a repeated separator, which writes nothing.
struct PlainWindow {
  unsigned plain = 0;
  unsigned spaces = 0;
  __m128i folded;  // what was written to text
};

PlainWindow FoldPlainWindow(const char* window, unsigned char before, unsigned char after,
                            bool after_space, char* text) {
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(window));
  const __m128i previous = _mm_or_si128(_mm_slli_si128(v, 1), _mm_cvtsi32_si128(before));
  const __m128i next =
      _mm_or_si128(_mm_srli_si128(v, 1), _mm_slli_si128(_mm_cvtsi32_si128(after), 15));
  const __m128i d8 = _mm_cmpeq_epi8(v, Bytes(kD8));
  const __m128i after_d8 = _mm_cmpeq_epi8(previous, Bytes(kD8));
  const __m128i after_d9 = _mm_cmpeq_epi8(previous, Bytes(kD9));
  // Arabic plain letters: their second bytes, and their lead bytes.
  const __m128i second = _mm_or_si128(_mm_and_si128(after_d8, InRange(v, kD8First, kD8Last)),
                                      _mm_and_si128(after_d9, InRange(v, kD9First, kD9Last)));
  const __m128i lead =
      _mm_or_si128(_mm_and_si128(d8, InRange(next, kD8First, kD8Last)),
                   _mm_and_si128(_mm_cmpeq_epi8(v, Bytes(kD9)), InRange(next, kD9First, kD9Last)));
  const __m128i upper = InRange(v, 'A', 'Z');
  const __m128i space = _mm_cmpeq_epi8(v, Bytes(' '));
  const __m128i single_space = _mm_andnot_si128(_mm_cmpeq_epi8(previous, Bytes(' ')), space);
  const __m128i ascii = _mm_or_si128(_mm_or_si128(InRange(v, 'a', 'z'), InRange(v, '0', '9')),
                                     _mm_or_si128(upper, single_space));
  PlainWindow result;
  result.spaces = static_cast<unsigned>(_mm_movemask_epi8(space));
  result.plain =
      static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(ascii, _mm_or_si128(lead, second))));
  if (after_space) result.plain &= ~(result.spaces & 1u);
  // The folds: case, then the Arabic letters that are not their own fold.
  __m128i folded = _mm_add_epi8(v, _mm_and_si128(upper, Bytes(0x20)));
  const __m128i alef_variant =
      _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, Bytes(0xA2)), _mm_cmpeq_epi8(v, Bytes(0xA3))),
                   _mm_cmpeq_epi8(v, Bytes(0xA5)));
  folded = Select(_mm_and_si128(after_d8, alef_variant), Bytes(0xA7), folded);
  folded = Select(_mm_and_si128(after_d8, _mm_cmpeq_epi8(v, Bytes(0xA9))), Bytes(0x87), folded);
  folded = Select(_mm_and_si128(d8, _mm_cmpeq_epi8(next, Bytes(0xA9))), Bytes(kD9), folded);
  folded = Select(_mm_and_si128(after_d9, _mm_cmpeq_epi8(v, Bytes(0x89))), Bytes(0x8A), folded);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(text), folded);
  result.folded = folded;
  return result;
}
#endif

// The character of `line` at line[*i], written to text as its fold: by table if ASCII or a valid
// two-byte sequence, else decoded. Advances *i past it.
FoldState FoldCharacter(std::string_view line, const FoldTables& tables, std::size_t* i,
                        FoldState state, char* text) {
  const auto* const bytes = reinterpret_cast<const unsigned char*>(line.data());
  const unsigned first = bytes[*i];
  const unsigned second = *i + 1 < line.size() ? bytes[*i + 1] : 0;
  if (first < 0x80) {
    *i += 1;
    return WriteFolded(tables.entries[first], state, text);
  }
  if ((first & 0xE0) == 0xC0 && (second & 0xC0) == 0x80) {
    *i += 2;
    return WriteFolded(tables.entries[FoldIndex(first, second)], state, text);
  }
  std::size_t next = *i;  // through a copy: the caller's position stays in a register
  state = WriteFolded(FoldNonAscii(DecodeUtf8(line, &next)), state, text);
  *i = next;
  return state;
}

// Then the words: the runs between the spaces of text[0, length), and with kDigitFlags their
// flags. The text has 16 readable bytes past `length` (their spaces are ignored).
template <bool kDigitFlags>
void SplitWords(const char* text, std::size_t length, MatchLine* out) {
  std::size_t word_start = 0;
  const auto add_word = [&](std::size_t end) {
    const std::string_view word(text + word_start, end - word_start);
    out->words.push_back(word);
    if constexpr (kDigitFlags) {
      const bool all_digits =
          std::all_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; });
      out->numeric.push_back(all_digits ? 1 : 0);
    }
    word_start = end + 1;
  };
  std::size_t p = 0;
#if defined(__SSE2__)
  // The spaces of 64 bytes at a time, as bits: the loop over them ends once per 64 bytes (where
  // its branch mispredicts) rather than once per 16.
  for (; p + 64 <= length; p += 64) {
    std::uint64_t spaces = 0;
    for (int k = 0; k < 4; ++k) {
      const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text + p + 16 * k));
      spaces |= static_cast<std::uint64_t>(static_cast<unsigned>(
                    _mm_movemask_epi8(_mm_cmpeq_epi8(chunk, _mm_set1_epi8(' ')))))
                << (16 * k);
    }
    while (spaces != 0) {
      add_word(p + static_cast<std::size_t>(std::countr_zero(spaces)));
      spaces &= spaces - 1;
    }
  }
  // The rest, 16 bytes at a time, the spaces past `length` masked off.
  for (; p < length; p += 16) {
    const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text + p));
    auto spaces = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(chunk, _mm_set1_epi8(' '))));
    if (length - p < 16) spaces &= (1u << (length - p)) - 1;
    while (spaces != 0) {
      add_word(p + static_cast<std::size_t>(std::countr_zero(spaces)));
      spaces &= spaces - 1;
    }
  }
#else
  for (; p < length; ++p) {
    if (text[p] == ' ') add_word(p);
  }
#endif
  if (length > 0) add_word(length);
}

// The 16-byte path: windows of plain characters (FoldPlainWindow), the others by table or decoded
// one at a time. Returns the state after the line; text has 16 writable bytes past the line's size.
FoldState FoldNarrow(std::string_view line, const FoldTables& tables, char* text) {
  FoldState state;
  const std::size_t size = line.size();
  std::size_t i = 0;
#if defined(__SSE2__)
  const auto* const bytes = reinterpret_cast<const unsigned char*>(line.data());
  char padded[32];
  alignas(16) char folded[32] = {};  // a window's folds, then 16 bytes the copies below may read
  while (i < size) {
    // The next 16 bytes when all are plain, else those before the first other one. A window
    // may start or end in the middle of a plain letter, whose other byte is in the next or
    // previous window, and always advances by 16 bytes when all are plain, without waiting for
    // the masks. The last 15 bytes come from a copy padded with zeros (not plain).
    const char* window = line.data() + i;
    if (i + 16 > size) {
      std::memcpy(padded, window, size - i);
      std::memset(padded + (size - i), 0, 16);
      window = padded;
    }
    const unsigned char before = i > 0 ? bytes[i - 1] : 0;
    const unsigned char after = i + 16 < size ? bytes[i + 16] : 0;
    const PlainWindow plain =
        FoldPlainWindow(window, before, after, state.after_space, text + state.length);
    if (plain.plain == 0xFFFF) {
      i += 16;
      state.length += 16;
      state.after_space = (plain.spaces >> 15) != 0;
      continue;
    }
    // Then the rest of the window: its runs of plain bytes, each copied from its folds to where
    // the text is now (the first one is written already), and one character after each (which
    // starts a character: a plain byte's other byte is plain too), rather than a new window
    // after each such character. A byte's plainness depends on the line's bytes alone, except
    // for a space when the text ends in a space (after a separator, or a deleted character after
    // one): it repeats it, as when it is the first byte of a window.
    _mm_store_si128(reinterpret_cast<__m128i*>(folded), plain.folded);
    unsigned plain_bits = plain.plain;
    std::size_t offset = 0;  // of i in the window
    for (;;) {
      const auto run = static_cast<unsigned>(__builtin_ctz(~(plain_bits >> offset)));
      if (run > 0) {
        if (offset > 0) std::memcpy(text + state.length, folded + offset, 16);
        i += run;
        state.length += run;
        offset += run;
        state.after_space = ((plain.spaces >> (offset - 1)) & 1u) != 0;
      }
      if (offset >= 16 || i >= size) break;
      const std::size_t at = i;
      state = FoldCharacter(line, tables, &i, state, text);
      offset += i - at;
      if (offset >= 16 || i >= size) break;
      if (state.after_space) plain_bits &= ~(plain.spaces & (1u << offset));
    }
  }
#else
  while (i < size) state = FoldCharacter(line, tables, &i, state, text);
#endif
  return state;
}

#if defined(__x86_64__)
// The 64-byte path (AVX-512 with VBMI2), for CPUs that have it. A window holds ASCII characters
// and the two-byte characters of the leads C2, C3 (Latin-1) and D8, D9 (Arabic): their folds come
// from 128-byte tables of the lead pairs (index: the second byte's low six bits, + 64 for the
// second lead of a pair), which are the FoldTables' entries; the bytes that are kept are then
// compressed to the text. A separator writes a space unless the character before it is one (or,
// first in the window, unless the text ends in one). Everything else (longer and other two-byte
// characters, stray bytes, a lead whose second byte is past the window, a separator right after
// a deleted character, which joins what is around it) ends the window: it and the characters of
// that kind right after it take FoldCharacter, and the next window starts after them.
constexpr std::uint8_t kWideKeepLead = 1, kWideKeepSecond = 2, kWideSeparator = 4, kWideDeleted = 8;

struct WideFoldTables {
  // [0]: leads C2 and C3, [1]: leads D8 and D9; 128 entries each.
  alignas(64) std::uint8_t lead_byte[2][128];    // what the lead byte becomes
  alignas(64) std::uint8_t second_byte[2][128];  // what the second byte becomes
  alignas(64) std::uint8_t kind[2][128];         // kWide* flags
};

WideFoldTables MakeWideFoldTables(const FoldTables& tables) {
  WideFoldTables wide{};
  constexpr unsigned kLeads[2][2] = {{0xC2, 0xC3}, {0xD8, 0xD9}};
  for (int pair = 0; pair < 2; ++pair) {
    for (unsigned high = 0; high < 2; ++high) {
      for (unsigned low = 0; low < 64; ++low) {
        const FoldEntry& entry = tables.entries[FoldIndex(kLeads[pair][high], 0x80 | low)];
        const std::size_t index = high * 64 + low;
        wide.lead_byte[pair][index] = static_cast<std::uint8_t>(entry.utf8[0]);
        wide.second_byte[pair][index] = static_cast<std::uint8_t>(entry.utf8[1]);
        std::uint8_t kind = kWideKeepLead;
        if (entry.separator) {
          kind = kWideSeparator;
        } else if (entry.deleted) {
          kind = kWideDeleted;
        } else if (entry.length == 2) {
          kind = kWideKeepLead | kWideKeepSecond;
        }
        wide.kind[pair][index] = kind;
      }
    }
  }
  return wide;
}

bool WideFoldSupported() {
  return __builtin_cpu_supports("avx512f") != 0 && __builtin_cpu_supports("avx512bw") != 0 &&
         __builtin_cpu_supports("avx512vbmi") != 0 && __builtin_cpu_supports("avx512vbmi2") != 0 &&
         __builtin_cpu_supports("popcnt") != 0 && __builtin_cpu_supports("bmi2") != 0;
}

#define NEARDUP_WIDE_FOLD __attribute__((target("avx512f,avx512bw,avx512vbmi,avx512vbmi2,popcnt,bmi2")))

NEARDUP_WIDE_FOLD inline __m512i Splat(unsigned value) { return _mm512_set1_epi8(static_cast<char>(value)); }

// A 128-entry table of a pair of leads, looked up at every byte of an index (its low 7 bits).
struct WideTable {
  __m512i low, high;
  NEARDUP_WIDE_FOLD explicit WideTable(const std::uint8_t* table)
      : low(_mm512_load_si512(table)), high(_mm512_load_si512(table + 64)) {}
  NEARDUP_WIDE_FOLD __m512i Lookup(__m512i index) const { return _mm512_permutex2var_epi8(low, index, high); }
};

// Returns the state after the line; text has 64 writable bytes past the line's size.
NEARDUP_WIDE_FOLD FoldState FoldWide(std::string_view line, const FoldTables& tables,
                                     const WideFoldTables& wide, char* text) {
  FoldState state;
  const std::size_t size = line.size();
  const char* const bytes = line.data();
  // Byte j of a vector permuted by these takes byte j + 1, byte j - 1.
  static constexpr auto kShifts = [] {
    std::array<std::array<std::uint8_t, 64>, 2> shifts{};
    for (int j = 0; j < 64; ++j) {
      shifts[0][static_cast<std::size_t>(j)] = static_cast<std::uint8_t>(std::min(j + 1, 63));
      shifts[1][static_cast<std::size_t>(j)] = static_cast<std::uint8_t>(std::max(j - 1, 0));
    }
    return shifts;
  }();
  const __m512i shift_down = _mm512_loadu_si512(kShifts[0].data());
  const __m512i shift_up = _mm512_loadu_si512(kShifts[1].data());
  // The tables in registers (the text's stores could alias them in memory).
  const WideTable latin_lead(wide.lead_byte[0]), arabic_lead(wide.lead_byte[1]);
  const WideTable latin_second(wide.second_byte[0]), arabic_second(wide.second_byte[1]);
  const WideTable latin_kind(wide.kind[0]), arabic_kind(wide.kind[1]);
  std::size_t i = 0;
  while (i < size) {
    const std::size_t n = std::min<std::size_t>(64, size - i);
    const __mmask64 valid = _bzhi_u64(~0ull, static_cast<unsigned>(n));
    const __m512i v = _mm512_maskz_loadu_epi8(valid, bytes + i);
    const std::uint64_t ascii = ~_mm512_movepi8_mask(v) & valid;
    const std::uint64_t cont = _mm512_cmpeq_epi8_mask(_mm512_and_si512(v, Splat(0xC0)), Splat(0x80));
    const std::uint64_t latin_low = _mm512_cmpeq_epi8_mask(v, Splat(0xC2));
    const std::uint64_t latin_high = _mm512_cmpeq_epi8_mask(v, Splat(0xC3));
    const std::uint64_t arabic_low = _mm512_cmpeq_epi8_mask(v, Splat(0xD8));
    const std::uint64_t arabic_high = _mm512_cmpeq_epi8_mask(v, Splat(0xD9));
    const std::uint64_t arabic = arabic_low | arabic_high;
    const std::uint64_t lead = (latin_low | latin_high | arabic) & (cont >> 1);
    const std::uint64_t second = lead << 1;
    std::uint64_t problem = valid & ~(ascii | lead | second);
    // ASCII: letters and digits are kept (upper case + 0x20), the rest are separators.
    const std::uint64_t upper = _mm512_cmple_epu8_mask(_mm512_sub_epi8(v, Splat('A')), Splat(25));
    const std::uint64_t alnum = upper | _mm512_cmple_epu8_mask(_mm512_sub_epi8(v, Splat('a')), Splat(25)) |
                                _mm512_cmple_epu8_mask(_mm512_sub_epi8(v, Splat('0')), Splat(9));
    const std::uint64_t ascii_separator = ascii & ~alnum;
    // Two-byte characters, looked up at their lead by the byte after it.
    const __m512i next = _mm512_maskz_permutexvar_epi8(~0ull, shift_down, v);
    __m512i index = _mm512_and_si512(next, Splat(0x3F));
    index = _mm512_mask_add_epi8(index, latin_high | arabic_high, index, Splat(0x40));
    // The tables of the leads in the window (mostly one pair: Arabic or Latin-1 text).
    const auto lookup = [&](const WideTable& latin, const WideTable& arabic_table) NEARDUP_WIDE_FOLD {
      if ((latin_low | latin_high) == 0) return arabic_table.Lookup(index);
      if (arabic == 0) return latin.Lookup(index);
      return _mm512_mask_blend_epi8(arabic, latin.Lookup(index), arabic_table.Lookup(index));
    };
    const __m512i lead_byte = lookup(latin_lead, arabic_lead);
    const __m512i second_byte = lookup(latin_second, arabic_second);
    const __m512i kind = lookup(latin_kind, arabic_kind);
    const std::uint64_t keep_lead = _mm512_test_epi8_mask(kind, Splat(kWideKeepLead)) & lead;
    const std::uint64_t keep_second = (_mm512_test_epi8_mask(kind, Splat(kWideKeepSecond)) & lead) << 1;
    const std::uint64_t separator2 = _mm512_test_epi8_mask(kind, Splat(kWideSeparator)) & lead;
    const std::uint64_t deleted2 = _mm512_test_epi8_mask(kind, Splat(kWideDeleted)) & lead;
    const std::uint64_t separator_start = ascii_separator | separator2;
    const std::uint64_t separator_end = ascii_separator | (separator2 << 1);
    const std::uint64_t kept_start = (ascii & alnum) | keep_lead;
    problem |= separator_start & (deleted2 << 2);
    const std::uint64_t prefix = problem != 0 ? (problem & (0 - problem)) - 1 : valid;
    const std::uint64_t repeated =
        separator_start & ((separator_end << 1) | static_cast<std::uint64_t>(state.after_space));
    const std::uint64_t keep = (kept_start | keep_second | separator_start) & ~repeated & prefix;
    __m512i out = _mm512_mask_add_epi8(v, upper, v, Splat(0x20));
    out = _mm512_mask_mov_epi8(out, ascii_separator, Splat(' '));
    out = _mm512_mask_mov_epi8(out, lead, lead_byte);
    out = _mm512_mask_mov_epi8(out, second, _mm512_maskz_permutexvar_epi8(~0ull, shift_up, second_byte));
    _mm512_storeu_si512(text + state.length, _mm512_maskz_compress_epi8(keep, out));
    state.length += static_cast<std::size_t>(_mm_popcnt_u64(keep));
    const std::uint64_t written = (kept_start | separator_start) & prefix;  // deleted ones aside
    if (written != 0) state.after_space = ((separator_start >> (63 - std::countl_zero(written))) & 1u) != 0;
    if (problem == 0) {
      i += n;
      continue;
    }
    const std::size_t window = i;
    const auto first_problem = static_cast<std::size_t>(std::countr_zero(problem));
    i += first_problem;
    // A known lead in the last byte, its second byte past the window: the next window starts
    // with it, rather than the character loop taking it.
    if (first_problem == 63 && (((latin_low | latin_high | arabic) >> 63) & 1u) != 0) continue;
    while (i < size && i < window + n && ((problem >> (i - window)) & 1u) != 0) {
      state = FoldCharacter(line, tables, &i, state, text);
    }
  }
  return state;
}
#endif

// The words of a folded line, without a final space.
template <bool kDigitFlags>
void FinishMatchLine(FoldState state, MatchLine* out) {
  const std::size_t length = state.length - (state.length > 0 && state.after_space ? 1 : 0);
  SplitWords<kDigitFlags>(out->buffer.data(), length, out);
  out->text = std::string_view(out->buffer.data(), length);
}

// Makes `out->buffer` at least `size` bytes (zeros written only where it grows).
void ReserveBuffer(std::size_t size, MatchLine* out) {
  if (out->buffer.size() < size) out->buffer.resize(size);
}

template <bool kDigitFlags>
void MatchNormalizeNarrowImpl(std::string_view line, MatchLine* out) {
  out->Clear();
  // + 16: a one-byte character writes a second, unused byte, a run of plain ones 16 bytes.
  ReserveBuffer(line.size() + 16, out);
  FinishMatchLine<kDigitFlags>(FoldNarrow(line, GetFoldTables(), out->buffer.data()), out);
}

template <bool kDigitFlags>
void MatchNormalizeImpl(std::string_view line, MatchLine* out) {
#if defined(__x86_64__)
  static const bool kWide = WideFoldSupported();
  if (kWide) {
    static const WideFoldTables kWideTables = MakeWideFoldTables(GetFoldTables());
    out->Clear();
    // + 64: a window's compressed bytes are stored 64 at a time.
    ReserveBuffer(line.size() + 64, out);
    FinishMatchLine<kDigitFlags>(FoldWide(line, GetFoldTables(), kWideTables, out->buffer.data()), out);
    return;
  }
#endif
  MatchNormalizeNarrowImpl<kDigitFlags>(line, out);
}

}  // namespace

// The definition is the code point loop (MatchNormalizeReference): decode (DecodeUtf8), fold
// (FoldNonAscii), then words are the runs of kept code points. One-byte and valid two-byte
// sequences take the tables above, which hold exactly that loop's result for them; longer and
// invalid sequences take the loop. A byte that is not a continuation byte (10xxxxxx) always
// starts a character of that loop, which consumes only continuation bytes after it: so the
// characters of a window of bytes are known from the bytes alone.
void MatchNormalize(std::string_view line, MatchLine* out) { MatchNormalizeImpl<true>(line, out); }

void MatchNormalizeWords(std::string_view line, MatchLine* out) { MatchNormalizeImpl<false>(line, out); }

bool MatchNormalizeIsWide() {
#if defined(__x86_64__)
  return WideFoldSupported();
#else
  return false;
#endif
}

void MatchNormalizeNarrow(std::string_view line, MatchLine* out) { MatchNormalizeNarrowImpl<true>(line, out); }

void MatchNormalizeReference(std::string_view line, MatchLine* out) {
  out->Clear();
  out->buffer.clear();
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
      if (!out->buffer.empty()) out->buffer.push_back(' ');
      in_word = true;
      all_digits = true;
    }
    if (c < '0' || c > '9') all_digits = false;
    AppendUtf8(c, &out->buffer);
  }
  if (in_word) out->numeric.push_back(all_digits ? 1 : 0);
  // Views are made once the text no longer grows.
  out->text = out->buffer;
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
