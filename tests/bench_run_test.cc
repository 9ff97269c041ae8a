// The whole-run benchmark (neardup bench): the runs it makes, what a row reports with and without
// repeats (the median run, the speed-up as the median of per-round ratios), its table and JSON,
// and the byte sizes it accepts.
#include "neardup/bench_run.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "testing/files.h"

namespace neardup {
namespace {

using testing::TempDir;

std::vector<BenchRow> SmallBench(const TempDir& dir, int repeat) {
  BenchOptions options;
  options.sizes = {300'000};
  options.threads = {1, 2};
  options.work_dir = dir.path();
  options.repeat = repeat;
  PipelineConfig config;
  config.quiet = true;
  return RunBench(options, config, nullptr);
}

TEST(RunBench, RepeatedRunsGiveTheMedianRunAndTheMedianSpeedupOfTheRounds) {
  TempDir dir;
  const std::vector<BenchRow> rows = SmallBench(dir, 3);
  ASSERT_EQ(rows.size(), 2u);
  for (const BenchRow& row : rows) {
    ASSERT_EQ(row.run_seconds.size(), 3u);
    std::vector<double> sorted = row.run_seconds;
    std::sort(sorted.begin(), sorted.end());
    EXPECT_EQ(row.report.total_seconds, sorted[1]);  // the median run is the row
    EXPECT_GT(row.documents, 0u);
    EXPECT_EQ(row.report.kept + row.report.duplicate + row.report.rejected, row.report.read);
  }
  EXPECT_EQ(rows[0].threads, 1);
  EXPECT_EQ(rows[1].threads, 2);
  EXPECT_EQ(rows[0].bytes, rows[1].bytes);
  EXPECT_EQ(rows[0].documents, rows[1].documents);
  // The speed-up pairs the runs of one round: the median of the three ratios.
  std::vector<double> ratios;
  for (std::size_t round = 0; round < 3; ++round) ratios.push_back(rows[0].run_seconds[round] / rows[1].run_seconds[round]);
  std::sort(ratios.begin(), ratios.end());
  EXPECT_DOUBLE_EQ(Speedup(rows, rows[1]), ratios[1]);
  EXPECT_DOUBLE_EQ(Speedup(rows, rows[0]), 1.0);

  const std::string table = BenchTable(rows);
  EXPECT_NE(table.find("min_s"), std::string::npos);
  EXPECT_NE(table.find("runs > 1"), std::string::npos);
  const std::string json = BenchJson(rows);
  EXPECT_NE(json.find("\"runs\": 3"), std::string::npos);
  EXPECT_NE(json.find("\"run_seconds\": ["), std::string::npos);
  // The generated corpus and the outputs are gone.
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
}

TEST(RunBench, OneRunPerThreadCountByDefault) {
  TempDir dir;
  const std::vector<BenchRow> rows = SmallBench(dir, 1);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].run_seconds.size(), 1u);
  EXPECT_DOUBLE_EQ(Speedup(rows, rows[1]), rows[0].report.total_seconds / rows[1].report.total_seconds);
  EXPECT_EQ(BenchTable(rows).find("min_s"), std::string::npos);
  EXPECT_NE(BenchJson(rows).find("\"runs\": 1"), std::string::npos);
  BenchOptions options;
  options.repeat = 0;
  EXPECT_THROW(RunBench(options, PipelineConfig{}, nullptr), Error);
}

TEST(ParseByteSize, UnitsArePowersOfTenAndAnythingElseIsRefused) {
  EXPECT_EQ(ParseByteSize("100MB"), 100'000'000u);
  EXPECT_EQ(ParseByteSize("10k"), 10'000u);
  EXPECT_EQ(ParseByteSize("2G"), 2'000'000'000u);
  EXPECT_EQ(ParseByteSize("512"), 512u);
  EXPECT_EQ(ParseByteSize("1.5GB"), std::nullopt);
  EXPECT_EQ(ParseByteSize("MB"), std::nullopt);
  EXPECT_EQ(ParseByteSize(""), std::nullopt);
  EXPECT_EQ(ParseByteSize("99999999999999999999"), std::nullopt);
  EXPECT_EQ(ParseByteSize("20000000000T"), std::nullopt);
}

}  // namespace
}  // namespace neardup
