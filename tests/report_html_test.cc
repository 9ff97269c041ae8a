// Tests of the HTML cluster report (issue #7) on hand-made dedup output folders built from the
// seeds (the FT cluster {000, 002, 003} with 002's related-news block removed), and on real runs.
// The browser test (tests/browser/report_chromium.sh) checks the same page rendered by Chromium.
#include "neardup/report_html.h"

#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "neardup/error.h"

#include "testing/files.h"

namespace neardup {
namespace {

using testing::ReadFile;
using testing::RunCommand;
using testing::TempDir;
using testing::WriteFile;

const std::string kSeeds = std::string(NEARDUP_SOURCE_DIR) + "/corpus";
constexpr const char* kFt0 = "000_db1a90299435d6ce";
constexpr const char* kFt2 = "002_dc91764ec0d952e3";
constexpr const char* kFt3 = "003_86487315b332e9d4";

// Two copies of a Latin-script document whose text is markup: it must show as text.
constexpr const char* kEscapeText =
    "Breaking: <script>alert(\\\"xss\\\")</script> and </script><!-- a \\\"quoted\\\" & 'single' "
    "story about markup in scraped pages, copied word for word by a second site today.";

std::string EscapeJsonl() {
  return std::string("{\"id\":\"esc-1\",\"text\":\"") + kEscapeText +
         "\"}\n{\"id\":\"esc-2\",\"text\":\"" + kEscapeText + "\"}\n";
}

std::string DecisionLine(const std::string& id, const std::string& source,
                         const std::string& decision, const std::string& cluster,
                         const std::string& duplicate_of, const std::string& similarity,
                         const std::string& removed = "[]") {
  return "{\"id\":\"" + id + "\",\"source\":\"" + source + "\",\"decision\":\"" + decision +
         "\",\"cluster\":" + cluster + ",\"duplicate_of\":" + duplicate_of +
         ",\"similarity\":" + similarity +
         ",\"reason\":null,\"detail\":null,\"removed\":" + removed + "}\n";
}

// A dedup output folder as story mode will write it for the seeds plus the escape fixture.
struct Fixture {
  TempDir temp;
  std::string outdir = temp / "out";
  std::string escape_input = temp / "escape.jsonl";

