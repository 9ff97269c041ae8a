// Tests of the clean stage (issue #3): the gold lines of the seeds, each signal on hand-made
// English, French and Arabic pages, article text that must stay, the repetition thresholds on
// generated dumps, and copy-mode results with injected boilerplate.
#include "neardup/clean_boilerplate.h"

#include <gtest/gtest.h>

#include <tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "neardup/clean_lexicon.h"
#include "neardup/clean_run.h"
#include "neardup/error.h"
#include "neardup/hash.h"
#include "neardup/normalize.h"
#include "neardup/pipeline.h"
#include "testing/files.h"
#include "neardup/read_inputs.h"
#include "neardup/shingle.h"
#include "neardup/synth_corpus.h"
#include "neardup/write_jsonl.h"
#include "testing/synth_near_dups.h"

namespace neardup {
namespace {

std::vector<std::string> SplitLinesForTest(const std::string& text) {
  std::vector<std::string> lines;
  std::string line;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' || text[i] == '\n') {
      lines.push_back(line);
      line.clear();
      if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else {
      line.push_back(text[i]);
    }
  }
  if (!line.empty()) lines.push_back(line);
  return lines;
}

bool IsBlank(const std::string& line) { return line.find_first_not_of(" \t\xC2\xA0") == std::string::npos; }

Document MakeDoc(std::string id, std::string text, std::uint64_t ordinal = 0) {
  Document doc;
  doc.id = std::move(id);
  doc.text = std::move(text);
  doc.ordinal = ordinal;
  return doc;
}

// Line number (1-based) -> reason, for the non-blank lines of `original` that `doc` removed.
std::map<std::uint32_t, std::string> RemovedLines(const Document& doc, const std::string& original) {
  const std::vector<std::string> lines = SplitLinesForTest(original);
  std::map<std::uint32_t, std::string> removed;
  for (const RemovedSpan& span : doc.removed) {
    EXPECT_LE(span.first_line, span.last_line);
    EXPECT_LE(span.last_line, lines.size());
    EXPECT_FALSE(IsBlank(lines[span.first_line - 1])) << "span starts on a blank line";
    EXPECT_FALSE(IsBlank(lines[span.last_line - 1])) << "span ends on a blank line";
    for (std::uint32_t line = span.first_line; line <= span.last_line && line <= lines.size(); ++line) {
      if (!IsBlank(lines[line - 1])) removed[line] = span.reason;
    }
  }
  return removed;
}

// Cleans `texts` as one dump; returns the removed non-blank lines of each.
std::vector<std::map<std::uint32_t, std::string>> CleanDump(const std::vector<std::string>& texts,
                                                            std::vector<Document>* cleaned = nullptr) {
  std::vector<Document> docs;
  for (std::size_t i = 0; i < texts.size(); ++i) docs.push_back(MakeDoc(std::to_string(i), texts[i], i));
  const BoilerplateCleaner cleaner(docs);
  std::vector<std::map<std::uint32_t, std::string>> removed;
  for (std::size_t i = 0; i < docs.size(); ++i) {
    cleaner.Clean(&docs[i]);
    removed.push_back(RemovedLines(docs[i], texts[i]));
  }
  if (cleaned != nullptr) *cleaned = std::move(docs);
  return removed;
}

std::map<std::uint32_t, std::string> CleanOne(const std::string& text) { return CleanDump({text})[0]; }

std::string ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// gold.json's "boilerplate_lines": id -> set of 1-based lines (ranges expanded).
std::map<std::string, std::set<std::uint32_t>> ReadGoldBoilerplate(const std::string& json) {
  std::map<std::string, std::set<std::uint32_t>> gold;
  const std::size_t start = json.find("\"boilerplate_lines\"");
  EXPECT_NE(start, std::string::npos);
  const std::size_t open = json.find('{', start);
  std::size_t close = open;
  int depth = 0;
  for (bool in_string = false; close < json.size(); ++close) {
    const char c = json[close];
    if (in_string) {
      if (c == '\\') ++close;
      if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if ((c == '}' || c == ']') && --depth == 0) {
      break;
    }
  }
  const std::string object = json.substr(open, close - open + 1);
  const std::regex entry(R"re("([0-9a-f_]+)"\s*:\s*\[((?:\s*\[\s*\d+\s*,\s*\d+\s*,\s*"[^"]*"\s*\]\s*,?)*)\s*\])re");
  const std::regex range(R"re(\[\s*(\d+)\s*,\s*(\d+))re");
  for (auto it = std::sregex_iterator(object.begin(), object.end(), entry); it != std::sregex_iterator(); ++it) {
    std::set<std::uint32_t>& lines = gold[(*it)[1].str()];
    const std::string ranges = (*it)[2].str();
    for (auto r = std::sregex_iterator(ranges.begin(), ranges.end(), range); r != std::sregex_iterator(); ++r) {
      for (std::uint32_t line = std::stoul((*r)[1].str()); line <= std::stoul((*r)[2].str()); ++line) {
        lines.insert(line);
      }
    }
  }
  return gold;
}

std::vector<Document> ReadSeeds() {
  ReadStats stats;
  return ReadInputs({NEARDUP_SOURCE_DIR "/corpus"}, ReadConfig{}, &stats);
}

TEST(CleanBoilerplate, SeedsMatchGoldLinesExactly) {
  const auto gold = ReadGoldBoilerplate(ReadWholeFile(NEARDUP_SOURCE_DIR "/corpus/gold.json"));
  ASSERT_EQ(gold.size(), 5u);
  std::vector<Document> docs = ReadSeeds();
  ASSERT_EQ(docs.size(), 5u);
  const std::vector<Document> originals = docs;
  const BoilerplateCleaner cleaner(docs);
  std::size_t true_positive = 0, false_positive = 0, false_negative = 0;
  for (std::size_t i = 0; i < docs.size(); ++i) {
    cleaner.Clean(&docs[i]);
    ASSERT_TRUE(gold.contains(docs[i].id)) << docs[i].id;
    const std::vector<std::string> lines = SplitLinesForTest(originals[i].text);
    std::set<std::uint32_t> expected;
    for (std::uint32_t line : gold.at(docs[i].id)) {
      if (!IsBlank(lines[line - 1])) expected.insert(line);
    }
    std::set<std::uint32_t> got;
    for (const auto& [line, reason] : RemovedLines(docs[i], originals[i].text)) got.insert(line);
    for (std::uint32_t line : got) (expected.contains(line) ? true_positive : false_positive) += 1;
    for (std::uint32_t line : expected) false_negative += got.contains(line) ? 0 : 1;
    EXPECT_EQ(got, expected) << docs[i].id;
  }
  ASSERT_GT(true_positive, 0u);
  const double precision = static_cast<double>(true_positive) / static_cast<double>(true_positive + false_positive);
  const double recall = static_cast<double>(true_positive) / static_cast<double>(true_positive + false_negative);
  EXPECT_EQ(precision, 1.0);
  EXPECT_EQ(recall, 1.0);
  EXPECT_EQ(true_positive, 21u);  // gold.json: 21 non-blank boilerplate lines
}

TEST(CleanBoilerplate, SeedReasonsAndCleanedText) {
  std::vector<Document> docs = ReadSeeds();
  const BoilerplateCleaner cleaner(docs);
  Document& doc = docs[2];
  ASSERT_EQ(doc.id, "002_dc91764ec0d952e3");
  cleaner.Clean(&doc);
  ASSERT_EQ(doc.removed.size(), 3u);
  EXPECT_EQ(doc.removed[0].reason, "promo");
  EXPECT_EQ(doc.removed[1].reason, "comment_block");
  EXPECT_EQ(doc.removed[2].reason, "related_block");
  EXPECT_EQ(doc.removed[2].first_line, 26u);
  EXPECT_EQ(doc.removed[2].last_line, 46u);
  // The article ends with its last paragraph; title and in-article headings stay.
  EXPECT_TRUE(doc.text.ends_with("بالأمن الاقتصادي والقومي الأميركي\"."));
  EXPECT_NE(doc.text.find("تحديات صينية\n"), std::string::npos);
  EXPECT_NE(doc.text.find("أزمة رقائق \"هواوي\""), std::string::npos);
}

