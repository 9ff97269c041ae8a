#include "neardup/cluster_story.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <random>
#include <set>

#include "neardup/eval_clusters.h"
#include "neardup/pipeline.h"
#include "neardup/sketch_weighted.h"
#include "neardup/synth_corpus.h"
#include "neardup/write_outputs.h"
#include "testing/files.h"
#include "testing/story_corpus.h"

namespace neardup {
namespace {

PipelineConfig StoryConfig() {
  PipelineConfig config;
  config.mode = Mode::kStory;
  config.threshold = DefaultThreshold(Mode::kStory);
  return config;
}

// The predicted partition of a run: each non-rejected document's cluster is its representative.
Partition PredictedPartition(const RunResult& result) {
  Partition partition;
  for (const Document& doc : result.docs) {
    if (!doc.rejected) partition[doc.id] = result.docs[result.clusters.representative[doc.ordinal]].id;
  }
  return partition;
}

// A partition as a set of id sets (labels and order do not matter).
std::set<std::set<std::string>> Groups(const Partition& partition) {
  std::map<std::string, std::set<std::string>> by_label;
  for (const auto& [id, label] : partition) by_label[label].insert(id);
  std::set<std::set<std::string>> groups;
  for (auto& [label, ids] : by_label) groups.insert(ids);
  return groups;
}

std::vector<Document> ToDocuments(const std::vector<testing::StoryDocument>& corpus) {
  std::vector<Document> docs(corpus.size());
  for (std::size_t i = 0; i < docs.size(); ++i) {
    docs[i].id = corpus[i].id;
    docs[i].ordinal = i;
    docs[i].source = Location{"synthetic", i + 1};
    docs[i].text = corpus[i].text;
    docs[i].time = corpus[i].date;
  }
  return docs;
}

Partition GoldOf(const std::vector<testing::StoryDocument>& corpus) {
  Partition gold;
  for (const testing::StoryDocument& doc : corpus) gold[doc.id] = std::to_string(doc.story);
  return gold;
}

// Issue #4's acceptance test: the seeds through the real pipeline (read, clean, story mode) with
// default settings group exactly {000, 002, 003} and leave 001 and 004 alone.
TEST(StoryMode, SeedsGroupTheFinancialTimesReReportsOnly) {
  const std::string seeds = std::string(NEARDUP_SOURCE_DIR) + "/corpus";
  const PipelineConfig config = StoryConfig();
  ASSERT_TRUE(config.clean);
  const RunResult result = neardup::Run(config, {seeds});
  ASSERT_EQ(result.docs.size(), 5u);
  const Partition predicted = PredictedPartition(result);
  const std::set<std::set<std::string>> expected = {
      {"000_db1a90299435d6ce", "002_dc91764ec0d952e3", "003_86487315b332e9d4"},
      {"001_5ef1db15b0fa6d8c"},
      {"004_8d74ea292e70d4b2"}};
  EXPECT_EQ(Groups(predicted), expected);
  const ClusterScores scores = ScoreClusters(ReadGoldClusters(seeds + "/gold.json"), predicted);
  EXPECT_EQ(scores.bcubed_f1, 1.0);
  EXPECT_EQ(scores.missing, 0u);
  // The clean stage ran: 002's related-news block is gone before clustering.
  EXPECT_FALSE(result.docs[2].removed.empty());
  // The cluster is explained by its shared terms, each a token of one of its members.
  const auto terms = result.clusters.shared_terms.find(0);
  ASSERT_NE(terms, result.clusters.shared_terms.end());
  EXPECT_GE(terms->second.size(), 5u);
  EXPECT_LE(terms->second.size(), kStorySharedTerms);
  for (const std::string& term : terms->second) {
    EXPECT_FALSE(term.empty());
  }
  const std::string clusters = ClustersJsonl(result.docs, result.clusters);
  EXPECT_NE(clusters.find("\"shared_terms\":[\""), std::string::npos) << clusters;
}

TEST(StoryMode, SeedsPartitionDoesNotDependOnInputOrder) {
  const std::string seeds = std::string(NEARDUP_SOURCE_DIR) + "/corpus";
  const RunResult forward = neardup::Run(StoryConfig(), {seeds});
  // Re-read and reverse: the cleaned texts and ids in the opposite order.
  const RunResult fresh = neardup::Run([] {
    PipelineConfig config = StoryConfig();
    config.mode = Mode::kCopy;
    config.threshold = 0.99;
    return config;
  }(), {seeds});
  std::vector<Document> docs = fresh.docs;
  std::reverse(docs.begin(), docs.end());
  for (std::size_t i = 0; i < docs.size(); ++i) {
    docs[i].ordinal = i;
    docs[i].rejected.reset();
  }
  PipelineConfig config = StoryConfig();
  config.clean = false;  // already cleaned
  const RunResult backward = Process(std::move(docs), config, RunReport{});
  EXPECT_EQ(Groups(PredictedPartition(forward)), Groups(PredictedPartition(backward)));
}

// IDF comes from the dump, so the same articles get other weights in a larger dump; the default
// threshold must still hold there (with idf^2 and a small prior, 001 joined the FT re-reports once
// the seeds sat among 100 other articles). Background: generated Arabic news of other stories.
TEST(StoryMode, SeedsStayRightInsideLargerDumps) {
  const std::string seeds = std::string(NEARDUP_SOURCE_DIR) + "/corpus";
  PipelineConfig read_only;
  read_only.clean = false;
  read_only.threshold = 0.99;
  const std::vector<Document> raw_seeds = neardup::Run(read_only, {seeds}).docs;
  ASSERT_EQ(raw_seeds.size(), 5u);
  const std::set<std::set<std::string>> expected = {
      {"000_db1a90299435d6ce", "002_dc91764ec0d952e3", "003_86487315b332e9d4"},
      {"001_5ef1db15b0fa6d8c"},
      {"004_8d74ea292e70d4b2"}};
  for (std::uint64_t background_bytes : {400'000ull, 8'000'000ull}) {
    SynthConfig synth;
    synth.seed = 7;
    synth.target_bytes = background_bytes;
    synth.copy_share = 0;
    synth.rereport_share = 0;
    std::vector<Document> docs = raw_seeds;
    for (Document& doc : SynthDocuments(synth)) docs.push_back(std::move(doc));
    for (std::size_t i = 0; i < docs.size(); ++i) docs[i].ordinal = i;
    const RunResult result = Process(std::move(docs), StoryConfig(), RunReport{});
    Partition seed_partition;
    for (const auto& [id, label] : PredictedPartition(result)) {
      if (id.find('_') != std::string::npos) seed_partition[id] = label;
    }
    ASSERT_EQ(seed_partition.size(), 5u);
    EXPECT_EQ(Groups(seed_partition), expected) << result.docs.size() << " documents";
    // No seed was grouped with a generated article.
    std::set<std::string> seed_labels;
    for (const auto& [id, label] : seed_partition) seed_labels.insert(label);
    for (const auto& [id, label] : PredictedPartition(result)) {
      if (id.find('_') == std::string::npos) {
        EXPECT_EQ(seed_labels.count(label), 0u) << id;
      }
    }
  }
}

TEST(StoryMode, GeneratedCorpusPartitionDoesNotDependOnInputOrderOrThreads) {
  testing::StoryCorpusConfig corpus_config;
  corpus_config.seed = 17;
  const std::vector<testing::StoryDocument> corpus = testing::MakeStoryCorpus(corpus_config);
  PipelineConfig config = StoryConfig();
  config.threads = 1;
  const RunResult base = Process(ToDocuments(corpus), config, RunReport{});
  config.threads = 2;
  const RunResult threaded = Process(ToDocuments(corpus), config, RunReport{});
  EXPECT_EQ(DecisionsJsonl(base.docs, base.clusters), DecisionsJsonl(threaded.docs, threaded.clusters));
  EXPECT_EQ(ClustersJsonl(base.docs, base.clusters), ClustersJsonl(threaded.docs, threaded.clusters));
  std::vector<testing::StoryDocument> shuffled = corpus;
  std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937_64(99));
  const RunResult other = Process(ToDocuments(shuffled), config, RunReport{});
  EXPECT_EQ(Groups(PredictedPartition(base)), Groups(PredictedPartition(other)));
}

// Labelled multi-story corpora (Arabic and English, paraphrased re-reports, same-topic hard
// negatives): the default settings must reach a B-cubed F1 floor on several seeds. Set
// NEARDUP_STORY_CORPUS_DIR to also write each corpus and its gold there (for `neardup eval`).
TEST(StoryMode, GeneratedStoriesReachBCubedFloor) {
  const char* out_dir = std::getenv("NEARDUP_STORY_CORPUS_DIR");
  for (std::uint64_t seed : {1, 2, 3}) {
    testing::StoryCorpusConfig corpus_config;
    corpus_config.seed = seed;
    const std::vector<testing::StoryDocument> corpus = testing::MakeStoryCorpus(corpus_config);
    if (out_dir != nullptr) {
      testing::WriteFile(std::string(out_dir) + "/stories" + std::to_string(seed) + ".jsonl",
                         testing::StoryCorpusJsonl(corpus));
      testing::WriteFile(std::string(out_dir) + "/gold" + std::to_string(seed) + ".jsonl",
                         testing::StoryGoldJsonl(corpus));
    }
    ASSERT_GE(corpus.size(), 80u);
    const RunResult result = Process(ToDocuments(corpus), StoryConfig(), RunReport{});
    const ClusterScores scores = ScoreClusters(GoldOf(corpus), PredictedPartition(result));
    EXPECT_GE(scores.bcubed_f1, 0.9) << "seed " << seed << "\n" << FormatClusterScores(scores);
    EXPECT_GE(scores.pairwise_precision, 0.85) << "seed " << seed << "\n" << FormatClusterScores(scores);
  }
}

TEST(StoryMode, AverageLinkDoesNotChain) {
  // A~B and B~C at 0.5, A and C unrelated: connected components would join all three; average
  // link merges A,B (ties go to the smallest pair) and then sees C at (0.5 + 0) / 2 < 0.3.
  const std::vector<StoryEdge> edges = {{0, 1, 0.5}, {1, 2, 0.5}};
  const std::vector<double> no_dates;
  EXPECT_EQ(AverageLinkClusters(3, edges, 0.3, no_dates, 0), (std::vector<std::uint32_t>{0, 0, 2}));
  // With A~C at 0.2 the mean is 0.35: all three join.
  const std::vector<StoryEdge> closed = {{0, 1, 0.5}, {1, 2, 0.5}, {0, 2, 0.2}};
  EXPECT_EQ(AverageLinkClusters(3, closed, 0.3, no_dates, 0), (std::vector<std::uint32_t>{0, 0, 0}));
  // Best pair first: B~C at 0.6 wins over A~B at 0.5, whatever the order of the edges.
  const std::vector<StoryEdge> best = {{0, 1, 0.5}, {1, 2, 0.6}};
  EXPECT_EQ(AverageLinkClusters(3, best, 0.3, no_dates, 0), (std::vector<std::uint32_t>{0, 1, 1}));
}

TEST(StoryMode, ConstructedChainThroughThePipelineDoesNotJoinItsEnds) {
  // Three documents over disjoint word pools: A and B share `k` words, B and C share `k` others,
  // A and C share none. k is the smallest overlap that puts both links at or above the threshold;
  // then the ends must stay apart (and A, B must join).
  const double threshold = DefaultThreshold(Mode::kStory);
  auto word = [](int i) { return "word" + std::string(1, static_cast<char>('a' + i % 26)) +
                                 std::string(1, static_cast<char>('a' + (i / 26) % 26)) + "x"; };
  for (int k = 1; k <= 30; ++k) {
    std::string a, b, c;
    for (int i = 0; i < 40; ++i) a += word(i) + " ";                         // A: 0..39
    for (int i = 0; i < k; ++i) b += word(i) + " ";                          // shared with A
    for (int i = 100; i < 140 - 2 * k; ++i) b += word(i) + " ";              // B's own
    for (int i = 200; i < 200 + k; ++i) b += word(i) + " " , c += word(i) + " ";  // shared with C
    for (int i = 300; i < 340 - k; ++i) c += word(i) + " ";                  // C's own
    std::vector<Document> docs(3);
    const std::string texts[] = {a, b, c};
    for (std::size_t i = 0; i < 3; ++i) {
      docs[i].id = std::string(1, static_cast<char>('A' + i));
      docs[i].ordinal = i;
      docs[i].text = texts[i];
    }
    RunReport report;
    std::vector<Document> copy = docs;
    const StoryVectors vectors = BuildStoryVectors(&copy, &report);
    const double ab = ExactProbabilityJaccard(vectors.terms[0], vectors.totals[0], vectors.terms[1], vectors.totals[1]);
    const double bc = ExactProbabilityJaccard(vectors.terms[1], vectors.totals[1], vectors.terms[2], vectors.totals[2]);
    const double ac = ExactProbabilityJaccard(vectors.terms[0], vectors.totals[0], vectors.terms[2], vectors.totals[2]);
    if (ab < threshold || bc < threshold) continue;
    ASSERT_EQ(ac, 0.0);
    ASSERT_LT(std::max(ab, bc) / 2, threshold) << "the chain's links are too strong to test";
    PipelineConfig config = StoryConfig();
    config.clean = false;
    const RunResult result = Process(std::move(docs), config, RunReport{});
    EXPECT_NE(result.clusters.representative[2], 0u) << "k=" << k;
    EXPECT_TRUE(result.clusters.representative[1] == 0 || result.clusters.representative[2] == 1) << "k=" << k;
    return;
  }
  FAIL() << "no overlap reached the threshold";
}

TEST(StoryMode, TimeWindowKeepsDistantDatesApart) {
  testing::StoryCorpusConfig corpus_config;
  corpus_config.seed = 5;
  std::vector<testing::StoryDocument> corpus = testing::MakeStoryCorpus(corpus_config);
  PipelineConfig config = StoryConfig();
  config.window_days = 0;
  const RunResult off = Process(ToDocuments(corpus), config, RunReport{});
  // A pair the run joined: move one of them 30 days later.
  std::size_t moved = corpus.size();
  std::size_t partner = corpus.size();
  for (std::size_t i = 0; i < corpus.size() && moved == corpus.size(); ++i) {
    const std::uint32_t rep = off.clusters.representative[i];
    if (rep != i && corpus[rep].story == corpus[i].story) {
      moved = i;
      partner = rep;
    }
  }
  ASSERT_LT(moved, corpus.size());
  const double day = ParseStoryDate(corpus[moved].date);
  ASSERT_FALSE(std::isnan(day));
  EXPECT_NEAR(ParseStoryDate("2024-01-31T10:00:00Z") - ParseStoryDate("2024-01-30"), 1.0 + 10.0 / 24, 1e-9);
  EXPECT_EQ(ParseStoryDate("1970-01-02"), 1.0);
  EXPECT_TRUE(std::isnan(ParseStoryDate("yesterday")));
  EXPECT_TRUE(std::isnan(ParseStoryDate("2024-02-30")));
  corpus[moved].date = "2025-06-30";
  config.window_days = 3;
  const RunResult on = Process(ToDocuments(corpus), config, RunReport{});
  EXPECT_NE(on.clusters.representative[moved], on.clusters.representative[partner]);
  // No cluster spans more than the window.
  std::map<std::uint32_t, std::pair<double, double>> spans;
  for (std::size_t i = 0; i < corpus.size(); ++i) {
    const double d = ParseStoryDate(corpus[i].date);
    auto [it, fresh] = spans.emplace(on.clusters.representative[i], std::pair{d, d});
    if (!fresh) it->second = {std::min(it->second.first, d), std::max(it->second.second, d)};
  }
  for (const auto& [rep, span] : spans) EXPECT_LE(span.second - span.first, 3.0);
  // A window wide enough joins the pair again.
  config.window_days = 1000;
  const RunResult wide = Process(ToDocuments(corpus), config, RunReport{});
  EXPECT_EQ(wide.clusters.representative[moved], wide.clusters.representative[partner]);
}

// A long document keeps exactly its kStoryTopTerms heaviest terms (ties: smaller hash); the
// weights are boost * (1 + ln tf) * idf with idf = StoryIdf(df, n + kStoryIdfPriorDocuments).
TEST(StoryMode, LongDocumentsKeepTheirHeaviestTerms) {
  std::vector<Document> docs(2);
  std::string long_text;
  std::string short_text;
  for (std::size_t i = 0; i < 3 * kStoryTopTerms; ++i) {
    const std::string word = "term" + std::string(1, static_cast<char>('a' + i % 26)) +
                             std::string(1, static_cast<char>('a' + i / 26)) + "q";
    // Repeats make weights differ; every fourth word also occurs in the short document (lower idf).
    for (std::size_t r = 0; r <= i % 3; ++r) long_text += word + " ";
    if (i % 4 == 0) short_text += word + " ";
  }
  docs[0].id = "long";
  docs[0].text = long_text;
  docs[1].id = "short";
  docs[1].ordinal = 1;
  docs[1].text = short_text;
  std::vector<Document> full_docs = docs;
  RunReport report;
  const StoryVectors vectors = BuildStoryVectors(&docs, &report);
  ASSERT_EQ(vectors.terms[0].size(), kStoryTopTerms);
  // Reference: every term of the long document with its weight by the definition.
  StoryLexicon lexicon;
  StoryTermExtractor extractor(lexicon);
  std::vector<TermCount> long_counts;
  std::vector<TermCount> short_counts;
  extractor.Extract(long_text, &long_counts);
  extractor.Extract(short_text, &short_counts);
  ASSERT_EQ(long_counts.size(), 3 * kStoryTopTerms);
  std::vector<WeightedTerm> reference;
  for (const TermCount& term : long_counts) {
    const bool shared = std::any_of(short_counts.begin(), short_counts.end(),
                                    [&](const TermCount& other) { return other.hash == term.hash; });
    const double idf = StoryIdf(shared ? 2 : 1, 2 + kStoryIdfPriorDocuments);
    reference.push_back(WeightedTerm{term.hash, StoryWeight(term, idf)});
  }
  std::sort(reference.begin(), reference.end(), [](const WeightedTerm& x, const WeightedTerm& y) {
    return x.weight != y.weight ? x.weight > y.weight : x.hash < y.hash;
  });
  reference.resize(kStoryTopTerms);
  std::sort(reference.begin(), reference.end(),
            [](const WeightedTerm& x, const WeightedTerm& y) { return x.hash < y.hash; });
  double total = 0;
  for (std::size_t i = 0; i < kStoryTopTerms; ++i) {
    EXPECT_EQ(vectors.terms[0][i].hash, reference[i].hash);
    EXPECT_EQ(vectors.terms[0][i].weight, reference[i].weight);
    total += reference[i].weight;
  }
  EXPECT_NEAR(vectors.totals[0], total, 1e-6 * total);
  // The short document is under the cap and keeps every term.
  EXPECT_EQ(vectors.terms[1].size(), short_counts.size());
}

TEST(StoryMode, DocumentWithoutStoryTermIsRejectedAsEmpty) {
  std::vector<Document> docs(2);
  docs[0].id = "a";
  docs[0].text = "the of and said";
  docs[1].id = "b";
  docs[1].ordinal = 1;
  docs[1].text = "Huawei chips delayed";
  PipelineConfig config = StoryConfig();
  config.clean = false;
  const RunResult result = Process(std::move(docs), config, RunReport{});
  ASSERT_TRUE(result.docs[0].rejected.has_value());
  EXPECT_EQ(*result.docs[0].rejected, RejectReason::kEmpty);
  EXPECT_FALSE(result.docs[1].rejected.has_value());
  EXPECT_EQ(result.clusters.representative[0], 0u);
}

}  // namespace
}  // namespace neardup
