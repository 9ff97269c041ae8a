// Tests of the bounded-memory run (pipeline_bounded.h): the same outputs as the in-memory run on
// real and generated dumps with bad input mixed in, at any batch size and thread count; a clear
// error when the memory bound cannot hold the per-document state; no spill file left behind; and
// the spill files' round trip.
#include "neardup/pipeline_bounded.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <regex>

#include "neardup/clean_run.h"
#include "neardup/error.h"
#include "neardup/pipeline.h"
#include "neardup/spill_files.h"
#include "neardup/synth_corpus.h"
#include "testing/documents.h"
#include "testing/files.h"

namespace neardup {
namespace {

using testing::ReadFile;
using testing::TempDir;
using testing::WriteFile;

// Inputs that exercise every kind of document: the seeds (.txt folder), a generated Arabic dump
// with copies, re-reports and site boilerplate, and a JSONL file of bad lines and duplicate ids.
std::vector<std::string> MixedInputs(const TempDir& dir) {
  SynthConfig synth;
  synth.seed = 7;
  synth.target_bytes = 1'500'000;
  WriteSynthCorpus(synth, dir / "synth.jsonl");
  WriteFile(dir / "bad.jsonl",
            "{\"id\":\"a\",\"text\":\"first document with enough words to make a few shingles here\"}\n"
            "not json at all\n"
            "\n"
            "{\"id\":\"a\",\"text\":\"a later document that reuses the id a and is rejected for it\"}\n"
            "{\"id\":\"syn-00000003\",\"text\":\"reuses an id of the generated dump\"}\n"
            "{\"id\":7,\"text\":\"an integer id, kept as digits, with words enough to shingle well\"}\n"
            "{\"id\":\"empty\",\"text\":\"... !!! ...\"}\n"
            "{\"id\":\"bad-utf8\",\"text\":\"invalid \xff\xfe bytes in a text with several words in it\"}\n"
            "{\"id\":\"no-text\"}\n"
            "{\"id\":\"copy\",\"text\":\"first document with enough words to make a few shingles here\"}\n");
  return {std::string(NEARDUP_SOURCE_DIR) + "/corpus", dir / "synth.jsonl", dir / "bad.jsonl"};
}

void ExpectSameOutputs(const std::string& expected_dir, const std::string& actual_dir) {
  for (const char* name : {"decisions.jsonl", "clusters.jsonl", "cleaned.jsonl"}) {
    const std::string expected = ReadFile(expected_dir + "/" + name);
    const std::string actual = ReadFile(actual_dir + "/" + name);
    EXPECT_EQ(expected.size(), actual.size()) << name;
    EXPECT_TRUE(expected == actual) << name << " differs";
  }
}

void ExpectSameCounts(const RunReport& expected, const RunReport& actual) {
  EXPECT_EQ(expected.read, actual.read);
  EXPECT_EQ(expected.kept, actual.kept);
  EXPECT_EQ(expected.duplicate, actual.duplicate);
  EXPECT_EQ(expected.rejected, actual.rejected);
  EXPECT_EQ(expected.clusters, actual.clusters);
  EXPECT_EQ(expected.candidate_pairs, actual.candidate_pairs);
  EXPECT_EQ(expected.verified_pairs, actual.verified_pairs);
  EXPECT_EQ(expected.rejected_by_reason, actual.rejected_by_reason);
  EXPECT_EQ(expected.removed_lines_by_reason, actual.removed_lines_by_reason);
  EXPECT_EQ(expected.read_stats.bytes, actual.read_stats.bytes);
  EXPECT_EQ(expected.read_stats.blank_lines, actual.read_stats.blank_lines);
  EXPECT_EQ(expected.read_stats.utf8_repairs, actual.read_stats.utf8_repairs);
}

std::size_t FilesIn(const std::string& dir) {
  std::size_t count = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir)) ++count;
  return count;
}