TEST(CleanBoilerplate, NothingOfSeed002FurnitureReachesItsShingles) {
  std::vector<Document> docs = ReadSeeds();
  const std::string original = docs[2].text;
  const BoilerplateCleaner cleaner(docs);
  cleaner.Clean(&docs[2]);
  Tokenizer tokenizer;
  std::vector<std::uint64_t> kept;
  WordShingles(tokenizer.Tokenize(docs[2].text), 5, &kept);
  SortUnique(&kept);
  const std::vector<std::string> lines = SplitLinesForTest(original);
  std::size_t furniture_shingles = 0;
  for (std::size_t line = 22; line <= 46; ++line) {  // promo, comment widget, related block
    std::vector<std::uint64_t> shingles;
    const auto& tokens = tokenizer.Tokenize(lines[line - 1]);
    if (tokens.size() < 5) continue;
    WordShingles(tokens, 5, &shingles);
    for (std::uint64_t shingle : shingles) {
      ++furniture_shingles;
      EXPECT_FALSE(std::binary_search(kept.begin(), kept.end(), shingle)) << "line " << line;
    }
  }
  EXPECT_GT(furniture_shingles, 500u);
  // Words found only in the furniture do not reach the tokens either.
  const auto& tokens = tokenizer.Tokenize(docs[2].text);
  for (std::string_view word : {"daily8", "التعليقات", "ترامب", "ميتا", "الاقتصاديه"}) {
    EXPECT_EQ(std::count(tokens.begin(), tokens.end(), word), 0) << word;
  }
}

TEST(CleanBoilerplate, EnglishWidgetsAndTrailingRelatedBlock) {
  const std::string page =
      "Home > World > Europe\n"                                                   // 1
      "Storm floods the old harbour of Porto\n"                                   // 2
      "Share this article\n"                                                      // 3
      "Heavy rain flooded the old harbour on Monday, and the city closed the river road.\n"  // 4
      "\n"
      "Officials said the water would recede within two days.\n"                 // 6
      "Residents\n"                                                               // 7
      "Many residents spent the night with relatives, the mayor said.\n"          // 8
      "Try our new weather app for free\n"                                        // 9
      "Related stories\n"                                                         // 10
      "Reuters\n"                                                                 // 11
      "5 minutes ago\n"                                                           // 12
      "- Reuters\n"                                                               // 13
      "Markets slip as oil prices climb\n"                                        // 14
      "Leave a comment\n";                                                        // 15
  const auto removed = CleanOne(page);
  const std::map<std::uint32_t, std::string> expected = {
      {1, "navigation"},    {3, "widget_marker"},  {9, "promo"},          {10, "related_block"},
      {11, "related_block"}, {12, "related_block"}, {13, "related_block"}, {14, "related_block"},
      {15, "comment_block"}};
  EXPECT_EQ(removed, expected);
}

TEST(CleanBoilerplate, FrenchSignals) {
  const std::string page =
      "Accueil » Monde » Europe\n"                                                     // 1
      "La tempête inonde le vieux port de Marseille\n"                                 // 2
      "Publié le 12 mars 2024 à 10h30\n"                                               // 3
      "De fortes pluies ont inondé le vieux port lundi, selon la mairie.\n"            // 4
      "À lire aussi : les inondations de 2023 en chiffres\n"                           // 5
      "Les habitants ont passé la nuit chez des proches, a indiqué le maire.\n"        // 6
      "Source : AFP\n"                                                                 // 7
      "Partager\n"                                                                     // 8
      "Découvrez notre newsletter gratuite\n"                                          // 9
      "Commentaires\n"                                                                 // 10
      "Aucun commentaire pour le moment.\n";                                           // 11
  const auto removed = CleanOne(page);
  const std::map<std::uint32_t, std::string> expected = {
      {1, "navigation"},    {3, "timestamp"},     {5, "widget_marker"}, {7, "source_label"},
      {8, "widget_marker"}, {9, "promo"},         {10, "comment_block"}, {11, "comment_block"}};
  EXPECT_EQ(removed, expected);
}

TEST(CleanBoilerplate, ArabicTeaserHeaderSignals) {
  // A teaser header without any heading: label, relative time, "- label" (as in seed 002).
  const std::string page =
      "الأمطار تغمر شوارع جدة\n"                                                     // 1
      "غمرت الأمطار الغزيرة شوارع جدة أمس، وأعلنت الأمانة حالة الطوارئ في الأحياء المنخفضة.\n"  // 2
      "وقال المتحدث إن فرق الدفاع المدني تعاملت مع أكثر من مئة بلاغ خلال الليل.\n"   // 3
      "العربية\n"                                                                    // 4
      "منذ ساعة واحدة\n"                                                             // 5
      "- العربية\n"                                                                  // 6
      "المصدر: واس\n";                                                               // 7
  const auto removed = CleanOne(page);
  const std::map<std::uint32_t, std::string> expected = {
      {4, "source_label"}, {5, "timestamp"}, {6, "source_label"}, {7, "source_label"}};
  EXPECT_EQ(removed, expected);
}

TEST(CleanBoilerplate, TimestampLines) {
  const std::vector<std::string> timestamps = {
      "5 minutes ago", "Updated 2 hours ago", "March 3, 2024", "Monday 3 March 2024 10:30 GMT",
      "il y a 3 heures", "12 mars 2024", "منذ 35 دقائق", "الأحد 10 شوال 1436", "2024-03-12 10:30",
      "12/03/2024", "hace 3 horas"};
  for (const std::string& stamp : timestamps) {
    const std::string page = "A title\n" + stamp + "\nThe council met on Monday to vote on the plan.\n";
    const std::map<std::uint32_t, std::string> expected = {{2, "timestamp"}};
    EXPECT_EQ(CleanOne(page), expected) << stamp;
  }
  const std::vector<std::string> not_timestamps = {"10 days that shook the world", "In March 2024 the council met.",
                                                   "Chapter 3", "1.5", "منذ سنوات والمدينة تنتظر"};
  for (const std::string& line : not_timestamps) {
    const std::string page = "A title\n" + line + "\nThe council met on Monday to vote on the plan.\n";
    EXPECT_TRUE(CleanOne(page).empty()) << line;
  }
}

