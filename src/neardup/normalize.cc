#include "neardup/normalize.h"

#include <unicode/errorcode.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>

#include "neardup/error.h"
#include "neardup/normalize_utf8.h"

namespace neardup {
namespace {

constexpr std::int32_t kDeleted = -1;

enum class CharClass : std::uint8_t { kSeparator, kWord, kSingleton, kMark, kDeleted };

bool IsScriptWithoutSpaces(UChar32 c) {
  UErrorCode status = U_ZERO_ERROR;
  switch (uscript_getScript(c, &status)) {
    case USCRIPT_HAN:
    case USCRIPT_HIRAGANA:
    case USCRIPT_KATAKANA:
    case USCRIPT_THAI:
    case USCRIPT_LAO:
    case USCRIPT_KHMER:
    case USCRIPT_MYANMAR:
    case USCRIPT_TIBETAN:
    case USCRIPT_YI:
      return true;
    default:
      return false;
  }
}

// Class of a code point that has already been normalized and folded.
CharClass ClassOf(UChar32 c) {
  if (c == kDeleted) return CharClass::kDeleted;
  const auto category = static_cast<UCharCategory>(u_charType(c));
  if (category == U_NON_SPACING_MARK || category == U_COMBINING_SPACING_MARK ||
      category == U_ENCLOSING_MARK) {
    return CharClass::kMark;
  }
  if (!u_isalnum(c)) return CharClass::kSeparator;
  if (IsScriptWithoutSpaces(c)) return CharClass::kSingleton;
  return CharClass::kWord;
}

// The token automaton both paths run, one character at a time (so they cannot drift apart). Its
// state says which token is open; a character's class and the state decide everything:
// a separator ends the open token; a deleted character does nothing; a mark extends the open
// token, if any; a singleton is a token of its own; a letter or digit extends the open word, or
// starts one (ending an open singleton).
// A state's value is the bit offset of its step among a character's packed steps (FastEntry).
enum TokenState : std::uint8_t { kNoToken = 0, kInWord = 8, kInSingleton = 16 };

struct Transition {
  TokenState next;
  bool close;   // the open token ends before the character
  bool open;    // a token starts at the character (after `close`)
  bool append;  // the character's text goes into the open token
};

constexpr Transition TransitionOf(CharClass cls, TokenState state) {
  switch (cls) {
    case CharClass::kSeparator:
      return {kNoToken, state != kNoToken, false, false};
    case CharClass::kDeleted:
      return {state, false, false, false};
    case CharClass::kMark:
      return {state, false, false, state != kNoToken};
    case CharClass::kSingleton:
      return {kInSingleton, state != kNoToken, true, true};
    case CharClass::kWord:
      return {kInWord, state == kInSingleton, state != kInWord, true};
  }
  return {kNoToken, false, false, false};
}

// A transition packed into a byte, with the number of bytes appended (the character's UTF-8
// length, or 0): bits 0-2 the bytes appended, bits 3-4 the next state, bits 5-6 the number of
// token bounds it marks at the current end of the text (close and open each mark one).
using Step = std::uint8_t;
constexpr Step kStepBytes = 0x07;
constexpr Step kStepNext = 0x18;
constexpr Step kStepBounds = 0x60;
constexpr int kStepBoundsShift = 5;

constexpr Step PackStep(CharClass cls, TokenState state, std::size_t utf8_length) {
  const Transition t = TransitionOf(cls, state);
  const int bounds = (t.close ? 1 : 0) + (t.open ? 1 : 0);
  return static_cast<Step>((t.append ? utf8_length : 0) | t.next | (bounds << kStepBoundsShift));
}

// The steps of a character in the three states, byte `state / 8` each: the fast path picks one
// with a shift (no memory access), keeping the dependency from one character's state to the next
// short. The top byte is free (FastEntry keeps its FastAction there).
constexpr std::uint32_t PackSteps(CharClass cls, std::size_t utf8_length) {
  std::uint32_t steps = 0;
  for (const TokenState state : {kNoToken, kInWord, kInSingleton}) {
    steps |= std::uint32_t{PackStep(cls, state, utf8_length)} << state;
  }
  return steps;
}

// Writes tokens: their text into a buffer sized by the caller for the whole text (plus 3 bytes of
// slack: characters are copied 4 bytes at a time), and their bounds (alternately where one starts
// and where it ends) into `bounds`; Finish() turns the bounds into views. Takes a step without a
// branch: every step writes the current end of the text into the next two free bound slots and
// keeps as many as the step marks. Meant to live in locals of one tokenize call, so that the
// compiler keeps its state in registers (members of the Tokenizer would be reloaded after every
// byte written, since a char store may alias anything): its methods are inlined, and what is not
// inlined is static, since a writer whose address escapes lives in memory.
class TokenWriter {
 public:
  // `bounds` keeps its size between calls, as room.
  TokenWriter(char* buffer, std::vector<const char*>* bounds)
      : out_(buffer), bounds_(bounds), slots_(bounds->data()), room_(bounds->size()) {}

