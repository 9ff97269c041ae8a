#pragma once
// UTF-8 to code points for the normalize stage's fast path (normalize.cc): the characters of valid
// UTF-8 as UTF-16 code units, as far as they lie in the BMP (so one unit each). With SSSE3 (checked
// at run time) 16 bytes at a time, characters of three or four bytes one at a time; without, the
// portable loop, one character at a time. Both give the same units (tests compare them). Pure
// functions, thread-safe.
#include <cstddef>
#include <string_view>

namespace neardup {

// Units DecodeBmp may write past those it reports (blocks are stored whole).
inline constexpr std::size_t kDecodeBmpSlack = 16;

struct DecodedBmp {
  // Bytes of the text decoded: all of them, or those before its first character outside the BMP.
  std::size_t bytes = 0;
  std::size_t units = 0;  // code points written, one per character
};

// Decodes `text` (valid UTF-8 that starts at a character) into `out`, which has room for
// text.size() + kDecodeBmpSlack units, up to the end or the first character outside the BMP.
DecodedBmp DecodeBmp(std::string_view text, char16_t* out);
// The same one character at a time (the reference the SIMD path is tested against).
DecodedBmp DecodeBmpPortable(std::string_view text, char16_t* out);

}  // namespace neardup