TEST(CleanBoilerplate, RelatedAndCommentWordsInsideTheArticleStay) {
  const std::vector<std::string> pages = {
      "Council approves harbour plan\n"
      "The council approved the plan after a debate about related costs.\n"
      "Comments from residents were mostly positive, the mayor said.\n"
      "Related\n"
      "The related works will start in May and last two years.\n"
      "Share prices of the builder rose 3%.\n"
      "Most read newspapers covered the vote on their front page.\n"
      "Read also the full report, which the council published online.\n"
      "He declined to comment.\n"
      "The plan was approved.\n"
      "Comments\n"
      "Residents can send comments to the council until June.\n"
      "The council will answer each of them in writing.\n"
      "The vote was the last of the session.\n"
      "Work starts in May.\n",
      "Le conseil approuve le plan du port\n"
      "Les commentaires des habitants ont été positifs, selon le maire.\n"
      "Sur le même sujet, le maire a répondu aux questions des journalistes.\n"
      "Partager les coûts entre les communes reste un défi, a-t-il ajouté.\n"
      "Les travaux commencent en mai.\n",
      "مجلس المدينة يقر خطة الميناء\n"
      "أقر المجلس الخطة بعد نقاش حول التكاليف ذات الصلة بالمشروع.\n"
      "وكانت التعليقات على الخطة إيجابية في معظمها، بحسب رئيس البلدية.\n"
      "أخبار ذات صلة بالمشروع نشرتها الصحف المحلية أمس.\n"
      "وتبدأ الأعمال في مايو.\n"};
  for (const std::string& page : pages) {
    const auto removed = CleanOne(page);
    // Only the bare "Related"/"Comments" heading lines of the first page may go (widget labels in
    // the first half, each alone); every sentence stays.
    for (const auto& [line, reason] : removed) {
      const std::string text = SplitLinesForTest(page)[line - 1];
      EXPECT_TRUE(text == "Related" || text == "Comments") << "removed: " << text << " (" << reason << ")";
    }
  }
  // With a sentence after it, a comments heading in the second half cuts to the end only when what
  // follows is furniture: here a short article's "Comments" subsection is kept entirely.
  const auto first = CleanOne(pages[0]);
  EXPECT_FALSE(first.contains(12));
  EXPECT_FALSE(first.contains(15));
}

TEST(CleanBoilerplate, ArticleStructureStays) {
  const std::string page =
      "Ten things to know about the harbour plan\n"
      "\n"
      "The council approved the plan on Monday.\n"
      "Key points\n"
      "- A new sea wall\n"
      "- Two pumping stations\n"
      "- A park on the old quay\n"
      "\"We waited twenty years for this,\" said one resident.\n"
      "Costs | Benefits\n"
      "What happens next\n"
      "Work starts in May.\n"
      "Nobody objected.\n";
  EXPECT_TRUE(CleanOne(page).empty());
}

TEST(CleanBoilerplate, NavigationCrumbsAndListsWithSeparators) {
  EXPECT_EQ(CleanOne("Title here\nHome | News | World\nBody text of the story goes here.\n"),
            (std::map<std::uint32_t, std::string>{{2, "navigation"}}));
  EXPECT_EQ(CleanOne("Title here\nالرئيسية / أخبار / محليات\nنص الخبر هنا.\n"),
            (std::map<std::uint32_t, std::string>{{2, "navigation"}}));
  // A ranked list and a URL use the same characters but are content.
  EXPECT_TRUE(CleanOne("Best films\n1. The Conformist | Bernardo Bertolucci (Italy / France)\n"
                       "2. Tristana | Luis Bunuel (France / Spain)\nhttp://www.example.org/a/b/c\n")
                  .empty());
  // The bytes the rule looks at (separators after spaces, digits, parentheses, colons) are found
  // 16 at a time: at every offset, in a line of up to 256 bytes.
  for (std::size_t offset = 0; offset < 48; offset += 1) {
    const std::string lead = std::string(offset % 12 + 1, 'h') + std::string(offset / 12, ' ');
    for (const char* separator : {" > ", " | ", " / ", " \xC2\xBB ", " \xE2\x80\xBA "}) {
      const std::string crumb = lead + "Home" + separator + "World" + separator + "Middle East";
      EXPECT_EQ(CleanOne("Title here\n" + crumb + "\nBody text of the story goes here.\n"),
                (std::map<std::uint32_t, std::string>{{2, "navigation"}}))
          << crumb;
      for (const char* content : {"7", "(", ")", ":"}) {
        for (std::size_t at : {std::size_t{0}, lead.size() + 5, crumb.size()}) {
          std::string line = crumb;
          line.insert(at, content);
          EXPECT_TRUE(
              CleanOne("Title here\n" + line + "\nBody text of the story goes here.\n").empty())
              << line;
        }
      }
    }
  }
  const std::string long_crumb = std::string(200, 'x') + " > a > b";  // one line of up to 256 bytes
  EXPECT_EQ(CleanOne("Title here\n" + long_crumb + "\nBody.\n"),
            (std::map<std::uint32_t, std::string>{{2, "navigation"}}));
}

TEST(CleanBoilerplate, RepetitionThresholdScalesWithDumpSize) {
  const CleanOptions options;
  for (std::size_t size : {5u, 40u, 12000u}) {
    const testing::SynthCorpus corpus = testing::MakeNearDuplicates(size, 0.0, 0.5, 0.9, 7 + size);
    std::vector<Document> docs;
    for (std::size_t i = 0; i < size; ++i) docs.push_back(MakeDoc(std::to_string(i), corpus.docs[i].text, i));
    const std::uint64_t expected = std::max<std::uint64_t>(
        options.min_repeat_docs,
        static_cast<std::uint64_t>(std::ceil(options.repeat_doc_fraction * static_cast<double>(size))));
    // A footer in exactly `threshold` unrelated documents is removed; one in threshold - 1 stays.
    for (std::uint64_t copies : {expected - 1, expected}) {
      std::vector<Document> dump = docs;
      for (std::uint64_t i = 0; i < copies; ++i) dump[i].text += "\nFollow the Harbour Gazette on every network\n";
      const BoilerplateCleaner cleaner(dump);
      EXPECT_EQ(cleaner.repeat_threshold(), expected) << size;
      Document first = dump[0];
      cleaner.Clean(&first);
      const bool removed = !first.removed.empty() && first.removed.back().reason == "repeated_line";
      EXPECT_EQ(removed, copies >= expected) << "size " << size << ", footer in " << copies;
      EXPECT_EQ(first.text.find("Harbour Gazette") == std::string::npos, copies >= expected);
    }
  }
}

TEST(CleanBoilerplate, CopiesOfOneArticleAreNotRepetition) {
  // Six copies of one article (a word changed in each) share all their lines; they are one
  // group, so nothing of them is "repeated", while a footer shared by three unrelated articles is.
  const testing::SynthCorpus corpus = testing::MakeNearDuplicates(4, 0.0, 0.5, 0.9, 11);
  std::vector<std::string> texts;
  for (int copy = 0; copy < 6; ++copy) {
    std::string text = "Harbour plan approved\n" + corpus.docs[0].text;
    text += "\nEdited word number " + std::string(1, static_cast<char>('a' + copy)) + " here\n";
    texts.push_back(text);
  }
  for (int other = 1; other < 4; ++other) texts.push_back(corpus.docs[other].text + "\nPrinted by the Gazette press\n");
  const auto removed = CleanDump(texts);
  for (int copy = 0; copy < 6; ++copy) EXPECT_TRUE(removed[copy].empty()) << copy;
  for (int other = 6; other < 9; ++other) {
    ASSERT_EQ(removed[other].size(), 1u) << other;
    EXPECT_EQ(removed[other].begin()->second, "repeated_line");
  }
}

// The title and lead of a story that other pages of the teaser tests carry as a teaser.
constexpr std::string_view kTeasedTitle = "Markets slip as oil prices climb for a third day";
constexpr std::string_view kTeasedLead =
    "Stock markets in Europe slipped on Tuesday as the price of crude oil climbed for a third day "
    "in a row, after producers said they would keep their output low until the end of the year "
    "and traders worried about the cost of energy for factories and households this winter.";

