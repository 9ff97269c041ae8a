#include "neardup/story_terms.h"

#include <gtest/gtest.h>

#include "neardup/hash.h"
#include "neardup/synth_corpus.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace neardup {
namespace {

class StoryTermsTest : public ::testing::Test {
 protected:
  std::vector<TermCount> Terms(const std::string& text) {
    std::vector<TermCount> out;
    extractor_.Extract(text, &out);
    return out;
  }
  // The single term of a one-term text.
  TermCount Only(const std::string& text) {
    const std::vector<TermCount> terms = Terms(text);
    EXPECT_EQ(terms.size(), 1u) << text;
    return terms.empty() ? TermCount{} : terms[0];
  }
  // The term of `word` as it occurs inside `text`.
  TermCount Find(const std::string& text, const std::string& word) {
    const std::uint64_t hash = Only(word).hash;
    for (const TermCount& term : Terms(text)) {
      if (term.hash == hash) return term;
    }
    ADD_FAILURE() << word << " not found in " << text;
    return {};
  }

  // The term with hash `hash` in `text`.
  TermCount FindHash(const std::string& text, std::uint64_t hash) {
    for (const TermCount& term : Terms(text)) {
      if (term.hash == hash) return term;
    }
    ADD_FAILURE() << "term not found in " << text;
    return {};
  }