TEST(BoundedRun, SameOutputsAsTheInMemoryRunAtAnyBatchSizeAndThreadCount) {
  TempDir dir;
  const std::vector<std::string> inputs = MixedInputs(dir);
  PipelineConfig config;
  config.quiet = true;
  config.threads = 1;
  const RunReport in_memory = RunAndWrite(config, inputs, dir / "in_memory");
  ASSERT_GT(in_memory.duplicate, 20u);  // the dump has copies to find
  ASSERT_GT(in_memory.rejected, 4u);    // and bad documents to account for
  ASSERT_FALSE(in_memory.removed_lines_by_reason.empty());  // and boilerplate to cut
  std::filesystem::create_directory(dir / "spill");
  for (const std::uint64_t batch_bytes : {std::uint64_t{1}, std::uint64_t{20'000}, std::uint64_t{400'000}}) {
    for (const int threads : {1, 2}) {
      SCOPED_TRACE("batch_bytes " + std::to_string(batch_bytes) + ", threads " + std::to_string(threads));
      PipelineConfig bounded = config;
      bounded.threads = threads;
      bounded.max_memory = 1ull << 30;
      bounded.batch_bytes = batch_bytes;
      bounded.spill_dir = dir / "spill";
      const std::string out = dir / ("bounded_" + std::to_string(batch_bytes) + "_" + std::to_string(threads));
      const RunReport report = RunAndWrite(bounded, inputs, out);
      ExpectSameOutputs(dir / "in_memory", out);
      ExpectSameCounts(in_memory, report);
      EXPECT_GT(report.spill_bytes, report.read_stats.bytes);  // the documents went to disk
      EXPECT_EQ(FilesIn(dir / "spill"), 0u);                   // and nothing stays there
      EXPECT_EQ(FilesIn(out), 4u);                             // the four outputs, no temp
    }
  }
}

// report.json is written last, so its figures cover the run up to it: the write stage of the
// other three files is among its stages and its total time is at least the sum of its stages.
// The same for the in-memory run and the bounded run, which write differently.
TEST(RunReport, ReportJsonCoversTheWriteStage) {
  TempDir dir;
  const std::vector<std::string> inputs = MixedInputs(dir);
  std::filesystem::create_directory(dir / "spill");
  for (const bool bounded : {false, true}) {
    SCOPED_TRACE(bounded ? "bounded" : "in memory");
    PipelineConfig config;
    config.quiet = true;
    if (bounded) {
      config.max_memory = 1ull << 30;
      config.batch_bytes = 50'000;
      config.spill_dir = dir / "spill";
    }
    const std::string out = dir / (bounded ? "bounded" : "in_memory");
    const RunReport returned = RunAndWrite(config, inputs, out);
    const std::string json = ReadFile(out + "/report.json");
    const std::regex stage_pattern("\"stage\": \"([a-z_]+)\",\\s*\"seconds\": ([0-9.e+-]+)");
    std::vector<std::string> names;
    double stage_sum = 0;
    for (auto it = std::sregex_iterator(json.begin(), json.end(), stage_pattern); it != std::sregex_iterator(); ++it) {
      names.push_back((*it)[1]);
      stage_sum += std::stod((*it)[2]);
    }
    ASSERT_FALSE(names.empty()) << json;
    EXPECT_EQ(names.front(), "read");
    EXPECT_EQ(names.back(), "write");
    std::smatch total;
    ASSERT_TRUE(std::regex_search(json, total, std::regex("\"total_seconds\": ([0-9.e+-]+)"))) << json;
    const double total_seconds = std::stod(total[1]);
    EXPECT_GE(total_seconds * (1 + 1e-9), stage_sum) << json;
    EXPECT_GE(returned.total_seconds, total_seconds);  // the caller's figure adds the commit
    EXPECT_EQ(returned.stages.back().name, "write");
  }
}

TEST(BoundedRun, SameOutputsWithoutTheCleanStage) {
  TempDir dir;
  const std::vector<std::string> inputs = MixedInputs(dir);
  PipelineConfig config;
  config.quiet = true;
  config.clean = false;
  RunAndWrite(config, inputs, dir / "in_memory");
  config.max_memory = 1ull << 30;
  config.batch_bytes = 50'000;
  RunAndWrite(config, inputs, dir / "bounded");
  ExpectSameOutputs(dir / "in_memory", dir / "bounded");
}