TEST(CleanBoilerplate, TeaserOfAnotherDocumentIsCut) {
  const std::string story_title(kTeasedTitle);
  const std::string story_lead(kTeasedLead);
  const std::string story =
      story_title + "\n" + story_lead +
      "\nAnalysts expect the central bank to keep its rates unchanged next week, while the government "
      "prepares a plan to help the households that spend the largest share of their income on heating.\n"
      "Carmakers and chemical companies led the losses in Frankfurt and Paris, where several groups "
      "warned that their margins would shrink in the last quarter because of higher input costs.\n"
      "In London the index of leading shares closed almost flat, as gains of oil and mining groups "
      "made up for the fall of retailers and airlines, which suffer most from the price of fuel.\n"
      "Bond yields rose slightly and the euro lost ground against the dollar for the second session.\n";
  const std::string article =
      "Storm floods the old harbour of Porto\n"
      "Heavy rain flooded the old harbour on Monday, and the city closed the river road for the day "
      "while firefighters pumped water out of the cellars of the houses along the quay.\n"
      "Officials said the water would recede within two days and that nobody had been hurt.\n"
      "Many residents spent the night with relatives, the mayor said on local radio in the morning.\n"
      "Reuters\n"
      "10 minutes ago\n" +
      story_title + "\n" + story_lead + "\n";
  // The same lead as the last paragraph of an article, without page furniture, is content.
  const std::string digest =
      "Briefs of the day\n"
      "The harbour of Porto reopened on Wednesday after two days of floods, the port authority said "
      "in a statement, and ships were allowed back into the river mouth in the afternoon.\n"
      "Farmers in the north asked for help after the storm destroyed part of the harvest this week.\n" +
      story_lead + "\n";
  std::vector<Document> cleaned;
  const auto removed = CleanDump({story, article, digest}, &cleaned);
  EXPECT_TRUE(removed[0].empty());
  const std::map<std::uint32_t, std::string> expected = {
      {5, "source_label"}, {6, "timestamp"}, {7, "teaser_near_duplicate"}, {8, "teaser_near_duplicate"}};
  EXPECT_EQ(removed[1], expected);
  EXPECT_TRUE(removed[2].empty());
  EXPECT_EQ(cleaned[0].text, story);  // untouched when nothing is removed
}

// The teaser search goes from a document's last line up and stops at the article's own text
// (pass 3 takes no teaser above it): a long repeated_line or a line of at most max_short_words
// words below a teaser is not that text, and the teaser is still cut; a long paragraph is.
// The story has six paragraphs: with two, the host page's teaser would be half of its 5-grams
// (exact Jaccard of the two pages 0.25), which the clean stage's 16-slot copy check takes for a
// copy (estimate >= 0.5) with probability 0.027, and the outcome would hang on the hash
// function's draw rather than on the rule tested here (at Jaccard 0.16, 0.002).
TEST(CleanBoilerplate, TeaserSearchStopsOnlyAtTheArticlesOwnText) {
  const std::string story_title(kTeasedTitle);
  const std::string story_lead(kTeasedLead);
  const std::string story =
      story_title + "\n" + story_lead +
      "\nAnalysts expect the central bank to keep its rates unchanged next week, while the "
      "government prepares a plan to help the households that spend the largest share of their "
      "income on heating.\n"
      "Carmakers and chemical companies led the losses in Frankfurt and Paris, where several "
      "groups warned that their margins would shrink in the last quarter because of higher input "
      "costs.\n"
      "In London the index of leading shares closed almost flat, as gains of oil and mining "
      "groups made up for the fall of retailers and airlines, which suffer most from the price of "
      "fuel.\n"
      "Bond yields rose slightly and the euro lost ground against the dollar for the second "
      "session, while the price of gold held close to its record of the summer months.\n"
      "Shipping companies said that freight rates on the routes from Asia had risen for a month, "
      "as insurers raised the premiums for tankers that cross the straits in the south.\n"
      "The ministers of energy of the largest producers will meet again at the start of next "
      "month, and most analysts do not expect them to change their targets before the spring.\n";
  const std::string disclaimer =
      "The views expressed in the comments below are those of their authors and do not reflect the "
      "opinion of the editors of this newspaper, who may remove any message without notice.";
  const std::string host_body =
      "Storm floods the old harbour of Porto\n"
      "Heavy rain flooded the old harbour on Monday, and the city closed the river road for the "
      "day while firefighters pumped water out of the cellars of the houses along the quay.\n"
      "Officials said the water would recede within two days and that nobody had been hurt.\n"
      "Many residents spent the night with relatives, the mayor said on local radio in the "
      "morning.\n"
      "Reuters\n"
      "10 minutes ago\n" +
      story_title + "\n" + story_lead + "\n";
  const std::string below_not_text =
      host_body +
      "Share your thoughts on this story with readers of the site\n"
      "Our newsletter brings the best stories of the week to you\n"
      "Follow the reporters of the harbour desk for news from the coast\n" +
      disclaimer + "\n";
  const std::string below_text =
      host_body +
      "Rescue teams worked through the night along the river, and the port authority said that the "
      "ferries to the islands would sail again once the water had gone down in the old harbour.\n";
  // Unrelated pages that carry the disclaimer after their lead (so that it is a repeated_line,
  // and not a teaser of their leads).
  std::vector<std::string> others;
  for (char page = 'a'; page < 'd'; ++page) {
    std::string text = std::string("Page ") + page + " of local news\n";
    for (int paragraph = 0; paragraph < 4; ++paragraph) {
      for (int word = 0; word < 40; ++word) {
        text += std::string("w") + page + static_cast<char>('a' + paragraph) +
                static_cast<char>('a' + word % 26) + static_cast<char>('a' + word / 26) +
                (word == 39 ? ".\n" : " ");
      }
    }
    others.push_back(text + disclaimer + "\n");
  }
  std::vector<std::string> texts = {story, below_not_text, below_text};
  texts.insert(texts.end(), others.begin(), others.end());
  const auto removed = CleanDump(texts);
  const std::map<std::uint32_t, std::string> cut = {{5, "source_label"},
                                                    {6, "timestamp"},
                                                    {7, "teaser_near_duplicate"},
                                                    {8, "teaser_near_duplicate"},
                                                    {12, "repeated_line"}};
  EXPECT_EQ(removed[1], cut);
  const std::map<std::uint32_t, std::string> kept = {{5, "source_label"}, {6, "timestamp"}};
  EXPECT_EQ(removed[2], kept);
}

// The benchmark generator's related-news blocks list titles of other stories under one of a few
// common headings per language ("مواضيع قد تهمك", "You may also like", ...): every line of a
// document that is another document's title is such a teaser, and all of them must be cut.
TEST(CleanBoilerplate, GeneratedRelatedBlocksAreCutInArabicAndEnglish) {
  for (const SynthLanguage language : {SynthLanguage::kArabic, SynthLanguage::kEnglish}) {
    SynthConfig config;
    config.seed = 3;
    config.target_bytes = 3u << 20;
    config.language = language;
    SynthCorpus corpus(config);
    std::vector<Document> docs;
    std::set<std::string> titles;
    SynthDocument generated;
    while (corpus.Next(&generated)) {
      docs.push_back(MakeDoc(generated.id, generated.text, docs.size()));
      titles.insert(generated.title);
    }
    const BoilerplateCleaner cleaner(docs);
    std::size_t teasers = 0, kept = 0;
    for (Document& doc : docs) {
      const std::vector<std::string> lines = SplitLinesForTest(doc.text);
      cleaner.Clean(&doc);
      std::set<std::uint32_t> removed;
      for (const RemovedSpan& span : doc.removed) {
        for (std::uint32_t line = span.first_line; line <= span.last_line; ++line) removed.insert(line);
      }
      for (std::size_t line = 1; line <= lines.size(); ++line) {
        if (titles.count(lines[line - 1]) == 0) continue;
        ++teasers;
        if (removed.count(static_cast<std::uint32_t>(line)) == 0) {
          ++kept;
          ADD_FAILURE() << doc.id << " line " << line << " kept: " << lines[line - 1];
          if (kept > 5) return;
        }
      }
    }
    EXPECT_GT(teasers, 1000u) << static_cast<int>(language);
    EXPECT_EQ(kept, 0u) << static_cast<int>(language);
  }
}

