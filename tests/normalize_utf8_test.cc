#include "neardup/normalize_utf8.h"

#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <unicode/utf8.h>

namespace neardup {
namespace {

// The definition: ICU's decoder, one character at a time, up to the first outside the BMP.
std::u16string ReferenceUnits(const std::string& text, std::size_t* bytes) {
  std::u16string units;
  std::int32_t i = 0;
  const auto length = static_cast<std::int32_t>(text.size());
  while (i < length) {
    const std::int32_t start = i;
    UChar32 c = 0;
    U8_NEXT(text.data(), i, length, c);
    if (c >= 0x10000) {
      i = start;
      break;
    }
    units.push_back(static_cast<char16_t>(c));
  }
  *bytes = static_cast<std::size_t>(i);
  return units;
}

struct Decoded {
  std::size_t bytes;
  std::u16string units;
};

// Decodes `text` placed at `offset` bytes into a buffer (so that blocks fall at every alignment),
// with the output buffer pre-filled with garbage.
Decoded Decode(const std::string& text, std::size_t offset, bool portable) {
  std::string placed(offset, 'x');
  placed += text;
  const std::string_view view = std::string_view(placed).substr(offset);
  std::vector<char16_t> out(text.size() + kDecodeBmpSlack, u'\uFFFF');
  const DecodedBmp decoded =
      portable ? DecodeBmpPortable(view, out.data()) : DecodeBmp(view, out.data());
  return {decoded.bytes, std::u16string(out.data(), decoded.units)};
}

void ExpectDecodes(const std::string& text) {
  std::size_t bytes = 0;
  const std::u16string expected = ReferenceUnits(text, &bytes);
  for (std::size_t offset = 0; offset < 4; ++offset) {
    for (const bool portable : {false, true}) {
      const Decoded got = Decode(text, offset, portable);
      ASSERT_EQ(got.bytes, bytes) << "portable " << portable << " offset " << offset
                                  << " text: " << text;
      ASSERT_EQ(got.units, expected)
          << "portable " << portable << " offset " << offset << " text: " << text;
    }
  }
}

TEST(DecodeBmp, EmptyAsciiAndShortTexts) {
  ExpectDecodes("");
  ExpectDecodes("a");
  ExpectDecodes("Hello, World! 0123456789");
  ExpectDecodes(std::string(100, 'Q'));
}

// Block edges: a 2-byte character whose lead is the last byte of a 16-byte block, 3-byte
// characters straddling a block edge, blocks of only continuation-heavy text.
TEST(DecodeBmp, CharactersAcrossBlockEdges) {
  for (std::size_t ascii = 0; ascii < 20; ++ascii) {
    ExpectDecodes(std::string(ascii, 'a') + "عربي" + std::string(ascii, 'b'));
    ExpectDecodes(std::string(ascii, 'a') + "\u2026" + "ب" + std::string(ascii, 'c'));
    ExpectDecodes(std::string(ascii, 'a') + "\uFEFF\u200C" + "é");
  }
  std::string arabic;
  for (int i = 0; i < 40; ++i) arabic += "سلام ";
  ExpectDecodes(arabic);
}

TEST(DecodeBmp, StopsBeforeTheFirstCharacterOutsideTheBmp) {
  for (std::size_t ascii = 0; ascii < 40; ++ascii) {
    const std::string before = std::string(ascii, 'a') + "ص";
    const std::string text = before + "\U0001F600" + "after";
    const Decoded got = Decode(text, 0, false);
    EXPECT_EQ(got.bytes, before.size());
    EXPECT_EQ(got.units.size(), ascii + 1);
    ExpectDecodes(text);
  }
}

// Random valid UTF-8 over characters of every length, of 0 to 100 characters.
TEST(DecodeBmp, SimdEqualsPortableAndIcuOnRandomText) {
  const std::vector<std::string> alphabet = {
      "a",  "Z",      " ",      "7",      "\n",         "\x7F",      "\u0080",
      "é",  "\u07FF", "ا",      "ة",      "\u064E",     "\u0800",    "\u2026",
      "深", "\uFEFF", "\uFFFD", "\uFFFF", "\U00010000", "\U0001F600"};
  std::mt19937_64 random(7);
  for (int trial = 0; trial < 20000; ++trial) {
    std::string text;
    const int length = static_cast<int>(random() % 101);
    const bool supplementary = random() % 4 == 0;
    for (int i = 0; i < length; ++i) {
      const std::size_t pick = random() % (supplementary ? alphabet.size() : alphabet.size() - 2);
      text += alphabet[pick];
    }
    ExpectDecodes(text);
  }
}

}  // namespace
}  // namespace neardup
