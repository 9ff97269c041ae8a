#pragma once
// JSON writing helpers for the output files. Input text is valid UTF-8 (the read stage repairs or
// rejects anything else), so output is valid UTF-8 JSON: '"', '\\' and control characters are
// escaped, everything else is copied. Numbers use the shortest round-trip form (std::to_chars).
#include <cstdint>
#include <string>
#include <string_view>

namespace neardup {

void AppendJsonString(std::string* out, std::string_view utf8);
void AppendJsonNumber(std::string* out, double value);
void AppendJsonNumber(std::string* out, std::uint64_t value);
// A similarity rounded to 6 decimals, so that outputs do not depend on floating-point noise.
void AppendJsonSimilarity(std::string* out, double value);

}  // namespace neardup