TEST(CleanBoilerplate, CopyModeWithInjectedBoilerplateMatchesCleanData) {
  const testing::SynthCorpus corpus = testing::MakeNearDuplicates(400, 0.3, 0.75, 0.95, 2024);
  const std::vector<std::string> sites = {"Harbour Gazette", "Daily Planet", "Le Petit Journal", "الوطن اليوم"};
  std::vector<Document> plain, noisy;
  for (std::size_t i = 0; i < corpus.docs.size(); ++i) {
    const std::string& site = sites[(i * 7) % sites.size()];
    const std::string& other = corpus.docs[(i + 1) % corpus.docs.size()].text;
    std::string text = "Home > " + site + " > World\n" + corpus.docs[i].text + "\nShare this article\n" +
                       "Follow " + site + " on every network\n" + "Related news\n" + site + "\n" +
                       "3 hours ago\n" + other.substr(0, other.find('\n')) + "\nComments\n";
    plain.push_back(MakeDoc(std::to_string(i), corpus.docs[i].text, i));
    noisy.push_back(MakeDoc(std::to_string(i), text, i));
  }
  PipelineConfig config;
  config.threads = 2;
  config.clean = true;
  PipelineConfig raw_config = config;
  raw_config.clean = false;
  const RunResult reference = Process(plain, raw_config, RunReport{});
  const RunResult with_clean = Process(noisy, config, RunReport{});
  const RunResult without_clean = Process(noisy, raw_config, RunReport{});
  // Ground truth: documents of one family are duplicates.
  auto pair_scores = [&](const RunResult& result) {
    std::size_t true_pairs = 0, found = 0, correct = 0;
    for (std::size_t a = 0; a < corpus.docs.size(); ++a) {
      for (std::size_t b = a + 1; b < corpus.docs.size(); ++b) {
        const bool same = corpus.docs[a].family == corpus.docs[b].family;
        const bool joined = result.clusters.representative[a] == result.clusters.representative[b];
        true_pairs += same ? 1 : 0;
        found += joined ? 1 : 0;
        correct += same && joined ? 1 : 0;
      }
    }
    return std::make_pair(found == 0 ? 1.0 : static_cast<double>(correct) / static_cast<double>(found),
                          static_cast<double>(correct) / static_cast<double>(true_pairs));
  };
  const auto [reference_precision, reference_recall] = pair_scores(reference);
  const auto [clean_precision, clean_recall] = pair_scores(with_clean);
  const auto [noisy_precision, noisy_recall] = pair_scores(without_clean);
  EXPECT_GE(clean_precision, reference_precision);
  EXPECT_GE(clean_recall, reference_recall);
  EXPECT_EQ(with_clean.clusters.representative, reference.clusters.representative);
  // The injected furniture is what cleaning removed, and it mattered without cleaning.
  EXPECT_LT(noisy_recall, reference_recall);
  for (std::size_t i = 0; i < with_clean.docs.size(); ++i) {
    EXPECT_EQ(with_clean.docs[i].text, plain[i].text) << i;
  }
}

TEST(CleanBoilerplate, CleanIsDeterministicAcrossThreads) {
  std::vector<Document> docs = ReadSeeds();
  std::vector<Document> serial = docs;
  std::vector<Document> parallel = docs;
  CleanDocuments(&serial);
  PipelineConfig config;
  config.threads = 2;
  tbb::task_arena arena(2);
  arena.execute([&] { CleanDocuments(&parallel); });
  EXPECT_EQ(CleanedRecordsJsonl(serial), CleanedRecordsJsonl(parallel));
}

// `neardup clean` (RunClean) runs the dump pass over the batches as they are read and streams its
// output in chunks built in parallel: the file must be the one-shot cleaner's records, at any
// thread count. The input spans several read batches (8 MB) and output chunks (1024 documents),
// and has boilerplate to remove, a malformed line and an empty text.
TEST(CleanRun, StreamedOutputEqualsOneShotCleaning) {
  testing::TempDir dir;
  const testing::SynthCorpus corpus = testing::MakeNearDuplicates(9000, 0.4, 0.6, 0.95, 11);
  std::string jsonl;
  for (std::size_t i = 0; i < corpus.docs.size(); ++i) {
    std::string text = corpus.docs[i].text;
    if (i % 3 == 0) text += "\n\nFollow the Harbour Gazette on every network\nComments (3)\n";
    if (i % 5 == 0) text = "Harbour Gazette > World > Asia\n" + text + "\n3 hours ago\n";
    jsonl += "{\"id\":\"d" + std::to_string(i) + "\",\"text\":";
    AppendJsonString(&jsonl, text);
    jsonl += ",\"n\":" + std::to_string(i) + "}\n";
    if (i == 4000) jsonl += "{\"id\": not json\n{\"id\":\"empty\",\"text\":\"\"}\n";
  }
  ASSERT_GT(jsonl.size(), std::size_t{12} << 20);  // the read batches are of 8 MB
  const std::string input = dir / "in.jsonl";
  testing::WriteFile(input, jsonl);
  PipelineConfig config;
  config.quiet = true;
  ReadStats stats;
  std::vector<Document> docs = ReadInputs({input}, config.read, &stats);
  ASSERT_EQ(docs.size(), corpus.docs.size() + 2);
  const CleanSummary expected_summary = CleanDocuments(&docs);
  const std::string expected = CleanedRecordsJsonl(docs);
  ASSERT_GE(expected_summary.rejected, 1u);  // the malformed line
  ASSERT_GT(expected_summary.removed_lines_by_reason.size(), 1u);
  for (const int threads : {1, 2, 4}) {
    config.threads = threads;
    const std::string output = dir / ("out" + std::to_string(threads) + ".jsonl");
    const CleanSummary summary = RunClean(config, {input}, output);
    EXPECT_TRUE(testing::ReadFile(output) == expected) << threads << " threads";
    EXPECT_EQ(summary.documents, expected_summary.documents);
    EXPECT_EQ(summary.bytes_in, expected_summary.bytes_in);
    EXPECT_EQ(summary.bytes_out, expected_summary.bytes_out);
    EXPECT_EQ(summary.removed_lines_by_reason, expected_summary.removed_lines_by_reason);
  }
}

// Clean() takes the line facts of a text the dump pass saw from that pass, and classifies the
// lines of any other text itself: the two must agree. A final newline changes the text but not
// its lines (teasers, which are found by text, are off).
TEST(CleanBoilerplate, UnseenTextIsCleanedAsTheDumpPassSawIt) {
  const std::vector<Document> docs = ReadSeeds();
  CleanOptions options;
  options.teasers = false;
  const BoilerplateCleaner cleaner(docs, options);
  std::size_t removed_spans = 0;
  for (const Document& doc : docs) {
    if (doc.rejected) continue;
    Document seen = doc;
    Document unseen = doc;
    unseen.text.push_back('\n');
    cleaner.Clean(&seen);
    cleaner.Clean(&unseen);
    ASSERT_EQ(seen.removed.size(), unseen.removed.size()) << doc.id;
    for (std::size_t i = 0; i < seen.removed.size(); ++i) {
      EXPECT_EQ(seen.removed[i].first_line, unseen.removed[i].first_line) << doc.id;
      EXPECT_EQ(seen.removed[i].last_line, unseen.removed[i].last_line) << doc.id;
      EXPECT_EQ(seen.removed[i].reason, unseen.removed[i].reason) << doc.id;
    }
    EXPECT_EQ(seen.removed.empty() ? seen.text + "\n" : seen.text, unseen.text) << doc.id;
    removed_spans += seen.removed.size();
  }
  EXPECT_GT(removed_spans, 0u);
}

