#include "neardup/write_jsonl.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace neardup {
namespace {

// Reference: one byte at a time, RFC 8259 escapes for '"', '\\' and control characters.
std::string ReferenceEscape(const std::string& text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (unsigned char c : text) {
    if (c == '"') {
      out += "\\\"";
    } else if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20) {
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

TEST(WriteJsonl, StringEscapingMatchesReferenceOnRandomText) {
  std::mt19937_64 random(4);
  using std::string_literals::operator""s;
  const std::string alphabet = "ab \"\\\n\r\t\x01\x1f\x7f\0"s + "\xd8\xa7\xe4\xb8\xad";
  for (int trial = 0; trial < 5000; ++trial) {
    std::string text;
    const std::size_t length = random() % 80;  // crosses the 16-byte blocks of the fast path
    for (std::size_t i = 0; i < length; ++i) text += alphabet[random() % alphabet.size()];
    std::string out;
    AppendJsonString(&out, text);
    ASSERT_EQ(out, ReferenceEscape(text)) << "trial " << trial;
  }
  std::string nul;
  AppendJsonString(&nul, std::string_view("a\0b", 3));
  EXPECT_EQ(nul, "\"a\\u0000b\"");
}

TEST(WriteJsonl, SimilaritiesAreRoundedToSixDecimals) {
  std::string out;
  AppendJsonSimilarity(&out, 0.123456789);
  EXPECT_EQ(out, "0.123457");
  out.clear();
  AppendJsonSimilarity(&out, 1.0);
  EXPECT_EQ(out, "1");
}

}  // namespace
}  // namespace neardup
