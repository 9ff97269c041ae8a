#include "neardup/normalize.h"

#include <unicode/errorcode.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <memory>

#include "neardup/error.h"

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

// Per BMP code point: how the fast path treats it. `folded` is the code point after
// NFKC_Casefold of the lone character and FoldArabic; `nfkc` before FoldArabic (needed to ask
// whether a following mark composes with it).
struct FastEntry {
  std::int32_t nfkc = 0;
  std::int32_t folded = 0;
  CharClass cls = CharClass::kSeparator;
  bool usable = false;          // the fast path may take this character
  bool boundary_before = true;  // false for marks that may combine with what precedes them
  // `folded` in UTF-8, when not deleted: up to 4 bytes, since NFKC maps some BMP compatibility
  // ideographs (U+FA6C -> U+242EE) outside the BMP (found by fuzz_tokenizer).
  std::uint8_t utf8_length = 0;
  char utf8[4] = {};
};

struct FastTable {
  std::array<FastEntry, 0x10000> entries;
  const icu::Normalizer2* nfkc_casefold = nullptr;
};

const FastTable& GetFastTable() {
  static const FastTable* const kTable = [] {
    auto* table = new FastTable();
    UErrorCode status = U_ZERO_ERROR;
    table->nfkc_casefold = icu::Normalizer2::getNFKCCasefoldInstance(status);
    if (U_FAILURE(status)) throw Error("ICU: cannot load NFKC_Casefold data");
    const icu::Normalizer2& normalizer = *table->nfkc_casefold;
    for (UChar32 c = 0; c < 0x10000; ++c) {
      FastEntry& entry = table->entries[c];
      if (c >= 0xD800 && c <= 0xDFFF) continue;  // surrogates never occur in valid UTF-8
      status = U_ZERO_ERROR;
      icu::UnicodeString normalized = normalizer.normalize(icu::UnicodeString(c), status);
      if (U_FAILURE(status)) continue;
      if (normalized.isEmpty()) {  // default ignorables (ZWNJ, soft hyphen, ...) vanish
        entry.nfkc = kDeleted;
        entry.folded = kDeleted;
        entry.cls = CharClass::kDeleted;
        entry.usable = normalizer.hasBoundaryBefore(c);
        continue;
      }
      if (normalized.countChar32() != 1) continue;  // expands to several: ICU path
      const UChar32 mapped = normalized.char32At(0);
      entry.nfkc = mapped;
      entry.folded = FoldArabic(mapped);
      entry.cls = ClassOf(entry.folded);
      if (entry.folded >= 0) {
        std::int32_t length = 0;
        U8_APPEND_UNSAFE(entry.utf8, length, entry.folded);
        entry.utf8_length = static_cast<std::uint8_t>(length);
      }
      entry.boundary_before = normalizer.hasBoundaryBefore(c) && normalizer.hasBoundaryBefore(mapped);
      // A character that may interact with what precedes it is only fast when it is deleted
      // anyway and does not compose (checked per occurrence, see FastTokenize).
      entry.usable = entry.boundary_before || entry.cls == CharClass::kDeleted;
    }
    return table;
  }();
  return *kTable;
}


// Builds tokens from classified code points; shared by both paths so they cannot drift apart.
class TokenBuilder {
 public:
  void Reset() {
    size_ = 0;
    bounds_.clear();
    open_ = false;
  }
  // Makes room for `bytes` more bytes of token text (the fast path reserves for a whole text:
  // a BMP character folds to at most 1.5 times its UTF-8 length).
  void Reserve(std::size_t bytes) {
    if (size_ + bytes <= capacity_) return;
    const std::size_t capacity = std::max(capacity_ * 2, size_ + bytes);
    auto grown = std::make_unique_for_overwrite<char[]>(capacity);
    std::copy(buffer_.get(), buffer_.get() + size_, grown.get());
    buffer_ = std::move(grown);
    capacity_ = capacity;
  }
  // The ICU path: one code point at a time.
  void Add(UChar32 folded, CharClass cls) {
    if (cls == CharClass::kDeleted) return;
    char bytes[4];
    std::int32_t length = 0;
    U8_APPEND_UNSAFE(bytes, length, folded);
    Reserve(4);
    Add(bytes, static_cast<std::size_t>(length), cls);
  }
  // The fast path: the folded character's UTF-8 comes from the table; room was reserved.
  void Add(const char* utf8, std::size_t length, CharClass cls) {
    switch (cls) {
      case CharClass::kDeleted:
        return;
      case CharClass::kSeparator:
        Close();
        return;
      case CharClass::kMark:
        if (open_) Append(utf8, length);
        return;
      case CharClass::kSingleton:
        Close();
        Open();
        Append(utf8, length);
        single_ = true;
        return;
      case CharClass::kWord:
        if (open_ && single_) Close();
        if (!open_) Open();
        Append(utf8, length);
        return;
    }
  }
  const std::vector<std::string_view>& Finish(std::vector<std::string_view>* tokens) {
    Close();
    tokens->clear();
    tokens->reserve(bounds_.size());
    for (const auto& [begin, end] : bounds_) {
      tokens->emplace_back(buffer_.get() + begin, end - begin);
    }
    return *tokens;
  }