// A generated dump for the batch tests: articles (a title, then paragraphs of 30 generated words;
// some families of near copies), a crumb trail on some, a footer shared by many (repeated_line),
// and on others the title and first paragraph of an unrelated article after a timestamp (a teaser)
// or of a copy of the article (no teaser: the search must tell the document's own family).
std::vector<Document> FurnishedDump(std::size_t size, std::uint64_t seed) {
  const testing::SynthCorpus corpus = testing::MakeNearDuplicates(size, 0.3, 0.6, 0.95, seed);
  std::vector<std::string> titles, firsts, articles;
  for (const testing::SynthDocument& synth : corpus.docs) {
    std::istringstream in(synth.text);
    std::vector<std::string> words;
    for (std::string word; in >> word;) words.push_back(word);
    std::string title, article;
    for (std::size_t w = 0; w < 7; ++w) title += (w > 0 ? " " : "") + words[w];
    article = title;
    std::string first;
    for (std::size_t w = 7; w < words.size(); ++w) {
      article += ((w - 7) % 30 == 0 ? "\n" : " ") + words[w];
      if (w < 37) first += (w > 7 ? " " : "") + words[w];
    }
    titles.push_back(title);
    firsts.push_back(first);
    articles.push_back(article);
  }
  std::vector<Document> docs;
  for (std::size_t i = 0; i < size; ++i) {
    std::string text = articles[i];
    if (i % 3 == 0) text = "Home > World > Europe\n" + text;
    if (i % 4 == 0) text += "\n\nFollow the Harbour Gazette on every network";
    std::size_t other = (i + 7) % size;
    if (i % 5 == 1) {  // a copy, if the article has one
      for (std::size_t j = 0; j < size; ++j) {
        if (j != i && corpus.docs[j].family == corpus.docs[i].family) other = j;
      }
    }
    if (i % 5 <= 1) text += "\n3 hours ago\n" + titles[other] + "\n" + firsts[other] + "\n";
    docs.push_back(MakeDoc(std::to_string(i), text, i));
  }
  return docs;
}

// Builds a cleaner of `docs` added in batches of the sizes of `pattern` (repeated; 0 is an empty
// batch), each batch a copy destroyed after its Add(). `bytes` receives MemoryBytes() at the end.
std::unique_ptr<BoilerplateCleaner> BuildInBatches(const std::vector<Document>& docs, CleanerMemory memory,
                                                   const std::vector<std::size_t>& pattern,
                                                   const CleanOptions& options = {},
                                                   std::uint64_t* bytes = nullptr,
                                                   const std::string& spill_dir = {}) {
  BoilerplateCleanerBuilder builder(options, memory, spill_dir);
  std::size_t begin = 0;
  for (std::size_t k = 0; begin < docs.size(); ++k) {
    const std::size_t size = std::min(pattern[k % pattern.size()], docs.size() - begin);
    const std::vector<Document> batch(docs.begin() + static_cast<std::ptrdiff_t>(begin),
                                      docs.begin() + static_cast<std::ptrdiff_t>(begin + size));
    builder.Add(batch);
    begin += size;
  }
  builder.Add({});
  if (bytes != nullptr) *bytes = builder.MemoryBytes();
  return builder.Finish();
}

std::string SpansText(const Document& doc) {
  std::string text;
  for (const RemovedSpan& span : doc.removed) {
    text += std::to_string(span.first_line) + "-" + std::to_string(span.last_line) + " " + span.reason + " " +
            std::to_string(span.content_lines) + "\n";
  }
  return text;
}

// Cleans every live document of `docs` with the one-shot cleaner and with kFast and kLean builders
// fed in several batch splits (cleaning in reverse order: Clean() depends on no order), expects
// byte-identical results, and returns the one-shot cleaner's removed spans by reason.
std::map<std::string, std::size_t> ExpectBatchedCleaningIdentical(const std::vector<Document>& docs,
                                                                  const CleanOptions& options = {}) {
  const BoilerplateCleaner reference(docs, options);
  std::vector<Document> expected;
  std::map<std::string, std::size_t> reasons;
  for (const Document& doc : docs) {
    expected.push_back(doc);
    if (doc.rejected) continue;
    reference.Clean(&expected.back());
    for (const RemovedSpan& span : expected.back().removed) ++reasons[span.reason];
  }
  const std::vector<std::vector<std::size_t>> patterns = {{1}, {0, 1, 3}, {7, 0, 50}, {docs.size()}};
  const testing::TempDir spill;
  for (const int variant : {0, 1, 2}) {  // fast, lean, lean with the line keys spilled to disk
    const CleanerMemory memory = variant == 0 ? CleanerMemory::kFast : CleanerMemory::kLean;
    for (const std::vector<std::size_t>& pattern : patterns) {
      const std::string label = std::string(variant == 0 ? "fast" : variant == 1 ? "lean" : "lean, spilled") +
                                ", batches of " + std::to_string(pattern.size() > 1 ? pattern[1] : pattern[0]);
      const std::unique_ptr<BoilerplateCleaner> cleaner =
          BuildInBatches(docs, memory, pattern, options, nullptr, variant == 2 ? spill.path() : std::string());
      EXPECT_EQ(cleaner->repeat_threshold(), reference.repeat_threshold()) << label;
      for (std::size_t i = docs.size(); i-- > 0;) {
        if (docs[i].rejected) continue;
        Document doc = docs[i];
        cleaner->Clean(&doc);
        EXPECT_EQ(doc.text, expected[i].text) << label << ", document " << docs[i].id;
        EXPECT_EQ(SpansText(doc), SpansText(expected[i])) << label << ", document " << docs[i].id;
      }
    }
  }
  return reasons;
}

TEST(CleanBoilerplateBuilder, BatchesOfTheSeedsCleanAsOneDump) {
  std::vector<Document> docs = ReadSeeds();
  const auto reasons = ExpectBatchedCleaningIdentical(docs);
  EXPECT_GT(reasons.size(), 2u);
  docs[1].rejected = RejectReason::kEmpty;
  ExpectBatchedCleaningIdentical(docs);
}

TEST(CleanBoilerplateBuilder, BatchesOfAGeneratedDumpCleanAsOneDump) {
  const std::vector<Document> docs = FurnishedDump(600, 99);
  const auto reasons = ExpectBatchedCleaningIdentical(docs);
  // The dump exercises every dump-level rule.
  EXPECT_GT(reasons.count("teaser_near_duplicate") ? reasons.at("teaser_near_duplicate") : 0, 50u);
  EXPECT_GT(reasons.count("repeated_line") ? reasons.at("repeated_line") : 0, 100u);
  EXPECT_GT(reasons.count("navigation") ? reasons.at("navigation") : 0, 100u);
  CleanOptions options;
  options.teasers = false;
  options.repeat_doc_fraction = 0.01;
  const auto without_teasers = ExpectBatchedCleaningIdentical(docs, options);
  EXPECT_EQ(without_teasers.count("teaser_near_duplicate"), 0u);
}

