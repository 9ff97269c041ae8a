#include "neardup/normalize.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "neardup/clean_utf8.h"
#include "testing/files.h"

namespace neardup {
namespace {

std::vector<std::string> Tokens(Tokenizer& tokenizer, const std::string& text) {
  const auto& views = tokenizer.Tokenize(text);
  return {views.begin(), views.end()};
}

std::vector<std::string> IcuTokens(Tokenizer& tokenizer, const std::string& text) {
  const auto& views = tokenizer.TokenizeWithIcu(text);
  return {views.begin(), views.end()};
}

using Words = std::vector<std::string>;

TEST(Normalize, CaseFoldsAndSplitsOnPunctuation) {
  Tokenizer tokenizer;
  EXPECT_EQ(Tokens(tokenizer, "Hello, WORLD! It's 2025."), (Words{"hello", "world", "it", "s", "2025"}));
  EXPECT_TRUE(tokenizer.last_was_fast());
  EXPECT_EQ(Tokens(tokenizer, "Straße ﬁne ＡＢＣ"), (Words{"strasse", "fine", "abc"}));  // NFKC casefold
}

TEST(Normalize, ArabicFoldsTashkeelTatweelAlefYehAndDigits) {
  Tokenizer tokenizer;
  // tashkeel and tatweel vanish; hamza/madda alef forms -> bare alef; alef maqsura -> yeh;
  // Arabic-Indic and extended digits -> ASCII.
  EXPECT_EQ(Tokens(tokenizer, "مُدَرَّب"), Tokens(tokenizer, "مدرب"));
  EXPECT_EQ(Tokens(tokenizer, "الذكـــاء"), Tokens(tokenizer, "الذكاء"));
  EXPECT_EQ(Tokens(tokenizer, "أحمد إلى آخر"), (Words{"احمد", "الي", "اخر"}));
  EXPECT_EQ(Tokens(tokenizer, "٢٠٢٥ ۱۲"), (Words{"2025", "12"}));
  // Presentation forms normalize to the base letters (NFKC).
  EXPECT_EQ(Tokens(tokenizer, "ﻻ"), Tokens(tokenizer, "لا"));
}

TEST(Normalize, ScriptsWithoutSpacesNeverBecomeOneToken) {
  Tokenizer tokenizer;
  const Words chinese = Tokens(tokenizer, "深度求索发布新模型");
  EXPECT_EQ(chinese.size(), 9u);
  const Words japanese = Tokens(tokenizer, "ディープシークは新しいモデルを発表した");
  EXPECT_GE(japanese.size(), 15u);
  const Words thai = Tokens(tokenizer, "ข่าวปัญญาประดิษฐ์");
  EXPECT_GE(thai.size(), 5u);
  // Latin inside Chinese stays one word.
  const Words mixed = Tokens(tokenizer, "发布DeepSeek模型");
  EXPECT_EQ(mixed, (Words{"发", "布", "deepseek", "模", "型"}));
}

TEST(Normalize, ZeroWidthJoinersDoNotSplitWords) {
  Tokenizer tokenizer;
  EXPECT_EQ(Tokens(tokenizer, "می\u200Cخواهم"), Tokens(tokenizer, "میخواهم"));
  EXPECT_EQ(Tokens(tokenizer, "co\u00ADoperate"), (Words{"cooperate"}));
}

TEST(Normalize, FastPathEqualsIcuPathOnSeeds) {
  Tokenizer tokenizer;
  for (const char* name : {"000_db1a90299435d6ce", "001_5ef1db15b0fa6d8c", "002_dc91764ec0d952e3",
                           "003_86487315b332e9d4", "004_8d74ea292e70d4b2"}) {
    const std::string text = testing::ReadFile(std::string(NEARDUP_SOURCE_DIR) + "/corpus/" + name + ".txt");
    const Words fast = Tokens(tokenizer, text);
    EXPECT_TRUE(tokenizer.last_was_fast()) << name;
    EXPECT_EQ(fast, IcuTokens(tokenizer, text)) << name;
    EXPECT_GT(fast.size(), 100u);
  }
}

// Random strings over an alphabet that mixes ASCII, Arabic letters and marks (composing and not),
// presentation forms, CJK, Latin with combining accents, zero-width characters and emoji: the
// fast path (whenever it accepts a text) must give exactly the ICU path's tokens.
TEST(Normalize, FastPathEqualsIcuPathOnRandomMixedText) {
  const std::vector<std::string> alphabet = {
      "a", "Z", "q", "7", " ", ".", ",", "'", "-", "\n", "\t", "ا", "أ", "إ", "آ", "ى", "ي", "ة",
      "ه", "و", "ؤ", "ئ", "ء", "ل", "م", "ـ", "\u064E", "\u0651", "\u0652", "\u0653", "\u0654",
      "\u0655", "\u0670", "٣", "۵", "،", "؟", "ﻻ", "ﺍ", "ﺑ", "深", "度", "は", "カ", "ก", "\u0E48",
      "é", "e\u0301", "\u0301", "ß", "İ", "ﬁ", "½", "\u200C", "\u200D", "\u00AD", "\uFEFF", "😀",
      "\u00A0", "\u2026", "«", "Ω", "Ǆ", "\u0627\u0653", "\u0648\u0654", "\u064A\u0654"};
  std::mt19937_64 random(123);
  Tokenizer tokenizer;
  int fast_cases = 0;
  for (int trial = 0; trial < 20000; ++trial) {
    std::string text;
    const int length = 1 + static_cast<int>(random() % 24);
    for (int i = 0; i < length; ++i) text += alphabet[random() % alphabet.size()];
    const Words fast = Tokens(tokenizer, text);
    if (tokenizer.last_was_fast()) ++fast_cases;
    ASSERT_EQ(fast, IcuTokens(tokenizer, text)) << "text: " << text;
  }
  EXPECT_GT(fast_cases, 1000);  // the fast path is really exercised
}

TEST(Normalize, EmptyAndPunctuationOnlyGiveNoToken) {
  Tokenizer tokenizer;
  EXPECT_TRUE(Tokens(tokenizer, "").empty());
  EXPECT_TRUE(Tokens(tokenizer, " ... !!! ؟ ، ").empty());
  EXPECT_TRUE(Tokens(tokenizer, "ـــــ \u064E\u064F").empty());  // only tatweel and diacritics
}

TEST(Normalize, LongLineWithoutSpacesIsOneTokenNotACrash) {
  Tokenizer tokenizer;
  const std::string line(1 << 20, 'x');
  const Words tokens = Tokens(tokenizer, line);
  ASSERT_EQ(tokens.size(), 1u);
  EXPECT_EQ(tokens[0].size(), line.size());
}

TEST(CleanUtf8, FindsAndRepairsEachMaximalInvalidSubpart) {
  EXPECT_EQ(FindInvalidUtf8("plain ascii"), std::string::npos);
  EXPECT_EQ(FindInvalidUtf8("عربي"), std::string::npos);
  EXPECT_EQ(FindInvalidUtf8("ab\x80"), 2u);
  struct Case {
    std::string input;
    std::string repaired;
    std::uint32_t count;
  };
  const std::string kBad = "\xEF\xBF\xBD";
  const std::vector<Case> cases = {
      {"a\x80z", "a" + kBad + "z", 1},                  // lone continuation byte
      {"\xC0\xAF", kBad + kBad, 2},                     // overlong: C0 is never valid
      {"\xED\xA0\x80", kBad + kBad + kBad, 3},          // surrogate U+D800
      {"\xF4\x90\x80\x80", kBad + kBad + kBad + kBad, 4},  // above U+10FFFF
      {"x\xE2\x82", "x" + kBad, 1},                     // sequence cut at the end: one subpart
      {"\xFF\xFE", kBad + kBad, 2},
      {"ok é", "ok é", 0},
  };
  for (const Case& test : cases) {
    std::string out;
    EXPECT_EQ(RepairUtf8(test.input, &out), test.count);
    EXPECT_EQ(out, test.repaired);
    EXPECT_EQ(FindInvalidUtf8(out), std::string::npos);
  }
}

}  // namespace
}  // namespace neardup

namespace neardup {
namespace {

// Regression (found by fuzz_tokenizer): a BMP compatibility ideograph whose NFKC form lies outside
// the BMP (U+FA6C -> U+242EE, 4 UTF-8 bytes) takes the fast path correctly.
TEST(Normalize, BmpCharacterNormalizingOutsideTheBmp) {
  Tokenizer tokenizer;
  const Words fast = Tokens(tokenizer, "a \uFA6C b");
  EXPECT_EQ(fast, IcuTokens(tokenizer, "a \uFA6C b"));
  EXPECT_EQ(fast, (Words{"a", "\U000242EE", "b"}));
}

}  // namespace
}  // namespace neardup
