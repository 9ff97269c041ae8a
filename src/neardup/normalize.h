#pragma once
// Normalize and tokenize: text -> the tokens every later stage sees.
// Definition (the ICU path, which is the reference): NFKC_Casefold (ICU), then the Arabic folds
// ICU does not do (FoldArabic), then tokens = maximal runs of letters and digits (Unicode
// properties, combining marks extend a token); every character of a script written without spaces
// (Han, Hiragana, Katakana, Thai, Lao, Khmer, Myanmar, Tibetan, Yi) is a token of its own, so
// such text never becomes one giant token. Everything else separates tokens.
// The fast path gives the same tokens without ICU calls for text whose characters normalize one by
// one (ASCII, Arabic, most of the BMP); tests compare it with the ICU path.
// A Tokenizer is per thread (it holds ICU state and buffers); the tables it uses are immutable
// and shared. Input must be valid UTF-8 (clean_utf8.h). Returned views live until the next call.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace neardup {

// The Arabic folds applied after NFKC_Casefold: tashkeel, Quranic marks and tatweel are deleted
// (returns -1); alef with hamza/madda and alef wasla -> alef; alef maqsura -> yeh; Arabic-Indic
// and extended Arabic-Indic digits -> ASCII digits. Other code points are returned unchanged.
std::int32_t FoldArabic(std::int32_t code_point);

class Tokenizer {
 public:
  Tokenizer();
  ~Tokenizer();
  Tokenizer(const Tokenizer&) = delete;
  Tokenizer& operator=(const Tokenizer&) = delete;

  // Tokens of `text` (valid UTF-8), in order; views into an internal buffer.
  const std::vector<std::string_view>& Tokenize(std::string_view text);
  // The same through the ICU path only (the reference the fast path is tested against).
  const std::vector<std::string_view>& TokenizeWithIcu(std::string_view text);
  // Whether the last Tokenize call took the fast path (for tests and benchmarks).
  bool last_was_fast() const { return last_was_fast_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  bool last_was_fast_ = false;
};

}  // namespace neardup
