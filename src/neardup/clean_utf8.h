#pragma once
// UTF-8 validation and repair. Invalid bytes are never replaced silently: RepairUtf8 returns how
// many maximal invalid subparts it replaced with U+FFFD (the Unicode "best practice" of
// substitution, as ICU and WHATWG do), and the caller counts them per document.
// Pure functions, thread-safe.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace neardup {

// Offset of the first byte that is not part of a valid UTF-8 sequence, or npos if all are valid.
// Surrogates (U+D800..U+DFFF), overlong forms and code points above U+10FFFF are invalid.
std::size_t FindInvalidUtf8(std::string_view text);

// Appends `text` to `out` with each maximal invalid subpart replaced by U+FFFD; returns the count.
std::uint32_t RepairUtf8(std::string_view text, std::string* out);

}  // namespace neardup