// "\r\n", "\r" and "\n" end a line alike (texts without '\r' take a faster line search): the
// generated dump with its line ends rewritten, all "\r\n", all "\r", or "\r\n" and "\n" in turn,
// gives the same spans and the same kept lines.
TEST(CleanBoilerplate, LineTerminatorsAreAlike) {
  const std::vector<Document> docs = FurnishedDump(300, 17);
  const auto clean = [](std::vector<Document> dump) {
    const BoilerplateCleaner cleaner(dump);
    for (Document& doc : dump) cleaner.Clean(&doc);
    return dump;
  };
  const std::vector<Document> expected = clean(docs);
  std::size_t removed_spans = 0;
  for (const Document& doc : expected) removed_spans += doc.removed.size();
  EXPECT_GT(removed_spans, 100u);
  for (const std::string_view style : {"crlf", "cr", "mixed"}) {
    std::vector<Document> variant = docs;
    for (Document& doc : variant) {
      std::string text;
      std::size_t line = 0;
      for (const char c : doc.text) {
        if (c != '\n') {
          text.push_back(c);
        } else {
          text += style == "cr" ? "\r" : style == "crlf" || line % 2 == 0 ? "\r\n" : "\n";
          ++line;
        }
      }
      doc.text = text;
    }
    const std::vector<Document> cleaned = clean(variant);
    for (std::size_t i = 0; i < docs.size(); ++i) {
      EXPECT_EQ(SpansText(cleaned[i]), SpansText(expected[i])) << style << ", document " << i;
      EXPECT_EQ(SplitLinesForTest(cleaned[i].text), SplitLinesForTest(expected[i].text))
          << style << ", document " << i;
    }
  }
}

TEST(CleanBoilerplateBuilder, RejectedDocumentsMixedIntoBatchesAreIgnored) {
  std::vector<Document> docs = FurnishedDump(400, 5);
  for (std::size_t i = 0; i < docs.size(); i += 6) docs[i].rejected = RejectReason::kEmpty;
  docs[11].rejected = RejectReason::kTooLarge;
  docs[12].rejected = RejectReason::kTooLarge;
  const auto reasons = ExpectBatchedCleaningIdentical(docs);
  EXPECT_GT(reasons.count("teaser_near_duplicate") ? reasons.at("teaser_near_duplicate") : 0, 20u);
}

TEST(CleanBoilerplateBuilder, LeanKeepsMuchLessThanFast) {
  const std::vector<Document> docs = FurnishedDump(2000, 3);
  std::uint64_t fast = 0, lean = 0;
  BuildInBatches(docs, CleanerMemory::kFast, {100}, {}, &fast);
  BuildInBatches(docs, CleanerMemory::kLean, {100}, {}, &lean);
  RecordProperty("fast_bytes_per_doc", static_cast<int>(fast / docs.size()));
  RecordProperty("lean_bytes_per_doc", static_cast<int>(lean / docs.size()));
  // Measured: 1037 B/doc kFast, 346 B/doc kLean on these short articles (60 to 300 words; the
  // gap grows with the length of documents, whose line records and body samples kLean drops).
  EXPECT_GT(lean, 0u);
  EXPECT_LT(2 * lean, fast) << "fast " << fast / docs.size() << " B/doc, lean " << lean / docs.size() << " B/doc";
}

// A lean cleaner knows documents by ordinal and text: another ordinal or another text gets no
// teaser lines (the rest of the cleaning is the same).
TEST(CleanBoilerplateBuilder, LeanFindsTeasersOnlyForDocumentsItSaw) {
  const std::vector<Document> docs = FurnishedDump(300, 17);
  const std::unique_ptr<BoilerplateCleaner> lean = BuildInBatches(docs, CleanerMemory::kLean, {64});
  std::size_t teasers = 0;
  for (const Document& doc : docs) {
    Document seen = doc;
    lean->Clean(&seen);
    const bool has_teaser = SpansText(seen).find("teaser_near_duplicate") != std::string::npos;
    if (!has_teaser) continue;
    ++teasers;
    Document other_ordinal = doc;
    other_ordinal.ordinal += 1000;
    Document other_text = doc;
    other_text.text += "\n";
    for (Document* unseen : {&other_ordinal, &other_text}) {
      lean->Clean(unseen);
      EXPECT_EQ(SpansText(*unseen).find("teaser_near_duplicate"), std::string::npos) << doc.id;
    }
  }
  EXPECT_GT(teasers, 10u);
}

TEST(CleanBoilerplateBuilder, MisuseThrows) {
  std::vector<Document> docs = FurnishedDump(10, 1);
  docs[5].ordinal = docs[4].ordinal;
  BoilerplateCleanerBuilder lean({}, CleanerMemory::kLean);
  EXPECT_THROW(lean.Add(docs), Error);
  BoilerplateCleanerBuilder lean_batches({}, CleanerMemory::kLean);
  lean_batches.Add(std::span(docs).first(5));
  EXPECT_THROW(lean_batches.Add(std::span(docs).subspan(5)), Error);
  BoilerplateCleanerBuilder fast;  // kFast finds texts by hash: ordinals may repeat
  fast.Add(docs);
  EXPECT_NE(fast.Finish(), nullptr);
  EXPECT_THROW(fast.Add(docs), Error);
  EXPECT_THROW(fast.Finish(), Error);
}

TEST(CleanLexicon, EmbeddedLexiconCoversArabicEnglishFrench) {
  const CleanLexicon lexicon;
  MatchLine line;
  std::string scratch;
  auto kind = [&](std::string_view text) {
    MatchNormalize(text, &line);
    return lexicon.Marker(line, 12, &scratch).kind;
  };
  EXPECT_EQ(kind("أخبار ذات صلة"), MarkerKind::kRelated);
  EXPECT_EQ(kind("اخبار ذات صله"), MarkerKind::kRelated);  // alef and teh marbuta folded
  EXPECT_EQ(kind("Related News"), MarkerKind::kRelated);
  EXPECT_EQ(kind("À LIRE AUSSI"), MarkerKind::kRelated);
  EXPECT_EQ(kind("Comments (12)"), MarkerKind::kComments);
  EXPECT_EQ(kind("التعليقات"), MarkerKind::kComments);
  EXPECT_EQ(kind("Commentaires"), MarkerKind::kComments);
  EXPECT_EQ(kind("Kommentare"), MarkerKind::kComments);
  EXPECT_EQ(kind("Noticias relacionadas"), MarkerKind::kRelated);
  EXPECT_EQ(kind("Related costs rose"), MarkerKind::kNone);
  MatchNormalize("Discover what our app can do for you", &line);
  EXPECT_TRUE(lexicon.IsCallToAction(line));
  MatchNormalize("Discover the old town", &line);
  EXPECT_FALSE(lexicon.IsCallToAction(line));
}

TEST(CleanLexicon, CustomLexiconAndMalformedRows) {
  const CleanLexicon lexicon("xx\trelated\tline\tZum Weiterlesen\n# comment\n", "xx\tunit\tstunde\n");
  MatchLine line;
  std::string scratch;
  MatchNormalize("zum weiterlesen:", &line);
  EXPECT_EQ(lexicon.Marker(line, 12, &scratch).kind, MarkerKind::kRelated);
  EXPECT_EQ(lexicon.TimeWord("stunde"), kTimeUnit);
  EXPECT_THROW(CleanLexicon("xx\trelated\tline\n", ""), Error);
  EXPECT_THROW(CleanLexicon("xx\tbogus\tline\tfoo\n", ""), Error);
  EXPECT_THROW(CleanLexicon("", "xx\tunit\n"), Error);
}

TEST(CleanLexicon, MatchNormalizeFoldsCaseAccentsArabicAndDigits) {
  MatchLine line;
  MatchNormalize("  Été — «Publié» le ١٢/٠٣ ", &line);
  EXPECT_EQ(line.text, "ete publie le 12 03");
  ASSERT_EQ(line.words.size(), 5u);
  EXPECT_EQ(line.numeric, (std::vector<std::uint8_t>{0, 0, 0, 1, 1}));
  MatchNormalize("أَخْبَارٌ ذاتُ صِلَة", &line);
  EXPECT_EQ(line.text, "اخبار ذات صله");
}