 private:
  void Append(const char* utf8, std::size_t length) {
    char* out = buffer_.get() + size_;
    out[0] = utf8[0];
    if (length > 1) {
      out[1] = utf8[1];
      if (length > 2) {
        out[2] = utf8[2];
        if (length > 3) out[3] = utf8[3];
      }
    }
    size_ += length;
  }
  void Open() {
    open_ = true;
    single_ = false;
    start_ = size_;
  }
  void Close() {
    if (!open_) return;
    bounds_.emplace_back(start_, size_);
    open_ = false;
  }
  std::unique_ptr<char[]> buffer_;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
  std::vector<std::pair<std::size_t, std::size_t>> bounds_;
  std::size_t start_ = 0;
  bool open_ = false;
  bool single_ = false;
};

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
  TokenBuilder builder;
  std::vector<std::string_view> tokens;
  icu::UnicodeString source;
  icu::UnicodeString normalized;

  // Returns false (having produced nothing usable) when the text needs the ICU path.
  bool FastTokenize(std::string_view text) {
    builder.Reset();
    builder.Reserve(text.size() + text.size() / 2 + 4);
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(text.data());
    const auto length = static_cast<std::int32_t>(text.size());
    std::int32_t i = 0;
    std::int32_t last_starter = -1;  // nfkc value of the last character with a boundary before
    while (i < length) {
      UChar32 c = bytes[i];
      if (c < 0x80) {
        ++i;
      } else {
        U8_NEXT_UNSAFE(bytes, i, c);
        if (c >= 0x10000) return false;
      }
      const FastEntry& entry = table.entries[c];
      if (!entry.usable) return false;
      if (entry.boundary_before) {
        last_starter = entry.nfkc;
      } else if (last_starter >= 0 && table.nfkc_casefold->composePair(last_starter, c) >= 0) {
        return false;  // the mark would compose with its base: let ICU decide
      }
      builder.Add(entry.utf8, entry.utf8_length, entry.cls);
    }
    return true;
  }

  void IcuTokenize(std::string_view text) {
    builder.Reset();
    source = icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<std::int32_t>(text.size())));
    UErrorCode status = U_ZERO_ERROR;
    normalized.remove();
    table.nfkc_casefold->normalize(source, normalized, status);
    if (U_FAILURE(status)) throw Error(std::string("ICU normalization failed: ") + u_errorName(status));
    for (std::int32_t i = 0; i < normalized.length();) {
      const UChar32 c = normalized.char32At(i);
      i += U16_LENGTH(c);
      const UChar32 folded = FoldArabic(c);
      builder.Add(folded, ClassOf(folded));
    }
  }
};

Tokenizer::Tokenizer() : impl_(std::make_unique<Impl>()) {}
Tokenizer::~Tokenizer() = default;

const std::vector<std::string_view>& Tokenizer::Tokenize(std::string_view text) {
  last_was_fast_ = impl_->FastTokenize(text);
  if (!last_was_fast_) impl_->IcuTokenize(text);
  return impl_->builder.Finish(&impl_->tokens);
}

const std::vector<std::string_view>& Tokenizer::TokenizeWithIcu(std::string_view text) {
  last_was_fast_ = false;
  impl_->IcuTokenize(text);
  return impl_->builder.Finish(&impl_->tokens);
}

}  // namespace neardup
