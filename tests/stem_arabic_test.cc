#include "neardup/stem_arabic.h"

#include <gtest/gtest.h>

#include <string>

#include "neardup/normalize.h"

namespace neardup {
namespace {

// Stems the Tokenizer's normalized form of `word`, as story mode does.
std::string Stem(const std::string& word) {
  Tokenizer tokenizer;
  const auto& tokens = tokenizer.Tokenize(word);
  EXPECT_EQ(tokens.size(), 1u) << word;
  std::string out;
  StemArabic(tokens.empty() ? std::string_view() : tokens[0], &out);
  return out;
}

// Worked examples of Light10's steps (Larkey et al. 2007): waw, articles, suffixes, length guards.
TEST(StemArabic, Light10Steps) {
  EXPECT_EQ(Stem("والكتاب"), "كتاب");   // waw, then the article al
  EXPECT_EQ(Stem("بالنموذج"), "نموذج");  // article bal
  EXPECT_EQ(Stem("للشركات"), "شرك");    // article ll, suffix at
  EXPECT_EQ(Stem("المكتبة"), "مكتب");    // teh marbuta -> heh, article, suffix h
  EXPECT_EQ(Stem("نموذجها"), "نموذج");   // suffix ha
  EXPECT_EQ(Stem("مهندسين"), "مهندس");   // suffix yn
  EXPECT_EQ(Stem("المطورون"), "مطور");   // article, suffix wn
  EXPECT_EQ(Stem("الصينية"), "صين");     // article, suffix yh (from yh-teh marbuta), then nothing
}

TEST(StemArabic, LengthGuardsKeepShortWords) {
  EXPECT_EQ(Stem("وهو"), "وهو");  // waw kept: only 2 letters would remain
  EXPECT_EQ(Stem("في"), "في");
  EXPECT_EQ(Stem("الم"), "الم");  // article kept: 1 letter would remain
  EXPECT_EQ(Stem("بنه"), "بن");   // a suffix goes when exactly 2 letters remain
  EXPECT_EQ(Stem("به"), "به");    // ...and stays when only 1 would
}

TEST(StemArabic, ConflatesInflectedForms) {
  EXPECT_EQ(Stem("الشركة"), Stem("شركات"));
  EXPECT_EQ(Stem("الرقائق"), Stem("رقائق"));
  EXPECT_EQ(Stem("والمهندسين"), Stem("مهندس"));
  EXPECT_EQ(Stem("بالصين"), Stem("الصين"));
}

TEST(StemArabic, NonArabicTokensAreUnchanged) {
  std::string out;
  StemArabic("deepseek", &out);
  EXPECT_EQ(out, "deepseek");
  StemArabic("r2", &out);
  EXPECT_EQ(out, "r2");
  EXPECT_FALSE(IsArabicWord("r2"));
  EXPECT_FALSE(IsArabicWord("\xD9\xA1"));  // Arabic-Indic digit one: not a letter
  EXPECT_TRUE(IsArabicWord("\xD8\xB4\xD8\xB1\xD9\x83\xD8\xA9"));
  EXPECT_FALSE(IsArabicWord(""));
}

}  // namespace
}  // namespace neardup
