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

// Each text must give the ICU path's tokens; returns whether the fast path took it.
bool ExpectFastEqualsIcu(Tokenizer& tokenizer, const std::string& text) {
  const Words fast = Tokens(tokenizer, text);
  const bool was_fast = tokenizer.last_was_fast();
  EXPECT_EQ(fast, IcuTokens(tokenizer, text)) << "text: " << text.substr(0, 200);
  return was_fast;
}

// ASCII runs: case folding inside words, digits, punctuation and control characters between them,
// runs of every length across the 16-byte blocks the decoder works in.
TEST(Normalize, AsciiRunsOfEveryLength) {
  Tokenizer tokenizer;
  EXPECT_EQ(Tokens(tokenizer, "ABC def GhI 123abc a-b_c\td\x01" "e"),
            (Words{"abc", "def", "ghi", "123abc", "a", "b", "c", "d", "e"}));
  for (std::size_t length = 1; length < 40; ++length) {
    const std::string word(length, 'W');
    const std::string text = word + " " + word + "." + std::string(length, '7') + "\n" + word;
    EXPECT_TRUE(ExpectFastEqualsIcu(tokenizer, text));
    const Words tokens = Tokens(tokenizer, text);
    ASSERT_EQ(tokens.size(), 4u);
    EXPECT_EQ(tokens[0], std::string(length, 'w'));
  }
}

// Combining marks right after ASCII letters: those that compose (e + U+0301 -> é) and those that
// do not; the fast path must hand such texts to ICU or give its tokens.
TEST(Normalize, MarksAfterAsciiLetters) {
  Tokenizer tokenizer;
  for (const char* text : {"cafe\u0301 noir", "a\u0308b", "x\u0301", "e\u0301\u0301", "\u0301abc",
                           "n\u0303o", "a\u064Eb", "b\u0654", "Z\u20DD"}) {
    ExpectFastEqualsIcu(tokenizer, text);
  }
  EXPECT_EQ(Tokens(tokenizer, "cafe\u0301"), (Words{"caf\u00E9"}));
}

// Arabic marks that compose with their base (alef + hamza above -> alef with hamza above, which
// then folds to alef) and tashkeel that does not, also right after the first character.
TEST(Normalize, ArabicMarksThatComposeAndThatDoNot) {
  Tokenizer tokenizer;
  for (const char* text : {"\u0627\u0654", "\u0627\u064E\u0654", "\u0648\u0654\u0644", "\u064A\u0654",
                           "\u064E\u0627", "\u0628\u064E\u0651\u0652", "\u0627\u0653 \u0627\u0655",
                           "a\u0654", "\u06C1\u0654", "\u0640\u064E\u0654"}) {
    ExpectFastEqualsIcu(tokenizer, text);
  }
  EXPECT_EQ(Tokens(tokenizer, "\u0627\u0654\u062D\u0645\u062F"), (Words{"\u0627\u062D\u0645\u062F"}));
  EXPECT_TRUE(ExpectFastEqualsIcu(tokenizer, "\u0628\u064E\u0627\u0628"));  // no composition: fast
}

// Texts longer than the fast path's 4096-byte chunks: words, marks (composing or not) and
// 2- and 3-byte characters across a chunk edge, and one word longer than a chunk.
TEST(Normalize, ChunkEdgesInLongTexts) {
  Tokenizer tokenizer;
  for (std::size_t pad = 4080; pad < 4100; ++pad) {
    for (const char* tail : {"\u0627\u0654 x", "\u0628\u064E\u0651b", "\u062D\u0645\u062F \u0639\u0644",
                             "\u2026\u6DF1\u5EA6", "e\u0301", "\u0E02\u0E48\u0E32\u0E27", "\uFA6C z"}) {
      const std::string text = std::string(pad - pad / 2, 'a') + " " + std::string(pad / 2, 'b') + tail;
      ExpectFastEqualsIcu(tokenizer, text);
      std::string arabic;  // of exactly `pad` bytes
      while (arabic.size() + 9 <= pad) arabic += "\u0633\u0644\u0627\u0645 ";
      while (arabic.size() + 2 <= pad) arabic += "\u0628";
      if (arabic.size() < pad) arabic += " ";
      ExpectFastEqualsIcu(tokenizer, arabic + tail);
    }
  }
  std::string long_word;
  for (int i = 0; i < 5000; ++i) long_word += "\u0628";
  EXPECT_TRUE(ExpectFastEqualsIcu(tokenizer, "x " + long_word + " y"));
  EXPECT_EQ(Tokens(tokenizer, "x " + long_word + " y")[1], long_word);
}

// Long random texts mixing scripts (Latin, Arabic with tashkeel, CJK, Thai, presentation forms,
// zero-width characters): many chunks and SIMD blocks per text.
TEST(Normalize, FastPathEqualsIcuPathOnLongMixedText) {
  const std::vector<std::string> alphabet = {
      "The ", "news ", "AGENCY ", "2025 ", ", ", ". ", "\n", "\u0627\u0644\u062E\u0628\u0631 ",
      "\u0623\u062D\u0645\u062F ", "\u0645\u064F\u062F\u064E\u0631\u064E\u0651\u0628 ", "\u0661\u0662 ",
      "\u060C ", "\u0640", "\uFE91\uFE8E", "\u6DF1\u5EA6\u6C42\u7D22", "\u0E02\u0E32\u0E27 ", "\u00A0",
      "\u00C9t\u00E9 ", "\u2014", "\u201C", "\u201D",
      // These send a text to ICU: characters expanding to several or vanishing next to their
      // neighbours, marks that compose or reorder.
      "\u00DF", "\uFEFB", "\u2026", "\u200C", "\u00AD", "\u0627\u0654", "\u0E48"};
  std::mt19937_64 random(99);
  Tokenizer tokenizer;
  int fast_cases = 0;
  for (int trial = 0; trial < 300; ++trial) {
    std::string text;
    const std::size_t size = 1 + random() % 12000;
    const bool to_icu = trial % 3 == 0;
    while (text.size() < size) text += alphabet[random() % (alphabet.size() - (to_icu ? 0 : 7))];
    if (ExpectFastEqualsIcu(tokenizer, text)) ++fast_cases;
  }
  EXPECT_GT(fast_cases, 150);
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