  StoryLexicon lexicon_;
  StoryTermExtractor extractor_{lexicon_};
};

TEST_F(StoryTermsTest, StopwordsAndShortTokensAreDropped) {
  EXPECT_TRUE(Terms("قال إن في من على هو وهو فإن").empty());
  EXPECT_TRUE(Terms("the and of it said according to").empty());
  EXPECT_TRUE(Terms("a b c 7 ب").empty());
  EXPECT_EQ(Terms("قال إن الشركة في").size(), 1u);
}

TEST_F(StoryTermsTest, InflectedFormsShareOneTerm) {
  EXPECT_EQ(Only("الشركات").hash, Only("للشركة").hash);
  EXPECT_EQ(Only("والرقائق").hash, Only("رقائق").hash);
  EXPECT_EQ(Only("models").hash, Only("model").hash);
  EXPECT_EQ(Only("delayed").hash, Only("delay").hash);
  EXPECT_NE(Only("الشركات").hash, Only("الرقائق").hash);
}

TEST_F(StoryTermsTest, CountsRepeats) {
  const std::vector<TermCount> terms = Terms("هواوي هواوي وهواوي رقائق");
  ASSERT_EQ(terms.size(), 2u);
  EXPECT_EQ(Find("هواوي هواوي وهواوي رقائق", "هواوي").count, 3u);
  EXPECT_TRUE(std::is_sorted(terms.begin(), terms.end(),
                             [](const TermCount& a, const TermCount& b) { return a.hash < b.hash; }));
}

TEST_F(StoryTermsTest, PinningTokensAreBoosted) {
  const std::string arabic = "أعلنت الشركة عن معالج Ascend ونموذج R2 بقيمة 3 مليارات دولار";
  EXPECT_FLOAT_EQ(Find(arabic, "الشركة").boost, 1.0f);
  EXPECT_FLOAT_EQ(Find(arabic, "ascend").boost, kBoostLatinInArabic);  // Latin name in Arabic text
  EXPECT_FLOAT_EQ(Find(arabic, "R2").boost, kBoostCode);
  // "number unit" is one term (the number and its normalized unit word), besides the unit itself.
  EXPECT_FLOAT_EQ(FindHash(arabic, Hash64("3 مليارات", kStoryTermSeed)).boost, kBoostNumberUnit);
  const std::string english = "Officials said the chips from Huawei were delayed by 15 million units.";
  EXPECT_FLOAT_EQ(Find(english, "huawei").boost, kBoostName);        // capitalized mid-sentence
  EXPECT_FLOAT_EQ(Find(english, "officials").boost, 1.0f);          // capitalized at sentence start
  EXPECT_FLOAT_EQ(Find(english, "chips").boost, 1.0f);               // Latin in Latin text: no boost
  EXPECT_FLOAT_EQ(FindHash(english, Hash64("15 million", kStoryTermSeed)).boost, kBoostNumberUnit);
  EXPECT_FLOAT_EQ(FindHash(english, Hash64("15", kStoryTermSeed)).boost, 1.0f);
  const std::string quoted = "أرسلت \"هواوي\" فريقا من المهندسين وفق «فاينانشال تايمز» اليوم";
  EXPECT_FLOAT_EQ(Find(quoted, "هواوي").boost, kBoostQuoted);
  EXPECT_FLOAT_EQ(Find(quoted, "تايمز").boost, kBoostQuoted);
  EXPECT_FLOAT_EQ(Find(quoted, "المهندسين").boost, 1.0f);
}

TEST_F(StoryTermsTest, LongQuotationsAreNotNames) {
  const std::string text = "قال \"إن الشركة ستطلق النموذج الجديد في الأسابيع المقبلة\" للصحفيين";
  EXPECT_FLOAT_EQ(Find(text, "الشركة").boost, 1.0f);
}

TEST_F(StoryTermsTest, LatinLanguageChoosesTheStemmer) {
  // Snowball French stems "sociétés" to "societ", English to "société"; the document's stopwords
  // decide which one applies.
  auto has = [&](const std::string& text, const std::string& stem) {
    const std::uint64_t hash = Hash64(stem, kStoryTermSeed);
    const std::vector<TermCount> terms = Terms(text);
    return std::any_of(terms.begin(), terms.end(), [&](const TermCount& t) { return t.hash == hash; });
  };
  EXPECT_TRUE(has("les sociétés de la région et le marché", "societ"));
  EXPECT_TRUE(has("the sociétés of the region and the market", "société"));
  EXPECT_TRUE(has("the markets of the region", "market"));
}

TEST_F(StoryTermsTest, SurfacesAreTheMostFrequentForm) {
  const std::string text = "الشركات الشركة الشركة Nvidia";
  const auto surfaces = extractor_.Surfaces(text);
  ASSERT_EQ(surfaces.size(), 2u);
  for (const auto& [hash, surface] : surfaces) {
    if (hash == Only("الشركة").hash) {
      EXPECT_EQ(surface, "الشركة");
    } else {
      EXPECT_EQ(hash, Only("nvidia").hash);
      EXPECT_EQ(surface, "nvidia");
    }
  }
}

TEST_F(StoryTermsTest, WantedSurfacesAreTheFilteredSurfaces) {
  const std::string text =
      "والشركة الشركة وللشركة للشركة الشركات Nvidia's nvidia NVIDIA 5 km 5 كم R2 «هواوي» \"Huawei\" "
      "the markets market marketing of the region, said Ahmed.";
  const auto all = extractor_.Surfaces(text);
  ASSERT_GE(all.size(), 6u);
  std::vector<std::uint64_t> wanted;
  std::vector<std::pair<std::uint64_t, std::string>> expected;
  for (std::size_t i = 0; i < all.size(); i += 2) {
    wanted.push_back(all[i].first);
    expected.push_back(all[i]);
  }
  wanted.push_back(12345);  // not a term of the text
  std::reverse(wanted.begin(), wanted.end());
  EXPECT_EQ(extractor_.Surfaces(text, wanted), expected);
  EXPECT_TRUE(extractor_.Surfaces(text, {}).empty());
}

// The token cache is exact: generated news in each language (repeated tokens, evicted slots,
// Latin stems in several languages) gives the same terms with and without it.
TEST(StoryTermExtractor, TokenCacheDoesNotChangeTerms) {
  const StoryLexicon lexicon;
  StoryTermExtractor cached(lexicon);
  StoryTermExtractor reference(lexicon, /*cache_tokens=*/false);
  std::vector<TermCount> a, b;
  for (const SynthLanguage language :
       {SynthLanguage::kArabic, SynthLanguage::kEnglish, SynthLanguage::kMixed}) {
    SynthConfig config;
    config.language = language;
    config.target_bytes = 400'000;
    for (const Document& doc : SynthDocuments(config)) {
      cached.Extract(doc.text, &a);
      reference.Extract(doc.text, &b);
      ASSERT_EQ(a.size(), b.size()) << doc.id;
      for (std::size_t i = 0; i < a.size(); ++i) {
        ASSERT_EQ(a[i].hash, b[i].hash) << doc.id;
        ASSERT_EQ(a[i].count, b[i].count) << doc.id;
        ASSERT_EQ(a[i].boost, b[i].boost) << doc.id;
      }
    }
  }
}

TEST(StoryIdf, DecreasesWithDocumentFrequencyAndStaysPositive) {
  EXPECT_NEAR(StoryIdf(1, 5), std::log(4.0), 1e-12);
  EXPECT_NEAR(StoryIdf(5, 5), std::log(1.0 + 0.5 / 5.5), 1e-12);
  for (std::uint64_t df = 1; df < 1000; ++df) {
    EXPECT_GT(StoryIdf(df, 1000), StoryIdf(df + 1, 1000));
    EXPECT_GT(StoryIdf(df + 1, 1000), 0.0);
  }
  const TermCount term{1, 4, 2.0f};
  EXPECT_NEAR(StoryWeight(term, 0.5), 2.0 * (1.0 + std::log(4.0)) * 0.5, 1e-6);
}

}  // namespace
}  // namespace neardup
