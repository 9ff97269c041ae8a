#include "neardup/read_inputs.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "neardup/error.h"
#include "neardup/pipeline.h"
#include "neardup/write_outputs.h"
#include "testing/files.h"

namespace neardup {
namespace {

using testing::TempDir;
using testing::WriteFile;
using std::string_literals::operator""s;

const std::vector<std::string> kTexts = {
    "The central bank raised interest rates by half a point on Tuesday, citing inflation.",
    "The central bank raised interest rates by half a point on Tuesday, citing inflation. Markets fell.",
    "رفع البنك المركزي أسعار الفائدة بمقدار نصف نقطة يوم الثلاثاء بسبب التضخم",
    "A completely different story about football results in the regional league this weekend."};

std::string JsonEscape(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

std::string Jsonl() {
  std::string out;
  for (std::size_t i = 0; i < kTexts.size(); ++i) {
    out += "{\"id\":\"doc" + std::to_string(i) + "\",\"text\":\"" + JsonEscape(kTexts[i]) + "\"}\n";
  }
  return out;
}

// The (id, decision, duplicate_of) columns of decisions.jsonl: what must not depend on the format.
std::string DecisionsWithoutSource(const std::vector<std::string>& inputs) {
  PipelineConfig config;
  config.threshold = 0.5;
  RunResult result = Run(config, inputs);
  std::string out;
  for (const Document& doc : result.docs) {
    out += doc.id + " ";
    out += doc.rejected ? "rejected" : (result.clusters.representative[doc.ordinal] == doc.ordinal ? "kept" : "duplicate");
    out += " " + result.docs[result.clusters.representative[doc.ordinal]].id + "\n";
  }
  return out;
}

TEST(ReadInputs, SameDocumentsInTxtJsonlGzipAndZstdGiveSameDecisions) {
  TempDir dir;
  std::filesystem::create_directories(dir / "txt");
  for (std::size_t i = 0; i < kTexts.size(); ++i) WriteFile(dir / ("txt/doc" + std::to_string(i) + ".txt"), kTexts[i]);
  WriteFile(dir / "docs.jsonl", Jsonl());
  WriteFile(dir / "docs.jsonl.gz", testing::Gzip(Jsonl()));
  WriteFile(dir / "docs.jsonl.zst", testing::Zstd(Jsonl()));
  WriteFile(dir / "misnamed.jsonl", testing::Zstd(Jsonl()));  // detected by magic bytes
  const std::string expected = DecisionsWithoutSource({dir / "txt"});
  EXPECT_NE(expected.find("doc1 duplicate doc0"), std::string::npos) << expected;
  EXPECT_EQ(DecisionsWithoutSource({dir / "docs.jsonl"}), expected);
  EXPECT_EQ(DecisionsWithoutSource({dir / "docs.jsonl.gz"}), expected);
  EXPECT_EQ(DecisionsWithoutSource({dir / "docs.jsonl.zst"}), expected);
  EXPECT_EQ(DecisionsWithoutSource({dir / "misnamed.jsonl"}), expected);
}

TEST(ReadInputs, MultiMemberGzipAndMultiFrameZstdAreReadFully) {
  TempDir dir;
  const std::string first = "{\"id\":\"a\",\"text\":\"one\"}\n";
  const std::string second = "{\"id\":\"b\",\"text\":\"two\"}\n";
  WriteFile(dir / "multi.jsonl.gz", testing::Gzip(first) + testing::Gzip(second));
  WriteFile(dir / "multi.jsonl.zst", testing::Zstd(first) + testing::Zstd(second));
  for (const char* name : {"multi.jsonl.gz", "multi.jsonl.zst"}) {
    ReadStats stats;
    const std::vector<Document> docs = ReadInputs({dir / name}, ReadConfig{}, &stats);
    ASSERT_EQ(docs.size(), 2u) << name;
    EXPECT_EQ(docs[1].id, "b");
    EXPECT_EQ(docs[1].source.ToString(), (dir / name) + ":2");
  }
}

TEST(ReadInputs, TruncatedOrCorruptCompressedStreamIsAnErrorNamingTheFile) {
  TempDir dir;
  std::string big;
  for (int i = 0; i < 2000; ++i) big += "{\"id\":\"" + std::to_string(i) + "\",\"text\":\"word " + std::to_string(i * 7919) + "\"}\n";
  const std::string gz = testing::Gzip(big);
  const std::string zst = testing::Zstd(big);
  WriteFile(dir / "half.jsonl.gz", gz.substr(0, gz.size() / 2));
  WriteFile(dir / "nolast.jsonl.gz", gz.substr(0, gz.size() - 4));  // cut inside the trailer
  WriteFile(dir / "head.jsonl.gz", gz.substr(0, 10));
  WriteFile(dir / "half.jsonl.zst", zst.substr(0, zst.size() / 2));
  WriteFile(dir / "nolast.jsonl.zst", zst.substr(0, zst.size() - 3));
  WriteFile(dir / "garbage.jsonl.gz", std::string("\x1f\x8b") + "this is not deflate data at all");
  for (const char* name : {"half.jsonl.gz", "nolast.jsonl.gz", "head.jsonl.gz", "half.jsonl.zst",
                           "nolast.jsonl.zst", "garbage.jsonl.gz"}) {
    ReadStats stats;
    try {
      ReadInputs({dir / name}, ReadConfig{}, &stats);
      ADD_FAILURE() << name << " was read without an error";
    } catch (const Error& error) {
      EXPECT_NE(std::string(error.what()).find(name), std::string::npos) << error.what();
    }
  }
}

TEST(ReadInputs, MissingFileFailsBeforeAnyWork) {
  TempDir dir;
  WriteFile(dir / "good.jsonl", Jsonl());
  ReadStats stats;
  EXPECT_THROW(ReadInputs({dir / "good.jsonl", dir / "missing.jsonl"}, ReadConfig{}, &stats), Error);
  EXPECT_EQ(stats.files, 0u);  // nothing was read
  std::filesystem::create_symlink(dir / "nowhere", dir / "dangling.jsonl");
  EXPECT_THROW(ReadInputs({dir / "dangling.jsonl"}, ReadConfig{}, &stats), Error);
}

TEST(ReadInputs, BadLinesAreRejectedWithReasonAndTheRestIsRead) {
  TempDir dir;
  std::string lines;
  lines += "\xEF\xBB\xBF{\"id\":\"bom\",\"text\":\"first line after a byte order mark\"}\r\n";  // 1
  lines += "{\"id\":\"trunc\",\"text\":\"unterminated\n";                                      // 2
  lines += "{\"id\":\"garbage\",\"text\":\"x\"} trailing\n";                                    // 3
  lines += "[1,2,3]\n";                                                                        // 4
  lines += "\"just a string\"\n";                                                              // 5
  lines += "{\"id\":\"notext\"}\n";                                                            // 6
  lines += "{\"id\":\"numtext\",\"text\":42}\n";                                               // 7
  lines += "{\"text\":\"no id here\"}\n";                                                      // 8
  lines += "{\"id\":18446744073709551617,\"text\":\"big integer id\"}\n";                      // 9
  lines += "{\"id\":1.5,\"text\":\"float id\"}\n";                                             // 10
  lines += "{\"id\":\"bom\",\"text\":\"duplicate id\"}\n";                                     // 11
  lines += "   \n";                                                                            // 12 blank
  lines += "{\"id\":\"ctl\",\"text\":\"raw\ttab\"}\n";                                         // 13
  lines += "{\"id\":\"nul\",\"text\":\"a\0b\"}\n"s;                                            // 14
  lines += "{\"id\":\"surrogate\",\"text\":\"\\ud800\"}\n";                                   // 15
  lines += "{\"id\":\"utf8\",\"text\":\"caf\xC3\xA9 \xFF bad\",\"lang\":\"en\",\"meta\":{\"a\":[1,{\"b\":\"}\"}]}}\n";  // 16
  lines += "{\"id\":\"last\",\"text\":\"no final newline\"}";                                  // 17
  WriteFile(dir / "bad.jsonl", lines);
  ReadStats stats;
  const std::vector<Document> docs = ReadInputs({dir / "bad.jsonl"}, ReadConfig{}, &stats);
  ASSERT_EQ(docs.size(), 16u);
  EXPECT_EQ(stats.blank_lines, 1u);
  auto reason = [&](std::size_t i) { return docs[i].rejected ? std::string(RejectReasonName(*docs[i].rejected)) : std::string("ok"); };
  EXPECT_EQ(reason(0), "ok");
  EXPECT_EQ(docs[0].id, "bom");
  EXPECT_EQ(reason(1), "malformed_json");
  EXPECT_EQ(docs[1].id, (dir / "bad.jsonl") + ":2");
  EXPECT_EQ(reason(2), "malformed_json");
  EXPECT_EQ(reason(3), "malformed_json");
  EXPECT_EQ(reason(4), "malformed_json");
  EXPECT_EQ(reason(5), "missing_text");
  EXPECT_EQ(reason(6), "missing_text");
  EXPECT_EQ(reason(7), "ok");
  EXPECT_EQ(docs[7].id, (dir / "bad.jsonl") + ":8");
  EXPECT_EQ(reason(8), "ok");
  EXPECT_EQ(docs[8].id, "18446744073709551617");  // exact digits, not a double
  EXPECT_TRUE(docs[8].id_is_number);
  EXPECT_EQ(reason(9), "bad_id");
  EXPECT_EQ(reason(10), "duplicate_id");
  EXPECT_EQ(reason(11), "malformed_json");  // raw control character inside a string
  EXPECT_EQ(reason(12), "malformed_json");  // raw NUL
  EXPECT_EQ(docs[12].source.line, 14u);
  EXPECT_EQ(reason(13), "malformed_json");  // lone surrogate escape
  EXPECT_EQ(reason(14), "ok");
  EXPECT_EQ(docs[14].utf8_repairs, 1u);
  EXPECT_EQ(docs[14].text, "caf\xC3\xA9 \xEF\xBF\xBD bad");
  EXPECT_EQ(docs[14].extra_fields, ",\"lang\":\"en\",\"meta\":{\"a\":[1,{\"b\":\"}\"}]}");
  EXPECT_EQ(reason(15), "ok");
  EXPECT_EQ(docs[15].text, "no final newline");
  for (const Document& doc : docs) EXPECT_EQ(doc.ordinal, static_cast<std::uint64_t>(&doc - docs.data()));
}

TEST(ReadInputs, RejectPolicyForInvalidUtf8NamesTheByte) {
  TempDir dir;
  WriteFile(dir / "bad.jsonl", "{\"id\":\"x\",\"text\":\"ok \x80 no\"}\n{\"id\":\"y\",\"text\":\"fine\"}\n");
  ReadConfig config;
  config.invalid_utf8 = InvalidUtf8Policy::kReject;
  ReadStats stats;
  const std::vector<Document> docs = ReadInputs({dir / "bad.jsonl"}, config, &stats);
  ASSERT_EQ(docs.size(), 2u);
  ASSERT_TRUE(docs[0].rejected.has_value());
  EXPECT_EQ(*docs[0].rejected, RejectReason::kInvalidUtf8);
  EXPECT_NE(docs[0].reject_detail.find("byte 22"), std::string::npos) << docs[0].reject_detail;
  EXPECT_FALSE(docs[1].rejected.has_value());  // the neighbouring line is unaffected
}

TEST(ReadInputs, TextAndIdFieldsCanBeRenamed) {
  TempDir dir;
  WriteFile(dir / "f.jsonl", "{\"url\":\"u1\",\"body\":\"hello world\",\"text\":\"other\"}\n");
  ReadConfig config;
  config.text_field = "body";
  config.id_field = "url";
  ReadStats stats;
  const std::vector<Document> docs = ReadInputs({dir / "f.jsonl"}, config, &stats);
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_EQ(docs[0].id, "u1");
  EXPECT_EQ(docs[0].text, "hello world");
  EXPECT_EQ(docs[0].extra_fields, ",\"text\":\"other\"");
}

TEST(ReadInputs, FolderIdsAreRelativePathsWithoutExtension) {
  TempDir dir;
  std::filesystem::create_directories(dir / "site/2025");
  WriteFile(dir / "site/2025/a.txt", "alpha");
  WriteFile(dir / "site/b.txt", "beta");
  WriteFile(dir / "site/notes.md", "skipped");
  ReadStats stats;
  const std::vector<Document> docs = ReadInputs({dir / "site"}, ReadConfig{}, &stats);
  ASSERT_EQ(docs.size(), 2u);
  EXPECT_EQ(docs[0].id, "2025/a");
  EXPECT_EQ(docs[1].id, "b");
  EXPECT_EQ(stats.skipped_files, 1u);
}

}  // namespace
}  // namespace neardup

namespace neardup {
namespace {

TEST(ReadInputs, TxtDocumentsKeepNulCrlfAndLoneCrAndLoseTheirBom) {
  TempDir dir;
  std::filesystem::create_directories(dir / "d");
  WriteFile(dir / "d/a.txt", "\xEF\xBB\xBFtitle\r\nline\0two\rthree\n"s);
  WriteFile(dir / "d/empty.txt", "");
  ReadStats stats;
  const std::vector<Document> docs = ReadInputs({dir / "d"}, ReadConfig{}, &stats);
  ASSERT_EQ(docs.size(), 2u);
  EXPECT_EQ(docs[0].text, "title\r\nline\0two\rthree\n"s);
  EXPECT_FALSE(docs[0].rejected.has_value());
  // The empty file is a document (accounted for), rejected later as empty by the pipeline.
  EXPECT_EQ(docs[1].id, "empty");
  PipelineConfig config;
  const RunResult result = Process(std::vector<Document>(docs), config, RunReport{});
  ASSERT_TRUE(result.docs[1].rejected.has_value());
  EXPECT_EQ(*result.docs[1].rejected, RejectReason::kEmpty);
  EXPECT_FALSE(result.docs[0].rejected.has_value());
}

}  // namespace
}  // namespace neardup
