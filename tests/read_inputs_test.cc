#include "neardup/read_inputs.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "neardup/error.h"
#include "neardup/pipeline.h"
#include "neardup/write_outputs.h"
#include "testing/documents.h"
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

// The parser looks for invalid UTF-8 only when the JSON parser refuses a line: a big-integer id (a
// number error for the JSON validator) or a malformed line with invalid bytes must still be
// repaired first and then judged as before.
TEST(ReadInputs, InvalidUtf8IsRepairedBeforeTheLineIsJudged) {
  TempDir dir;
  std::string lines;
  lines += "{\"id\":18446744073709551618,\"text\":\"big \xFF id\",\"n\":[1, 2]}\n";  // 1
  lines += "{\"id\":\"trunc\",\"text\":\"bad \xC3 and unterminated\n";              // 2
  lines += "{\"id\":\"key\",\"te\xFFxt\":\"a\",\"text\":\"b\"}\n";                   // 3
  WriteFile(dir / "bad.jsonl", lines);
  ReadStats stats;
  const std::vector<Document> docs = ReadInputs({dir / "bad.jsonl"}, ReadConfig{}, &stats);
  ASSERT_EQ(docs.size(), 3u);
  EXPECT_FALSE(docs[0].rejected.has_value());
  EXPECT_EQ(docs[0].id, "18446744073709551618");
  EXPECT_EQ(docs[0].text, "big \xEF\xBF\xBD id");
  EXPECT_EQ(docs[0].utf8_repairs, 1u);
  EXPECT_EQ(docs[0].extra_fields, ",\"n\":[1, 2]");
  ASSERT_TRUE(docs[1].rejected.has_value());
  EXPECT_EQ(*docs[1].rejected, RejectReason::kMalformedJson);
  EXPECT_EQ(docs[1].utf8_repairs, 1u);
  EXPECT_FALSE(docs[2].rejected.has_value());
  EXPECT_EQ(docs[2].text, "b");
  EXPECT_EQ(docs[2].extra_fields, ",\"te\xEF\xBF\xBDxt\":\"a\"");
  EXPECT_EQ(docs[2].utf8_repairs, 1u);
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

#include <tbb/task_arena.h>

namespace neardup {
namespace {

using testing::ExpectSameDocuments;

void ExpectSameStats(const ReadStats& got, const ReadStats& want, const std::string& label) {
  EXPECT_EQ(got.files, want.files) << label;
  EXPECT_EQ(got.skipped_files, want.skipped_files) << label;
  EXPECT_EQ(got.bytes, want.bytes) << label;
  EXPECT_EQ(got.blank_lines, want.blank_lines) << label;
  EXPECT_EQ(got.utf8_repairs, want.utf8_repairs) << label;
}

std::string Line(const std::string& id, const std::string& text) {
  return "{\"id\":\"" + id + "\",\"text\":\"" + text + "\",\"when\":\"2025-01-0" +
         std::to_string(id.size() % 9 + 1) + "\"}\n";
}

// Txt, JSONL, .gz and .zst inputs with every kind of rejection, and ids reused within a file,
// across files and across formats.
std::vector<std::string> MixedInputs(const TempDir& dir) {
  std::filesystem::create_directories(dir / "site/2025");
  WriteFile(dir / "site/2025/a.txt", "\xEF\xBB\xBFtxt document a, with a byte order mark");
  WriteFile(dir / "site/b.txt", "txt document b \xFF with invalid UTF-8");
  WriteFile(dir / "site/empty.txt", "");
  WriteFile(dir / "site/big.txt", std::string(400, 'x'));  // above max_doc_bytes
  WriteFile(dir / "site/notes.md", "skipped");
  std::string nested;
  for (int i = 0; i < 5; ++i) nested += Line("n" + std::to_string(i), "nested line " + std::to_string(i));
  nested += Line("2025/a", "reuses the id of a txt document");
  WriteFile(dir / "site/z.jsonl.gz", testing::Gzip(nested));
  std::string lines = "\xEF\xBB\xBF" + Line("first", "after a byte order mark");
  for (int i = 0; i < 30; ++i) {
    lines += Line("id" + std::to_string(i), "line number " + std::to_string(i) + " of the plain file");
    if (i % 7 == 0) lines += "   \n\n";
    if (i % 11 == 0) lines += "{\"id\":\"broken" + std::to_string(i) + "\",\"text\":\"cut\n";
  }
  lines += Line("id3", "same id as an earlier line of this file");
  lines += Line("first", "same id as line 1");
  lines += "{\"id\":42,\"text\":\"integer id\"}\n";
  lines += "{\"id\":\"utf8\",\"text\":\"caf\xC3\xA9 \xFF bad\"}\n";
  lines += Line("large", std::string(500, 'y'));
  lines += "{\"text\":\"no id\"}\n";
  lines += Line("n2", "same id as the nested .gz file");
  lines += Line("after-large", "without a final newline");
  lines.pop_back();
  WriteFile(dir / "lines.jsonl", lines);
  std::string more;
  for (int i = 0; i < 8; ++i) more += Line("m" + std::to_string(i), "zstd line " + std::to_string(i));
  more += Line("id29", "same id as the plain file");
  more += "{\"id\":42,\"text\":\"same integer id\"}\n";
  WriteFile(dir / "more.jsonl.zst", testing::Zstd(more));
  WriteFile(dir / "direct.txt", "a txt path given directly");
  return {dir / "site", dir / "lines.jsonl", dir / "more.jsonl.zst", dir / "direct.txt"};
}

std::vector<Document> ReadInBatches(const std::vector<std::string>& inputs, const ReadConfig& config,
                                    const std::vector<std::size_t>& sizes, int threads,
                                    std::size_t* batches, ReadStats* stats) {
  std::vector<Document> docs;
  tbb::task_arena arena(threads);
  arena.execute([&] {
    InputReader reader(inputs, config);
    std::vector<Document> batch;
    *batches = 0;
    while (reader.Next(sizes[*batches % sizes.size()], &batch)) {
      EXPECT_FALSE(batch.empty());
      ++*batches;
      for (Document& doc : batch) docs.push_back(std::move(doc));
    }
    EXPECT_TRUE(batch.empty());
    *stats = reader.stats();
    EXPECT_GT(reader.MemoryBytes(), 0u);
  });
  return docs;
}

TEST(InputReader, BatchesConcatenateToReadInputsWhateverTheirSizeAndTheThreads) {
  TempDir dir;
  const std::vector<std::string> inputs = MixedInputs(dir);
  for (InvalidUtf8Policy policy : {InvalidUtf8Policy::kRepair, InvalidUtf8Policy::kReject}) {
    ReadConfig config;
    config.max_doc_bytes = 300;
    config.time_field = "when";
    config.invalid_utf8 = policy;
    ReadStats want_stats;
    std::vector<Document> want;
    tbb::task_arena one(1);
    one.execute([&] { want = ReadInputs(inputs, config, &want_stats); });
    // What ReadInputs itself must produce, so the comparison below is not between two wrong readers.
    ASSERT_EQ(want.size(), 63u);
    EXPECT_EQ(want_stats.files, 8u);
    EXPECT_EQ(want_stats.skipped_files, 1u);
    EXPECT_EQ(want_stats.blank_lines, 10u);
    auto find = [&](const std::string& text) {
      for (const Document& doc : want) {
        if (doc.text == text) return doc;
      }
      ADD_FAILURE() << "no document with text " << text;
      return Document{};
    };
    EXPECT_EQ(want[0].id, "2025/a");
    EXPECT_EQ(want[0].text, "txt document a, with a byte order mark");
    EXPECT_EQ(find("reuses the id of a txt document").reject_detail, "id already used by " + (dir / "site/2025/a.txt"));
    EXPECT_EQ(find("same id as an earlier line of this file").reject_detail,
              "id already used by " + (dir / "lines.jsonl") + ":8");
    EXPECT_EQ(find("same id as line 1").reject_detail, "id already used by " + (dir / "lines.jsonl") + ":1");
    EXPECT_EQ(find("same id as the nested .gz file").reject_detail, "id already used by " + (dir / "site/z.jsonl.gz") + ":3");
    EXPECT_EQ(find("same id as the plain file").reject_detail, "id already used by " + (dir / "lines.jsonl") + ":44");
    EXPECT_EQ(find("same integer id").reject_detail, "id already used by " + (dir / "lines.jsonl") + ":47");
    EXPECT_EQ(want.back().source.ToString(), dir / "direct.txt");
    EXPECT_EQ(want.back().ordinal, 62u);
    std::size_t too_large = 0;
    for (const Document& doc : want) too_large += doc.rejected == RejectReason::kTooLarge;
    EXPECT_EQ(too_large, 2u);
    const Document& bad_utf8 = policy == InvalidUtf8Policy::kRepair ? find("caf\xC3\xA9 \xEF\xBF\xBD bad")
                                                                    : find("txt document b \xEF\xBF\xBD with invalid UTF-8");
    EXPECT_GT(bad_utf8.utf8_repairs, 0u);

    for (int threads : {1, 2}) {
      const std::vector<std::vector<std::size_t>> size_runs = {{1}, {0}, {150}, {700}, {1u << 30}, {1, 500, 40}};
      for (const std::vector<std::size_t>& sizes : size_runs) {
        const std::string label = "threads " + std::to_string(threads) + ", first size " +
                                  std::to_string(sizes[0]) + ", sizes " + std::to_string(sizes.size()) +
                                  ", policy " + std::to_string(static_cast<int>(policy));
        std::size_t batches = 0;
        ReadStats stats;
        const std::vector<Document> got = ReadInBatches(inputs, config, sizes, threads, &batches, &stats);
        ExpectSameDocuments(got, want, label);
        ExpectSameStats(stats, want_stats, label);
        // A batch ends at the first document reaching the size: with 1 byte, the empty .txt
        // document shares its batch with the next one; with 0 bytes, every document is a batch.
        std::size_t expected_batches = 0;
        if (sizes == std::vector<std::size_t>{0}) expected_batches = want.size();
        if (sizes == std::vector<std::size_t>{1}) expected_batches = want.size() - 1;
        if (sizes == std::vector<std::size_t>{1u << 30}) expected_batches = 1;
        if (expected_batches != 0) {
          EXPECT_EQ(batches, expected_batches) << label;
        } else {
          EXPECT_GT(batches, 4u) << label;
        }
      }
    }
  }
}

TEST(InputReader, ReadsTheSeedCorpusAsReadInputsDoes) {
  const std::vector<std::string> inputs = {NEARDUP_SOURCE_DIR "/corpus"};
  ReadStats want_stats;
  const std::vector<Document> want = ReadInputs(inputs, ReadConfig{}, &want_stats);
  ASSERT_EQ(want.size(), 5u);
  for (std::size_t max_bytes : {std::size_t{1}, std::size_t{4096}}) {
    std::size_t batches = 0;
    ReadStats stats;
    const std::vector<Document> got = ReadInBatches(inputs, ReadConfig{}, {max_bytes}, 2, &batches, &stats);
    ExpectSameDocuments(got, want, "max_bytes " + std::to_string(max_bytes));
    ExpectSameStats(stats, want_stats, "max_bytes " + std::to_string(max_bytes));
  }
}

TEST(InputReader, NextReturnsFalseAtTheEndAndKeepsDoingSo) {
  TempDir dir;
  WriteFile(dir / "two.jsonl", Line("a", "one") + Line("b", "two"));
  InputReader reader({dir / "two.jsonl"}, ReadConfig{});
  std::vector<Document> batch(3);
  ASSERT_TRUE(reader.Next(1u << 20, &batch));
  ASSERT_EQ(batch.size(), 2u);
  EXPECT_EQ(batch[1].id, "b");
  EXPECT_EQ(batch[1].ordinal, 1u);
  for (int i = 0; i < 3; ++i) {
    batch.resize(1);
    EXPECT_FALSE(reader.Next(1u << 20, &batch));
    EXPECT_TRUE(batch.empty());
  }
  EXPECT_EQ(reader.stats().files, 1u);
}

TEST(InputReader, EmptyInputGivesNoBatch) {
  TempDir dir;
  std::filesystem::create_directories(dir / "folder");
  WriteFile(dir / "folder/readme.md", "skipped");
  WriteFile(dir / "blank.jsonl", "\n   \n");
  WriteFile(dir / "empty.jsonl.gz", testing::Gzip(""));
  InputReader reader({dir / "folder", dir / "blank.jsonl", dir / "empty.jsonl.gz"}, ReadConfig{});
  std::vector<Document> batch;
  EXPECT_FALSE(reader.Next(1, &batch));
  EXPECT_TRUE(batch.empty());
  EXPECT_FALSE(reader.Next(1, &batch));
  EXPECT_EQ(reader.stats().files, 2u);
  EXPECT_EQ(reader.stats().skipped_files, 1u);
  EXPECT_EQ(reader.stats().blank_lines, 2u);
}

TEST(InputReader, ErrorsNameTheFile) {
  TempDir dir;
  WriteFile(dir / "good.jsonl", Jsonl());
  try {
    InputReader reader({dir / "good.jsonl", dir / "missing.jsonl"}, ReadConfig{});
    ADD_FAILURE() << "a missing file was accepted";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("missing.jsonl"), std::string::npos) << error.what();
  }
  std::string big;
  for (int i = 0; i < 2000; ++i) big += Line(std::to_string(i), "word " + std::to_string(i * 7919));
  const std::string gz = testing::Gzip(big);
  WriteFile(dir / "half.jsonl.gz", gz.substr(0, gz.size() / 2));
  // Every document before the cut comes out, then the error, whatever the batch size and threads.
  std::vector<std::size_t> delivered;
  for (std::size_t max_bytes : {std::size_t{1}, std::size_t{1000}, std::size_t{1} << 30}) {
    for (int threads : {1, 2}) {
      tbb::task_arena arena(threads);
      std::size_t read = 0;
      InputReader reader({dir / "good.jsonl", dir / "half.jsonl.gz"}, ReadConfig{});
      std::vector<Document> batch;
      try {
        arena.execute([&] {
          while (reader.Next(max_bytes, &batch)) read += batch.size();
        });
        ADD_FAILURE() << "the truncated file was read without an error";
      } catch (const Error& error) {
        EXPECT_NE(std::string(error.what()).find("half.jsonl.gz"), std::string::npos) << error.what();
      }
      EXPECT_THROW(arena.execute([&] { reader.Next(max_bytes, &batch); }), Error);  // and again
      delivered.push_back(read);
    }
  }
  EXPECT_GT(delivered[0], kTexts.size() + 100);
  EXPECT_LT(delivered[0], kTexts.size() + 2000);
  for (std::size_t read : delivered) EXPECT_EQ(read, delivered[0]);
}

}  // namespace
}  // namespace neardup