  TokenState state() const { return state_; }

  // Makes room for `steps` more steps (Take has none to check).
  [[gnu::always_inline]] void Reserve(std::size_t steps) {
    if (count_ + 2 * steps + 2 > room_) {
      slots_ = Grow(bounds_, count_ + 2 * steps + 2);  // not a member: `this` must not escape, or
      room_ = bounds_->size();                         // the state would live in memory
    }
  }
  // Takes the step of `steps` (PackSteps) for the current state.
  [[gnu::always_inline]] void TakeOneOf(std::uint32_t steps, const char* utf8) {
    Take(static_cast<Step>(steps >> state_), utf8);
  }
  // `utf8` has 4 readable bytes, of which the step appends its count.
  [[gnu::always_inline]] void Take(Step step, const char* utf8) {
    slots_[count_] = out_;
    slots_[count_ + 1] = out_;
    count_ += (step & kStepBounds) >> kStepBoundsShift;
    std::memcpy(out_, utf8, 4);
    out_ += step & kStepBytes;
    state_ = static_cast<TokenState>(step & kStepNext);
  }

  // Ends the open token, if any, and puts a view of each token into `tokens`.
  [[gnu::always_inline]] void Finish(std::vector<std::string_view>* tokens) {
    Reserve(1);
    Take(PackStep(CharClass::kSeparator, state_, 0), "    ");
    BoundsToTokens(slots_, count_, tokens);
  }

 private:
  static void BoundsToTokens(const char* const* bounds, std::size_t count,
                             std::vector<std::string_view>* tokens) {
    tokens->clear();
    tokens->reserve(count / 2);
    for (std::size_t i = 0; i < count; i += 2) {
      tokens->emplace_back(bounds[i], static_cast<std::size_t>(bounds[i + 1] - bounds[i]));
    }
  }
  static const char** Grow(std::vector<const char*>* bounds, std::size_t room) {
    bounds->resize(std::max(room, 2 * bounds->size()));
    return bounds->data();
  }

  char* out_;
  TokenState state_ = kNoToken;
  std::vector<const char*>* bounds_;
  const char** slots_;
  std::size_t room_;
  std::size_t count_ = 0;
};

// How the fast path takes a BMP character.
enum class FastAction : std::uint8_t {
  kTake,  // its steps apply whatever precedes it
  // Deleted, but may combine with what precedes it (Arabic tashkeel after alef, waw, yeh, ...):
  // taken only when it does not compose with the last starter (checked per occurrence).
  kTakeUnlessComposing,
  kIcu,  // expands to several characters, or interacts with its neighbours: the text takes the ICU path
};

// Per BMP code point, 8 bytes (the hot part of the table, ASCII and the 2-byte range that holds
// Arabic, is 16 KB): the character after NFKC_Casefold of the lone character and FoldArabic in
// UTF-8 (when not deleted: up to 4 bytes, since NFKC maps some BMP compatibility ideographs
// (U+FA6C -> U+242EE) outside the BMP, found by fuzz_tokenizer); its steps (PackSteps) with how
// the fast path takes it in the top byte, so that one load and one test serve the common case.
struct alignas(8) FastEntry {
  char utf8[4] = {};
  std::uint32_t steps_and_action = static_cast<std::uint32_t>(FastAction::kIcu) << 24;