  Fixture() {
    std::filesystem::create_directory(outdir);
    WriteFile(escape_input, EscapeJsonl());
    const std::string seed = kSeeds + "/";
    std::string decisions;
    decisions += DecisionLine(kFt0, seed + kFt0 + ".txt", "kept", "0", "null", "null",
                              "[{\"first_line\":7,\"last_line\":7,\"reason\":\"comment_widget\"}]");
    decisions += DecisionLine("001_5ef1db15b0fa6d8c", seed + "001_5ef1db15b0fa6d8c.txt", "kept",
                              "null", "null", "null");
    decisions += DecisionLine(kFt2, seed + kFt2 + ".txt", "duplicate", "0",
                              "\"000_db1a90299435d6ce\"", "0.412",
                              "[{\"first_line\":22,\"last_line\":23,\"reason\":\"promo\"},"
                              "{\"first_line\":26,\"last_line\":46,\"reason\":\"related_block\"}]");
    decisions += DecisionLine(kFt3, seed + kFt3 + ".txt", "duplicate", "0",
                              "\"000_db1a90299435d6ce\"", "0.375");
    decisions += DecisionLine("004_8d74ea292e70d4b2", seed + "004_8d74ea292e70d4b2.txt", "kept",
                              "null", "null", "null");
    decisions += DecisionLine("esc-1", escape_input + ":1", "kept", "1", "null", "null");
    decisions += DecisionLine("esc-2", escape_input + ":2", "duplicate", "1", "\"esc-1\"", "1");
    WriteFile(outdir + "/decisions.jsonl", decisions);
    WriteFile(outdir + "/clusters.jsonl",
              "{\"cluster\":0,\"representative\":\"000_db1a90299435d6ce\",\"docs\":[\"000_"
              "db1a90299435d6ce\","
              "\"002_dc91764ec0d952e3\",\"003_86487315b332e9d4\"],\"min_similarity\":0.375,"
              "\"shared_terms\":[\"هواوي\",\"Ascend\",\"إنفيديا\"]}\n"
              "{\"cluster\":1,\"representative\":\"esc-1\",\"docs\":[\"esc-1\",\"esc-2\"],\"min_"
              "similarity\":1}\n");
    WriteFile(outdir + "/cleaned.jsonl",
              std::string("{\"id\":\"esc-1\",\"text\":\"CLEANED ") + kEscapeText + "\"}\n");
    WriteFile(outdir + "/report.json",
              "{\n  \"counts\": {\"read\": 7, \"kept\": 4, \"duplicate\": 3, \"rejected\": 0, "
              "\"clusters\": 2, "
              "\"checked\": true},\n  \"rejected_by_reason\": {},\n  \"removed_lines_by_reason\": "
              "{\"comment_widget\": 1, \"promo\": 2, \"related_block\": 21},\n  \"input\": "
              "{\"paths\": [\"" +
                  kSeeds + "\", \"" + escape_input +
                  "\"], \"text_field\": \"text\", \"id_field\": \"id\", \"files\": 6, \"bytes\": "
                  "36600},\n"
                  "  \"parameters\": {\"mode\": \"story\", \"threshold\": 0.3, \"ngram\": 5, "
                  "\"shingle\": \"word\"},\n"
                  "  \"stages\": [{\"stage\": \"read\", \"seconds\": 0.01, \"bytes\": 36600, "
                  "\"items\": 7, "
                  "\"mb_per_s\": 3.66}],\n  \"total_seconds\": 0.05\n}\n");
  }
};

// The text of the element that starts at `open` (a unique start tag) up to its `close` tag.
std::string Element(const std::string& html, const std::string& open, const std::string& close) {
  const std::size_t begin = html.find(open);
  if (begin == std::string::npos) return {};
  const std::size_t end = html.find(close, begin);
  return html.substr(begin,
                     end == std::string::npos ? std::string::npos : end + close.size() - begin);
}

std::string StaticPart(const std::string& html) {
  return html.substr(0, html.find("id=\"neardup-data\""));
}

std::string DataPart(const std::string& html) {
  const std::size_t begin = html.find("id=\"neardup-data\">");
  const std::size_t end = html.find("</script>", begin);
  return html.substr(begin, end - begin);
}

std::string ArticleOf(const std::string& html, const std::string& id) {
  return Element(StaticPart(html), "data-id=\"" + id + "\"", "</article>");
}

TEST(ReportHtml, EscapeHtmlReplacesEveryMarkupCharacter) {
  EXPECT_EQ(EscapeHtml("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  EXPECT_EQ(EscapeHtml("ديب سيك"), "ديب سيك");
  EXPECT_EQ(EscapeHtml(""), "");
}

TEST(ReportHtml, TextDirectionIsTheFirstStrongCharacters) {
  EXPECT_STREQ(TextDirection("ديب سيك DeepSeek"), "rtl");
  EXPECT_STREQ(TextDirection("DeepSeek ديب سيك"), "ltr");
  EXPECT_STREQ(TextDirection("2025 «١٢٣» — تأجيل R2"), "rtl");  // digits and punctuation are weak
  EXPECT_STREQ(TextDirection("\"R2\" تأجيل"), "ltr");
  EXPECT_STREQ(TextDirection("שלום"), "rtl");
  EXPECT_STREQ(TextDirection("Привет"), "ltr");
  EXPECT_STREQ(TextDirection("123 !?"), "auto");
}

TEST(ReportHtml, ShowsTheFtClusterWithItsThreeDocumentsSideBySide) {
  Fixture fixture;
  const std::string html = HtmlReport(fixture.outdir);
  const std::string cluster =
      Element(StaticPart(html), "<section class=\"cluster\" id=\"cluster-0\"", "</section>");
  ASSERT_FALSE(cluster.empty());
  EXPECT_NE(cluster.find("3 documents · min similarity 0.375"), std::string::npos);
  const std::size_t first = cluster.find("data-id=\"000_db1a90299435d6ce\"");
  const std::size_t second = cluster.find("data-id=\"002_dc91764ec0d952e3\"");
  const std::size_t third = cluster.find("data-id=\"003_86487315b332e9d4\"");
  ASSERT_NE(first, std::string::npos);
  ASSERT_NE(second, std::string::npos);
  ASSERT_NE(third, std::string::npos);
  EXPECT_LT(first, second);  // the representative first, then input order
  EXPECT_LT(second, third);
  EXPECT_EQ(cluster.find("001_5ef1db15b0fa6d8c"), std::string::npos);
  EXPECT_NE(ArticleOf(html, kFt0).find("<span class=\"badge rep\">representative</span>"),
            std::string::npos);
  EXPECT_NE(ArticleOf(html, kFt2).find("similarity 0.412"), std::string::npos);
  EXPECT_NE(ArticleOf(html, kFt3).find("similarity 0.375"), std::string::npos);
  // Titles are the first non-blank kept line.
  EXPECT_NE(ArticleOf(html, kFt2)
                .find("<h3 class=\"title\" dir=\"auto\">أزمة رقائق &quot;هواوي&quot; تؤخر"),
            std::string::npos);
}

TEST(ReportHtml, StrikesRemovedLinesThroughInPlaceWithTheirReason) {
  Fixture fixture;
  const std::string html = HtmlReport(fixture.outdir);
  const std::string article = ArticleOf(html, kFt2);
  const std::string open =
      "<del class=\"removed\" data-reason=\"related_block\" data-first=\"26\" data-last=\"46\">";
  const std::string related = Element(article, open, "</del>");
  ASSERT_FALSE(related.empty());
  EXPECT_NE(related.find("removed: related_block · lines 26–46"), std::string::npos);
  EXPECT_NE(related.find("data-line=\"26\">أخبار ذات صلة</div>"), std::string::npos);
  EXPECT_NE(related.find("data-line=\"45\">مؤشرات اقتصاد الصين"), std::string::npos);
  EXPECT_NE(related.find("data-line=\"46\""), std::string::npos);
  EXPECT_EQ(related.find("data-line=\"25\""), std::string::npos);
  // In place: after the kept line 25 and the promo block, before the end of the text.
  const std::size_t line25 = article.find("data-line=\"25\"");
  const std::size_t promo =
      article.find("data-reason=\"promo\" data-first=\"22\" data-last=\"23\"");
  ASSERT_NE(line25, std::string::npos);
  ASSERT_NE(promo, std::string::npos);
  EXPECT_LT(promo, line25);
  EXPECT_LT(line25, article.find(open));
  // Kept lines are not struck through.
  const std::string line3 = Element(article, "data-line=\"3\"", "</div>");
  EXPECT_NE(line3.find("ونقلت الصحيفة"), std::string::npos);
  EXPECT_EQ(article.substr(0, article.find("data-line=\"3\"")).find("<del"), std::string::npos);
  // The summary counts removed lines by reason.
  EXPECT_NE(html.find("<tr><th>related_block</th><td>21</td></tr>"), std::string::npos);
}

TEST(ReportHtml, EscapesEveryDocumentText) {
  Fixture fixture;
  const std::string html = HtmlReport(fixture.outdir);
  EXPECT_EQ(html.find("<script>alert"), std::string::npos);
  EXPECT_EQ(html.find("<!-- a"), std::string::npos);
  const std::string article = ArticleOf(html, "esc-1");
  EXPECT_NE(article.find(
                "&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt; and &lt;/script&gt;&lt;!-- a "
                "&quot;quoted&quot; &amp; &#39;single&#39;"),
            std::string::npos)
      << article;
  // Exactly two script elements: the data block and the page's code.
  std::size_t scripts = 0;
  for (std::size_t at = html.find("<script"); at != std::string::npos;
       at = html.find("<script", at + 1))
    ++scripts;
  EXPECT_EQ(scripts, 2u);
  // The embedded JSON cannot end its block or open a comment.
  const std::string data = DataPart(html);
  EXPECT_EQ(data.find('<', 1), std::string::npos);
  EXPECT_NE(data.find("\\u003cscript\\u003ealert(\\\"xss\\\")\\u003c/script\\u003e"),
            std::string::npos);
}

TEST(ReportHtml, ArabicDocumentsAreRightToLeftAndLatinLeftToRight) {
  Fixture fixture;
  const std::string html = HtmlReport(fixture.outdir);
  for (const char* id : {kFt0, kFt2, kFt3}) {
    EXPECT_NE(html.find("dir=\"rtl\" data-id=\"" + std::string(id) + "\""), std::string::npos)
        << id;
  }
  EXPECT_NE(html.find("dir=\"ltr\" data-id=\"esc-1\""), std::string::npos);
  // Every line picks its own direction (mixed Arabic/Latin lines), and the CSS isolates it.
  EXPECT_NE(html.find(".line{unicode-bidi:plaintext"), std::string::npos);
  EXPECT_EQ(html.find("class=\"line\" data-line"),
            std::string::npos);  // no line without dir="auto"
}

TEST(ReportHtml, HighlightsSharedTermsAndSharedShingles) {
  Fixture fixture;
  const std::string html = HtmlReport(fixture.outdir);
  // Story cluster: its shared terms, matched after normalization (إنفيديا folds to انفيديا).
  EXPECT_NE(ArticleOf(html, kFt3).find("<mark>هواوي"), std::string::npos);
  EXPECT_NE(ArticleOf(html, kFt0).find("<mark>إنفيديا"), std::string::npos);
  EXPECT_NE(ArticleOf(html, kFt2).find("<mark>Ascend"), std::string::npos);
  // Removed lines are never highlighted.
  const std::string article = ArticleOf(html, kFt2);
  EXPECT_EQ(Element(article, "data-reason=\"related_block\"", "</del>").find("<mark>"),
            std::string::npos);
  // Copy cluster without shared terms: the shared word 5-grams are highlighted.
  EXPECT_NE(ArticleOf(html, "esc-2").find("<mark>Breaking: &lt;script&gt;alert"),
            std::string::npos);
}

TEST(ReportHtml, SummaryHasCountsParametersThroughputAndTwoCharts) {
  Fixture fixture;
  const std::string html = HtmlReport(fixture.outdir);
  EXPECT_NE(html.find("<tr><th>read</th><td>7</td></tr>"), std::string::npos);
  EXPECT_NE(html.find("<tr><th>duplicate</th><td>3</td></tr>"), std::string::npos);
  EXPECT_NE(html.find("<tr><th>mode</th><td>story</td></tr>"), std::string::npos);
  EXPECT_NE(html.find("<tr><th>read</th><td>0.010 s · 3.7 MB/s · 7 items</td></tr>"),
            std::string::npos);
  EXPECT_NE(html.find("<title>3: 1</title>"), std::string::npos);    // one cluster of size 3
  EXPECT_NE(html.find("<title>2: 1</title>"), std::string::npos);    // one of size 2
  EXPECT_NE(html.find("<title>0.3: 1</title>"), std::string::npos);  // similarities 0.375,
  EXPECT_NE(html.find("<title>0.4: 1</title>"), std::string::npos);  // 0.412
  EXPECT_NE(html.find("<title>0.9: 1</title>"), std::string::npos);  // and 1
  EXPECT_EQ(html.find("http://"), html.find("http://www.w3.org/2000/svg"));  // no external asset
  EXPECT_EQ(html.find("https://"), std::string::npos);
  EXPECT_EQ(html.find(" src="), std::string::npos);
}

TEST(ReportHtml, OnlyTheFirstPageIsStaticAndEveryClusterIsInTheData) {
  Fixture fixture;
  HtmlReportLimits limits;
  limits.clusters_per_page = 1;
  const std::string html = HtmlReport(fixture.outdir, limits);
  EXPECT_NE(StaticPart(html).find("id=\"cluster-0\""), std::string::npos);
  EXPECT_EQ(StaticPart(html).find("id=\"cluster-1\""), std::string::npos);
  EXPECT_NE(html.find("Showing clusters 1–1 of 2; turn on JavaScript"), std::string::npos);
  const std::string data = DataPart(html);
  EXPECT_NE(data.find("{\"page_size\":1,\"clusters\":[{\"n\":0,"), std::string::npos);
  EXPECT_NE(data.find("{\"n\":1,\"size\":2,"), std::string::npos);
  // Unclustered documents are listed in the data only.
  EXPECT_NE(data.find("[\"001_5ef1db15b0fa6d8c\",\"kept\",\"\",\"\",0]"), std::string::npos);
  EXPECT_EQ(StaticPart(html).find("001_5ef1db15b0fa6d8c"),
            StaticPart(html).find("001_5ef1db15b0fa6d8c.txt"));
}

TEST(ReportHtml, LongTextsAreCutWithANote) {
  Fixture fixture;
  HtmlReportLimits limits;
  limits.doc_text_bytes = 600;
  const std::string html = HtmlReport(fixture.outdir, limits);
  const std::string article = ArticleOf(html, kFt2);
  EXPECT_NE(article.find("Text cut after 600 B (in line "), std::string::npos);
  EXPECT_EQ(article.find("data-line=\"26\""), std::string::npos);
  EXPECT_LT(article.size(), 600u + 4000u);
}

TEST(ReportHtml, AMissingInputIsNamedAndTheCleanedTextShown) {
  Fixture fixture;
  std::filesystem::remove(fixture.escape_input);
  const std::string html = HtmlReport(fixture.outdir);
  EXPECT_NE(html.find("<p class=\"notice\">Input " + fixture.escape_input + " is gone"),
            std::string::npos);
  const std::string kept = ArticleOf(html, "esc-1");
  EXPECT_NE(kept.find("Original text not available: showing the cleaned text"), std::string::npos);
  EXPECT_NE(kept.find("CLEANED Breaking: &lt;script&gt;"), std::string::npos);
  EXPECT_NE(ArticleOf(html, "esc-2").find("Text not available: the input is gone"),
            std::string::npos);
  // The seeds are still read.
  EXPECT_NE(ArticleOf(html, kFt2).find("data-first=\"26\" data-last=\"46\""), std::string::npos);
}

TEST(ReportHtml, ABrokenOutputFolderIsARunFatalErrorNamingTheFile) {
  Fixture fixture;
  WriteFile(fixture.outdir + "/decisions.jsonl",
            DecisionLine("a", "f:1", "kept", "null", "null", "null") + "{\"id\": oops\n");
  try {
    (void)HtmlReport(fixture.outdir);
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find(fixture.outdir + "/decisions.jsonl:2: malformed JSON"),
              std::string::npos)
        << error.what();
  }
  std::filesystem::remove(fixture.outdir + "/report.json");
  EXPECT_THROW((void)HtmlReport(fixture.outdir), Error);
  EXPECT_THROW(WriteHtmlReport(fixture.temp / "nowhere", fixture.temp / "r.html"), Error);
  EXPECT_FALSE(std::filesystem::exists(fixture.temp / "r.html"));
}

TEST(ReportHtml, WriteHtmlReportWritesThePageAtomically) {
  Fixture fixture;
  WriteHtmlReport(fixture.outdir, fixture.temp / "report.html");
  EXPECT_EQ(ReadFile(fixture.temp / "report.html"), HtmlReport(fixture.outdir));
  for (const auto& entry : std::filesystem::directory_iterator(fixture.temp.path())) {
    EXPECT_EQ(entry.path().filename().string().find(".tmp."), std::string::npos) << entry.path();
  }
}

// 100,000 documents in 25,000 clusters: the page keeps to its budgets and renders one page.
TEST(ReportHtml, AHundredThousandDocumentsStayWithinTheBudgets) {
  TempDir temp;
  const std::string outdir = temp / "out";
  std::filesystem::create_directory(outdir);
  std::string decisions;
  std::string clusters;
  std::string cleaned;
  const std::string text(400, 'w');
  for (int cluster = 0; cluster < 25000; ++cluster) {
    const std::string rep = "d" + std::to_string(cluster * 4);
    clusters += "{\"cluster\":" + std::to_string(cluster) + ",\"representative\":\"" + rep +
                "\",\"docs\":[],"
                "\"min_similarity\":0.8}\n";
    for (int member = 0; member < 4; ++member) {
      const std::string id = "d" + std::to_string(cluster * 4 + member);
      decisions += member == 0 ? DecisionLine(id, "gone.jsonl:1", "kept", std::to_string(cluster),
                                              "null", "null")
                               : DecisionLine(id, "gone.jsonl:1", "duplicate",
                                              std::to_string(cluster), "\"" + rep + "\"", "0.8");
      if (member == 0) cleaned += "{\"id\":\"" + id + "\",\"text\":\"" + text + " " + id + "\"}\n";
    }
  }
  WriteFile(outdir + "/decisions.jsonl", decisions);
  WriteFile(outdir + "/clusters.jsonl", clusters);
  WriteFile(outdir + "/cleaned.jsonl", cleaned);
  WriteFile(outdir + "/report.json",
            "{\"counts\": {\"read\": 100000}, \"input\": {\"paths\": [\"" + temp.path() +
                "/gone.jsonl\"], \"text_field\": \"text\", \"id_field\": \"id\"}}\n");
  HtmlReportLimits limits;
  limits.total_text_bytes = 4 << 20;
  const std::string html = HtmlReport(outdir, limits);
  std::size_t sections = 0;
  const std::string static_part = StaticPart(html);
  for (std::size_t at = static_part.find("<section class=\"cluster\""); at != std::string::npos;
       at = static_part.find("<section class=\"cluster\"", at + 1)) {
    ++sections;
  }
  EXPECT_EQ(sections, 50u);
  EXPECT_LT(html.size(), 24u << 20) << "the page is " << html.size() << " bytes";
  EXPECT_NE(DataPart(html).find("Text omitted: the page's text budget (4.0 MB) is used up"),
            std::string::npos);
  EXPECT_NE(DataPart(html).find("{\"n\":24999,\"size\":4,"), std::string::npos);
}

// The real pipeline and the CLI: `dedup --report` and `neardup report` write the same page.
TEST(ReportHtml, RealDedupRunAndCliWriteTheReport) {
  TempDir temp;
  WriteFile(temp / "escape.jsonl", EscapeJsonl());
  const std::string binary = NEARDUP_BINARY;
  std::string err;
  ASSERT_EQ(RunCommand(binary + " dedup -q " + kSeeds + " " + (temp / "escape.jsonl") + " -o " +
                           (temp / "out") + " --report " + (temp / "dedup.html"),
                       nullptr, &err),
            0)
      << err;
  ASSERT_EQ(RunCommand(binary + " report " + (temp / "out") + " -o " + (temp / "report.html"),
                       nullptr, &err),
            0)
      << err;
  const std::string html = ReadFile(temp / "report.html");
  EXPECT_EQ(html, ReadFile(temp / "dedup.html"));
  // The two escape documents are a copy cluster; the seeds are not copies of each other.
  const std::string cluster =
      Element(StaticPart(html), "<section class=\"cluster\" id=\"cluster-0\"", "</section>");
  EXPECT_NE(cluster.find("data-id=\"esc-1\""), std::string::npos);
  EXPECT_NE(cluster.find("data-id=\"esc-2\""), std::string::npos);
  EXPECT_NE(cluster.find("similarity 1.000"), std::string::npos);
  EXPECT_EQ(html.find("<script>alert"), std::string::npos);
  for (const char* id : {kFt0, kFt2, kFt3})
    EXPECT_NE(DataPart(html).find(id), std::string::npos) << id;
  EXPECT_EQ(RunCommand(binary + " report " + (temp / "missing") + " -o " + (temp / "x.html"),
                       nullptr, &err),
            1);
  EXPECT_NE(err.find("report.json: missing"), std::string::npos) << err;
  EXPECT_EQ(RunCommand(binary + " report " + (temp / "out"), nullptr, &err), 2);
}

}  // namespace
}  // namespace neardup