// MatchNormalize's tables against the code point loop: every byte and every two-byte sequence
// (valid, overlong, cut short) between words, then random byte strings biased to UTF-8 leads.
// MatchNormalize and the code point loop give the same text, words and digit flags for `text`.
// Both paths: MatchNormalize (64-byte windows where the CPU has AVX-512 VBMI2) and the 16-byte one;
// and MatchNormalizeWords, without the digit flags.
void ExpectMatchNormalizeEqualsReference(const std::string& text, MatchLine* fast, MatchLine* reference) {
  MatchNormalizeReference(text, reference);
  MatchNormalize(text, fast);
  ASSERT_EQ(fast->text, reference->text) << text;
  ASSERT_EQ(fast->numeric, reference->numeric) << text;
  ASSERT_EQ(fast->words, reference->words) << text;
  MatchNormalizeNarrow(text, fast);
  ASSERT_EQ(fast->text, reference->text) << text;
  ASSERT_EQ(fast->numeric, reference->numeric) << text;
  ASSERT_EQ(fast->words, reference->words) << text;
  MatchNormalizeWords(text, fast);
  ASSERT_EQ(fast->text, reference->text) << text;
  ASSERT_TRUE(fast->numeric.empty()) << text;
  ASSERT_EQ(fast->words, reference->words) << text;
}

TEST(CleanLexicon, MatchNormalizeEqualsReference) {
  MatchLine fast;
  MatchLine reference;
  auto check = [&](const std::string& text) {
    ExpectMatchNormalizeEqualsReference(text, &fast, &reference);
    // The text is the words joined by one space: a line's repetition key hashes it as such.
    std::string joined;
    for (std::size_t i = 0; i < fast.words.size(); ++i) {
      joined += (i > 0 ? " " : "") + std::string(fast.words[i]);
    }
    ASSERT_EQ(fast.text, joined) << text;
  };
  for (const Document& doc : ReadSeeds()) {
    for (const std::string& line : SplitLinesForTest(doc.text)) check(line);
  }
  for (int first = 0; first < 256; ++first) {
    for (int second = 0; second < 256; ++second) {
      const std::string pair{static_cast<char>(first), static_cast<char>(second)};
      check(pair);
      check("Ab1" + pair + "9x");
      check(std::string(1, static_cast<char>(first)));
    }
  }
  std::uint64_t state = 42;
  static constexpr unsigned char kBytes[] = {'a', 'Z', '5', ' ', '-', 0xC3, 0xA9, 0xD8, 0xA7, 0xD9, 0x8E,
                                             0xD9, 0xA2, 0xE2, 0x80, 0x8C, 0xF0, 0x9F, 0x98, 0x80, 0xC0, 0xFF};
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    const std::size_t length = SplitMix64(state) % 24;
    for (std::size_t i = 0; i < length; ++i) {
      const std::uint64_t r = SplitMix64(state);
      text.push_back(static_cast<char>(r % 4 == 0 ? (r >> 8) & 0xFF : kBytes[(r >> 8) % sizeof(kBytes)]));
    }
    check(text);
  }
}

// MatchNormalize's windows (16 bytes of plain characters folded at a time; 64 bytes of ASCII,
// Latin-1 and Arabic characters with AVX-512) against the code point loop: every Arabic letter,
// two-byte character of the leads C2, C3, D8, D9 and ASCII byte at every offset across the first
// window boundaries, then long random lines of mostly plain characters with others among them,
// few or many (marks, punctuation, repeated spaces, three-byte characters, stray and cut-off
// UTF-8 bytes).
TEST(CleanLexicon, MatchNormalizePlainWindowsEqualReference) {
  std::cout << "[          ] MatchNormalize takes " << (MatchNormalizeIsWide() ? "64" : "16")
            << "-byte windows on this CPU\n";
  MatchLine fast;
  MatchLine reference;
  auto check = [&](const std::string& text) { ExpectMatchNormalizeEqualsReference(text, &fast, &reference); };
  std::vector<std::string> characters;  // plain ones and their neighbours in the code chart
  for (int second = 0x80; second < 0xC0; ++second) {
    characters.push_back({'\xD8', static_cast<char>(second)});
    characters.push_back({'\xD9', static_cast<char>(second)});
    characters.push_back({'\xC2', static_cast<char>(second)});
    characters.push_back({'\xC3', static_cast<char>(second)});
  }
  for (int byte = 0x20; byte < 0x7F; ++byte) characters.emplace_back(1, static_cast<char>(byte));
  for (const std::string& character : characters) {
    for (std::size_t offset = 0; offset < 36; ++offset) {
      check(std::string(offset, 'a') + character + std::string(40, 'b'));
      // Across the 64-byte windows' first boundaries.
      check(std::string(offset + 44, 'c') + character + std::string(offset % 7, 'd'));
      check(std::string(offset + 44, 'c') + "\xD9\x8E" + character + "\xD9\x8E ." + character + std::string(70, 'e'));
      // Words of digits across the 64-byte boundaries of the word split.
      check(std::string(offset + 44, 'c') + " " + std::string(offset % 30 + 1, '7') + " x" + std::string(offset, '8'));
      check(std::string(offset + 50, '5') + character + "1 " + std::string(offset + 60, '6'));
      check(std::string(offset, 'A') + " " + character + character + " \xD8\xA9\xD8\xA9 x y");
    }
  }
  // Mostly plain characters: Arabic letters, ASCII letters and digits, single spaces.
  std::vector<std::string> plain;
  for (int second = 0xA1; second <= 0xBA; ++second)
    plain.push_back({'\xD8', static_cast<char>(second)});
  for (int second = 0x81; second <= 0x8A; ++second)
    plain.push_back({'\xD9', static_cast<char>(second)});
  for (const char* ascii : {"a", "q", "z", "A", "M", "Z", "0", "7", "9", " ", " "})
    plain.emplace_back(ascii);
  const std::vector<std::string> others = {"\xD9\x8E",
                                           "\xD9\x91",
                                           "\xD9\x80",
                                           "\xD8\x8C",
                                           "\xD9\xA3",
                                           "\xD8\xA0",
                                           "\xD8\xBB",
                                           "\xD9\x8B",
                                           "\xD9\xB1",
                                           ",",
                                           ".",
                                           "  ",
                                           "-",
                                           "\xC3\x89",
                                           "\xE2\x80\x94",
                                           "\xE2\x80\x8C",
                                           "\xF0\x9F\x98\x80",
                                           "\xD8",
                                           "\xD9",
                                           "\xA7",
                                           "\xE2\x80",
                                           "\xFF",
                                           std::string(1, '\0'),
                                           "\xC2\xAB",
                                           "\xC2\xBB",
                                           "\xC2",
                                           "\xC3\x80",
                                           "(",
                                           "\"",
                                           ":"};
  std::uint64_t state = 7;
  // One other character in 16, then one in 4: several in a window, whose plain runs between them
  // MatchNormalize takes from the window's folds.
  for (const std::uint64_t one_in : {16, 4, 2}) {
    for (int round = 0; round < 20000; ++round) {
      std::string text;
      const std::size_t characters_in_line = SplitMix64(state) % 200;
      for (std::size_t i = 0; i < characters_in_line; ++i) {
        const std::uint64_t r = SplitMix64(state);
        text += r % one_in == 0 ? others[(r >> 8) % others.size()] : plain[(r >> 8) % plain.size()];
      }
      check(text);
    }
  }
}

}  // namespace
}  // namespace neardup