  FastAction action() const { return static_cast<FastAction>(steps_and_action >> 24); }
  bool take() const { return steps_and_action < (1u << 24); }  // action() == kTake
  void Set(std::uint32_t steps, FastAction action) {
    steps_and_action = steps | static_cast<std::uint32_t>(action) << 24;
  }
};

struct FastTable {
  std::array<FastEntry, 0x10000> entries;
  // Per BMP code point: NFKC_Casefold of the lone character before FoldArabic, kDeleted when it
  // vanishes; read only to ask whether a following kTakeUnlessComposing character composes with it.
  std::array<std::int32_t, 0x10000> nfkc;
  const icu::Normalizer2* nfkc_casefold = nullptr;
};

// Fills the entry of code point `c` (not a surrogate) and returns its nfkc value.
std::int32_t FillFastEntry(const icu::Normalizer2& normalizer, UChar32 c, FastEntry* entry) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::UnicodeString normalized = normalizer.normalize(icu::UnicodeString(c), status);
  if (U_FAILURE(status)) return 0;
  if (normalized.isEmpty()) {  // default ignorables (ZWNJ, soft hyphen, ...) vanish
    entry->Set(PackSteps(CharClass::kDeleted, 0),
               normalizer.hasBoundaryBefore(c) ? FastAction::kTake : FastAction::kIcu);
    return kDeleted;
  }
  if (normalized.countChar32() != 1) return 0;  // expands to several: ICU path
  const UChar32 mapped = normalized.char32At(0);
  const UChar32 folded = FoldArabic(mapped);
  const CharClass cls = ClassOf(folded);
  std::int32_t length = 0;
  if (folded >= 0) U8_APPEND_UNSAFE(entry->utf8, length, folded);
  // FastTokenize sizes its buffer for 1.5 output bytes per input byte (true of every BMP
  // character today; a future Unicode version breaking it would send the character to ICU).
  if (2 * length > 3 * U8_LENGTH(c)) return mapped;
  const std::uint32_t steps = PackSteps(cls, static_cast<std::size_t>(length));
  if (normalizer.hasBoundaryBefore(c) && normalizer.hasBoundaryBefore(mapped)) {
    entry->Set(steps, FastAction::kTake);
  } else if (cls == CharClass::kDeleted) {
    entry->Set(steps, FastAction::kTakeUnlessComposing);
  }
  return mapped;
}

const FastTable& GetFastTable() {
  static const FastTable* const kTable = [] {
    auto* table = new FastTable();
    UErrorCode status = U_ZERO_ERROR;
    table->nfkc_casefold = icu::Normalizer2::getNFKCCasefoldInstance(status);
    if (U_FAILURE(status)) throw Error("ICU: cannot load NFKC_Casefold data");
    for (UChar32 c = 0; c < 0x10000; ++c) {
      if (c >= 0xD800 && c <= 0xDFFF) continue;  // surrogates never occur in valid UTF-8
      table->nfkc[c] = FillFastEntry(*table->nfkc_casefold, c, &table->entries[c]);
    }
    return table;
  }();
  return *kTable;
}

// The chunk of `text` from `offset` (a character start): `size` bytes, or fewer so as to end
// before a character (or at the end of the text).
std::string_view ChunkAt(std::string_view text, std::size_t offset, std::size_t size) {
  std::size_t end = offset + size;
  if (end >= text.size()) return text.substr(offset);
  while ((static_cast<std::uint8_t>(text[end]) & 0xC0) == 0x80) --end;  // a continuation byte
  return text.substr(offset, end - offset);
}

}  // namespace

std::int32_t FoldArabic(std::int32_t c) {
  if (c < 0x0600 || c > 0x06FF) return c;
  switch (c) {
    case 0x0622:  // alef with madda above
    case 0x0623:  // alef with hamza above
    case 0x0625:  // alef with hamza below
    case 0x0671:  // alef wasla
    case 0x0672:  // alef with wavy hamza above
    case 0x0673:  // alef with wavy hamza below
      return 0x0627;
    case 0x0649:  // alef maqsura
      return 0x064A;
    case 0x0640:  // tatweel
    case 0x0670:  // superscript alef
      return kDeleted;
    default:
      break;
  }
  if (c >= 0x064B && c <= 0x065F) return kDeleted;  // tashkeel: harakat, tanwin, shadda, sukun
  if ((c >= 0x06D6 && c <= 0x06DC) || (c >= 0x06DF && c <= 0x06E4) || c == 0x06E7 ||
      c == 0x06E8 || (c >= 0x06EA && c <= 0x06ED)) {
    return kDeleted;  // Quranic annotation marks
  }
  if (c >= 0x0660 && c <= 0x0669) return '0' + (c - 0x0660);
  if (c >= 0x06F0 && c <= 0x06F9) return '0' + (c - 0x06F0);
  return c;
}

struct Tokenizer::Impl {
  const FastTable& table = GetFastTable();
  std::unique_ptr<char[]> buffer;
  std::size_t capacity = 0;
  std::vector<const char*> bounds;  // TokenWriter's
  std::vector<char16_t> units;      // the code points of a chunk (FastTokenize)
  std::vector<std::string_view> tokens;
  icu::UnicodeString source;
  icu::UnicodeString normalized;

