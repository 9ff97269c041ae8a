#include "neardup/eval_clusters.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <random>
#include <set>
#include <vector>

#include "neardup/error.h"
#include "testing/files.h"

namespace neardup {
namespace {

Partition FromLabels(const std::vector<std::pair<std::string, std::string>>& labels) {
  return Partition(labels.begin(), labels.end());
}

// Reference definitions, by brute force over all pairs and all documents.
struct Reference {
  double pairwise_precision, pairwise_recall, bcubed_precision, bcubed_recall, rand;
};
Reference BruteForce(const Partition& gold, const Partition& predicted) {
  std::vector<std::string> ids;
  for (const auto& entry : gold) ids.push_back(entry.first);
  double both = 0, same_gold = 0, same_predicted = 0, agree = 0, all = 0;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    for (std::size_t j = i + 1; j < ids.size(); ++j) {
      const bool g = gold.at(ids[i]) == gold.at(ids[j]);
      const bool p = predicted.at(ids[i]) == predicted.at(ids[j]);
      both += g && p;
      same_gold += g;
      same_predicted += p;
      agree += g == p;
      ++all;
    }
  }
  double precision = 0, recall = 0;
  for (const std::string& e : ids) {
    double overlap = 0, in_predicted = 0, in_gold = 0;
    for (const std::string& f : ids) {
      const bool g = gold.at(e) == gold.at(f);
      const bool p = predicted.at(e) == predicted.at(f);
      overlap += g && p;
      in_predicted += p;
      in_gold += g;
    }
    precision += overlap / in_predicted;
    recall += overlap / in_gold;
  }
  return {same_predicted > 0 ? both / same_predicted : 1.0, same_gold > 0 ? both / same_gold : 1.0,
          precision / static_cast<double>(ids.size()), recall / static_cast<double>(ids.size()),
          all > 0 ? agree / all : 1.0};
}

TEST(EvalClusters, HandComputedExample) {
  // gold {a,b,c}{d,e}; predicted {a,b}{c,d,e}.
  const Partition gold = FromLabels({{"a", "1"}, {"b", "1"}, {"c", "1"}, {"d", "2"}, {"e", "2"}});
  const Partition predicted = FromLabels({{"a", "x"}, {"b", "x"}, {"c", "y"}, {"d", "y"}, {"e", "y"}});
  const ClusterScores s = ScoreClusters(gold, predicted);
  // Pairs: gold ab ac bc de, predicted ab cd ce de, both ab de.
  EXPECT_DOUBLE_EQ(s.pairwise_precision, 0.5);
  EXPECT_DOUBLE_EQ(s.pairwise_recall, 0.5);
  EXPECT_DOUBLE_EQ(s.pairwise_f1, 0.5);
  // B-cubed precision per doc: 1, 1, 1/3, 2/3, 2/3; recall: 2/3, 2/3, 1/3, 1, 1.
  EXPECT_NEAR(s.bcubed_precision, 11.0 / 15, 1e-12);
  EXPECT_NEAR(s.bcubed_recall, 11.0 / 15, 1e-12);
  EXPECT_NEAR(s.bcubed_f1, 11.0 / 15, 1e-12);
  // ARI: index 2, expected 4*4/10 = 1.6, max 4 -> 0.4 / 2.4.
  EXPECT_NEAR(s.adjusted_rand, 1.0 / 6, 1e-12);
  EXPECT_EQ(s.documents, 5u);
  EXPECT_EQ(s.gold_clusters, 2u);
  EXPECT_EQ(s.predicted_clusters, 2u);
}

TEST(EvalClusters, IdenticalPartitionsScoreOneWhateverTheLabels) {
  const Partition gold = FromLabels({{"a", "1"}, {"b", "1"}, {"c", "2"}, {"d", "3"}});
  const Partition renamed = FromLabels({{"a", "z"}, {"b", "z"}, {"c", "q"}, {"d", "w"}});
  const ClusterScores s = ScoreClusters(gold, renamed);
  EXPECT_EQ(s.pairwise_f1, 1.0);
  EXPECT_EQ(s.bcubed_f1, 1.0);
  EXPECT_EQ(s.adjusted_rand, 1.0);
  // All singletons on both sides: nothing to find, nothing wrong.
  const Partition singletons = FromLabels({{"a", "1"}, {"b", "2"}});
  EXPECT_EQ(ScoreClusters(singletons, singletons).adjusted_rand, 1.0);
  EXPECT_EQ(ScoreClusters(singletons, singletons).bcubed_f1, 1.0);
}

TEST(EvalClusters, MatchesBruteForceDefinitionsOnRandomPartitions) {
  std::mt19937_64 random(11);
  for (int trial = 0; trial < 200; ++trial) {
    const int n = 2 + static_cast<int>(random() % 30);
    Partition gold, predicted;
    const int gold_k = 1 + static_cast<int>(random() % 6), predicted_k = 1 + static_cast<int>(random() % 6);
    for (int i = 0; i < n; ++i) {
      gold["d" + std::to_string(i)] = std::to_string(random() % gold_k);
      predicted["d" + std::to_string(i)] = std::to_string(random() % predicted_k);
    }
    const ClusterScores s = ScoreClusters(gold, predicted);
    const Reference r = BruteForce(gold, predicted);
    EXPECT_NEAR(s.pairwise_precision, r.pairwise_precision, 1e-12);
    EXPECT_NEAR(s.pairwise_recall, r.pairwise_recall, 1e-12);
    EXPECT_NEAR(s.bcubed_precision, r.bcubed_precision, 1e-12);
    EXPECT_NEAR(s.bcubed_recall, r.bcubed_recall, 1e-12);
    EXPECT_LE(s.adjusted_rand, 1.0 + 1e-12);
    // ARI is the Rand index corrected for chance: it equals 1 exactly when the Rand index is 1.
    EXPECT_EQ(r.rand == 1.0, std::abs(s.adjusted_rand - 1.0) < 1e-12);
  }
}

TEST(EvalClusters, MissingPredictionsAreSingletonsAndExtrasIgnored) {
  const Partition gold = FromLabels({{"a", "1"}, {"b", "1"}, {"c", "2"}});
  const Partition predicted = FromLabels({{"a", "x"}, {"z", "x"}});
  const ClusterScores s = ScoreClusters(gold, predicted);
  EXPECT_EQ(s.missing, 2u);
  EXPECT_EQ(s.extra, 1u);
  EXPECT_EQ(s.pairwise_recall, 0.0);
  EXPECT_EQ(s.pairwise_precision, 1.0);  // no predicted pair among the gold ids
  EXPECT_EQ(s.predicted_clusters, 3u);
}

TEST(EvalClusters, ReadsEveryGoldAndPredictionFormat) {
  testing::TempDir dir;
  testing::WriteFile(dir / "gold.json",
                     "{\"about\": \"x\",\n \"clusters\": [\n {\"story\": \"s\", \"docs\": [\"a\", \"b\"]},\n"
                     " {\"docs\": [\"c\"]}],\n \"notes\": []}\n");
  testing::WriteFile(dir / "gold.jsonl", "{\"id\":\"a\",\"cluster\":1}\n{\"id\":\"b\",\"cluster\":1}\n\n"
                                         "{\"id\":\"c\",\"cluster\":\"two\"}\n");
  const Partition from_json = ReadGoldClusters(dir / "gold.json");
  const Partition from_lines = ReadGoldClusters(dir / "gold.jsonl");
  EXPECT_EQ(from_json.size(), 3u);
  EXPECT_EQ(from_json.at("a"), from_json.at("b"));
  EXPECT_NE(from_json.at("a"), from_json.at("c"));
  EXPECT_EQ(ScoreClusters(from_json, from_lines).bcubed_f1, 1.0);

  std::filesystem::create_directories(dir / "out");
  testing::WriteFile(dir / "out/decisions.jsonl",
                     "{\"id\":\"a\",\"source\":\"f:1\",\"decision\":\"kept\",\"cluster\":0,\"duplicate_of\":null}\n"
                     "{\"id\":\"b\",\"source\":\"f:2\",\"decision\":\"duplicate\",\"cluster\":0,\"duplicate_of\":\"a\"}\n"
                     "{\"id\":\"c\",\"source\":\"f:3\",\"decision\":\"kept\",\"cluster\":null,\"duplicate_of\":null}\n"
                     "{\"id\":\"r\",\"source\":\"f:4\",\"decision\":\"rejected\",\"cluster\":null,\"duplicate_of\":null}\n");
  testing::WriteFile(dir / "clusters.jsonl", "{\"cluster\":0,\"representative\":\"a\",\"docs\":[\"a\",\"b\"]}\n");
  testing::WriteFile(dir / "pred.jsonl", "{\"id\":\"a\",\"cluster\":5}\n{\"id\":\"b\",\"cluster\":5}\n"
                                         "{\"id\":\"c\",\"cluster\":6}\n");
  const Partition from_folder = ReadPredictedClusters(dir / "out");
  EXPECT_EQ(from_folder.size(), 3u);  // the rejected document is not a prediction
  EXPECT_EQ(from_folder.at("a"), from_folder.at("b"));
  EXPECT_NE(from_folder.at("a"), from_folder.at("c"));
  for (const std::string& path : {dir / "out", dir / "out/decisions.jsonl", dir / "clusters.jsonl", dir / "pred.jsonl"}) {
    EXPECT_EQ(ScoreClusters(from_json, ReadPredictedClusters(path)).bcubed_f1, 1.0) << path;
  }
}

TEST(EvalClusters, UnreadableInputNamesFileAndLine) {
  testing::TempDir dir;
  testing::WriteFile(dir / "bad.jsonl", "{\"id\":\"a\",\"cluster\":1}\nnot json\n");
  try {
    ReadPredictedClusters(dir / "bad.jsonl");
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("bad.jsonl:2"), std::string::npos) << error.what();
  }
  testing::WriteFile(dir / "dup.jsonl", "{\"id\":\"a\",\"cluster\":1}\n{\"id\":\"a\",\"cluster\":2}\n");
  EXPECT_THROW(ReadGoldClusters(dir / "dup.jsonl"), Error);
  EXPECT_THROW(ReadGoldClusters(dir / "absent.jsonl"), Error);
}

}  // namespace
}  // namespace neardup
