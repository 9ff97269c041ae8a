#pragma once
// Arabic light stemmer of the Light10 family (Larkey, Ballesteros & Connell, "Light Stemming for
// Arabic Information Retrieval", in Arabic Computational Morphology, Springer 2007).
// Input: one token already normalized by the Tokenizer (NFKC_Casefold + FoldArabic: no tashkeel,
// no tatweel, alef variants -> alef, alef maqsura -> yeh). Steps, as in Light10: final teh marbuta
// -> heh; a leading waw is removed when 3+ letters remain; one definite article of
// {wal, bal, kal, fal, al, ll} is removed when 2+ letters remain; then each suffix of
// {ha, an, at, wn, yn, yh, h, y} is tried once, in that order, and removed when 2+ letters remain.
// A token that is not entirely Arabic letters is returned unchanged. Pure function; thread-safe.
#include <string>
#include <string_view>

namespace neardup {

// Writes the stem of `token` into `*out` (cleared first; reused buffers do not allocate).
void StemArabic(std::string_view token, std::string* out);

// The stem of `word`, which must satisfy IsArabicWord: a view into `word` when the stem is a
// part of it, else into `*buffer` (only a final teh marbuta kept as heh needs one). Valid while
// both are unchanged.
std::string_view StemArabicWord(std::string_view word, std::string* buffer);

// Whether every character of `token` is an Arabic letter (U+0621..U+064A, U+0671..U+06D3).
bool IsArabicWord(std::string_view token);

}  // namespace neardup