  // A token buffer of at least `bytes` bytes; its old content is dropped.
  char* Reserve(std::size_t bytes) {
    if (bytes > capacity) {
      capacity = std::max(capacity * 2, bytes);
      buffer = std::make_unique_for_overwrite<char[]>(capacity);
    }
    return buffer.get();
  }

  // Returns false (having produced nothing usable) when the text needs the ICU path.
  bool FastTokenize(std::string_view text) {
    // A BMP character folds to at most 1.5 times its UTF-8 length (see FillFastEntry).
    TokenWriter writer(Reserve(text.size() + text.size() / 2 + 4), &bounds);
    // The text goes in chunks of at most kChunkBytes, cut between characters: each is decoded to
    // code points (normalize_utf8.h: no branch per character on its length) and then taken.
    constexpr std::size_t kChunkBytes = 4096;
    units.resize(kChunkBytes + kDecodeBmpSlack);
    // The nfkc value of the last starter (the last character with a boundary before
    // it), found when a kTakeUnlessComposing character needs it: it is the character just before,
    // unless that is such a character too (then it is the one that one found), since every
    // character before the current one took the fast path. `before_chunk` is the value for a
    // kTakeUnlessComposing character that starts a chunk.
    std::int32_t before_chunk = kDeleted;
    std::int32_t last_starter = kDeleted;
    for (std::size_t offset = 0; offset < text.size();) {
      const std::string_view chunk = ChunkAt(text, offset, kChunkBytes);
      const DecodedBmp decoded = DecodeBmp(chunk, units.data());
      if (decoded.bytes < chunk.size()) return false;  // a character outside the BMP
      writer.Reserve(decoded.units);
      const char16_t* const chunk_units = units.data();
      const FastEntry* const entries = table.entries.data();  // in a register, not reloaded per character
      std::size_t marks_end = decoded.units + 1;  // past the last kTakeUnlessComposing character (none)
      for (std::size_t i = 0; i < decoded.units; ++i) {
        const char16_t c = chunk_units[i];
        const FastEntry& entry = entries[c];
        if (!entry.take()) [[unlikely]] {
          if (entry.action() == FastAction::kIcu) return false;
          if (i != marks_end) last_starter = i > 0 ? table.nfkc[chunk_units[i - 1]] : before_chunk;
          marks_end = i + 1;
          if (last_starter >= 0 && table.nfkc_casefold->composePair(last_starter, c) >= 0) {
            return false;  // the mark would compose with its base: let ICU decide
          }
        }
        writer.TakeOneOf(entry.steps_and_action, entry.utf8);
      }
      before_chunk = marks_end == decoded.units ? last_starter : table.nfkc[chunk_units[decoded.units - 1]];
      offset += chunk.size();
    }
    writer.Finish(&tokens);
    return true;
  }

  void IcuTokenize(std::string_view text) {
    source = icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<std::int32_t>(text.size())));
    UErrorCode status = U_ZERO_ERROR;
    normalized.remove();
    table.nfkc_casefold->normalize(source, normalized, status);
    if (U_FAILURE(status)) throw Error(std::string("ICU normalization failed: ") + u_errorName(status));
    // A UTF-16 unit is at most 3 bytes of UTF-8 (a surrogate pair 4), and FoldArabic never grows.
    TokenWriter writer(Reserve(3 * static_cast<std::size_t>(normalized.length()) + 4), &bounds);
    for (std::int32_t i = 0; i < normalized.length();) {
      const UChar32 c = normalized.char32At(i);
      i += U16_LENGTH(c);
      const UChar32 folded = FoldArabic(c);
      char utf8[4] = {};
      std::int32_t length = 0;
      if (folded >= 0) U8_APPEND_UNSAFE(utf8, length, folded);
      writer.Reserve(1);
      writer.Take(PackStep(ClassOf(folded), writer.state(), static_cast<std::size_t>(length)), utf8);
    }
    writer.Finish(&tokens);
  }
};

Tokenizer::Tokenizer() : impl_(std::make_unique<Impl>()) {}
Tokenizer::~Tokenizer() = default;

const std::vector<std::string_view>& Tokenizer::Tokenize(std::string_view text) {
  last_was_fast_ = impl_->FastTokenize(text);
  if (!last_was_fast_) impl_->IcuTokenize(text);
  return impl_->tokens;
}

const std::vector<std::string_view>& Tokenizer::TokenizeWithIcu(std::string_view text) {
  last_was_fast_ = false;
  impl_->IcuTokenize(text);
  return impl_->tokens;
}

}  // namespace neardup