TEST(BoundedRun, MemoryBoundTooSmallForTheDocumentsIsAClearError) {
  TempDir dir;
  std::string lines;
  for (int i = 0; i < 60'000; ++i) lines += "{\"id\":\"d" + std::to_string(i) + "\",\"text\":\"w" + std::to_string(i) + " x y z\"}\n";
  WriteFile(dir / "tiny.jsonl", lines);
  PipelineConfig config;
  config.quiet = true;
  config.max_memory = 45u << 20;  // 45 MiB: the program and batches take 42, the state the rest
  config.batch_bytes = 64u << 10;
  try {
    RunAndWrite(config, {dir / "tiny.jsonl"}, dir / "out");
    FAIL() << "expected an Error";
  } catch (const Error& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("--max-memory"), std::string::npos) << message;
    EXPECT_NE(message.find("documents read so far"), std::string::npos) << message;  // failed early
    EXPECT_NE(message.find("give at least"), std::string::npos) << message;
  }
  EXPECT_EQ(FilesIn(dir / "out"), 0u);  // no output, no temp, no spill file
  config.max_memory = 128u << 20;       // enough: the run goes through
  const RunReport report = RunAndWrite(config, {dir / "tiny.jsonl"}, dir / "out");
  EXPECT_EQ(report.read, 60'000u);
  EXPECT_EQ(report.read, report.kept + report.duplicate + report.rejected);
}

TEST(BoundedRun, CleanCommandWritesTheSameRecords) {
  TempDir dir;
  const std::vector<std::string> inputs = MixedInputs(dir);
  PipelineConfig config;
  config.quiet = true;
  const CleanSummary in_memory = RunClean(config, inputs, dir / "in_memory.jsonl");
  ASSERT_GT(in_memory.bytes_in, in_memory.bytes_out);  // something was cut
  for (const int threads : {1, 2}) {
    config.threads = threads;
    config.max_memory = 1ull << 30;
    config.batch_bytes = 30'000;
    const CleanSummary bounded = RunClean(config, inputs, dir / "bounded.jsonl");
    EXPECT_TRUE(ReadFile(dir / "in_memory.jsonl") == ReadFile(dir / "bounded.jsonl")) << threads << " threads";
    EXPECT_EQ(bounded.documents, in_memory.documents);
    EXPECT_EQ(bounded.rejected, in_memory.rejected);
    EXPECT_EQ(bounded.bytes_in, in_memory.bytes_in);
    EXPECT_EQ(bounded.bytes_out, in_memory.bytes_out);
    EXPECT_EQ(bounded.removed_lines_by_reason, in_memory.removed_lines_by_reason);
  }
  EXPECT_EQ(FilesIn(dir.path()), 4u);  // two inputs, two outputs, nothing left by the spills
}

TEST(BoundedRun, StoryModeIsRefused) {
  TempDir dir;
  PipelineConfig config;
  config.mode = Mode::kStory;
  config.max_memory = 1ull << 30;
  EXPECT_THROW(RunAndWrite(config, {std::string(NEARDUP_SOURCE_DIR) + "/corpus"}, dir / "out"), Error);
}

TEST(DocumentSpill, RoundTripsEveryFieldInBatches) {
  TempDir dir;
  std::vector<Document> docs(5);
  for (std::size_t i = 0; i < docs.size(); ++i) {
    docs[i].ordinal = i;
    docs[i].id = "doc-" + std::to_string(i) + " \"quoted\" وثيقة";
    docs[i].source = Location{i < 3 ? "a.jsonl" : "b/c.jsonl", i + 1};
    docs[i].text = std::string(i * 3000, 'x') + "\n\xD9\x86\xD8\xB5";
    docs[i].extra_fields = i % 2 == 0 ? ",\"url\":\"u" + std::to_string(i) + "\"" : "";
  }
  docs[1].id_is_number = true;
  docs[1].id = "18446744073709551617";
  docs[2].rejected = RejectReason::kInvalidUtf8;
  docs[2].reject_detail = "invalid UTF-8 at byte 9";
  docs[2].utf8_repairs = 3;
  docs[3].removed = {{2, 4, "comment_block", 2}, {7, 7, "timestamp", 1}};
  docs[4].time = "2024-05-01";
  docs[4].text.clear();
  DocumentSpill spill(dir.path(), "test documents");
  spill.Write(std::span(docs).subspan(0, 2));
  spill.Write(std::span(docs).subspan(2));
  spill.Flush();
  EXPECT_EQ(FilesIn(dir.path()), 0u);  // unlinked from the start
  std::vector<Document> back;
  std::vector<Document> batch;
  std::size_t batches = 0;
  while (spill.Read(4000, &batch)) {  // smaller than some records: one record per batch then
    ++batches;
    ASSERT_FALSE(batch.empty());
    back.insert(back.end(), batch.begin(), batch.end());
  }
  EXPECT_FALSE(spill.Read(4000, &batch));
  EXPECT_GE(batches, 3u);
  testing::ExpectSameDocuments(back, docs, "read back");
}

TEST(DocumentSpill, UnwritableFolderIsAnErrorNamingIt) {
  EXPECT_THROW(DocumentSpill("/nonexistent/spill", "documents"), Error);
}

}  // namespace
}  // namespace neardup
