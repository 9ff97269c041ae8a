#pragma once
// Story mode's cluster stage (issue #4): groups re-reports of the same story. Input: documents
// after the clean stage (rejected ones keep themselves as representative); one without a story
// term (story_terms.h) is rejected here as empty. Steps: story terms -> IDF over the dump plus a
// background prior (first pass) -> weight boost * (1 + ln tf) * idf, top kStoryTopTerms terms
// -> P-MinHash (sketch_weighted.h) -> LSH at 0.35 x --threshold -> signature pre-check, then
// exact J_P of each candidate -> average link: clusters merge, best pair first, while the mean
// J_P over all their cross pairs (unchecked pairs and pairs below 0.35 x threshold count 0) is >=
// --threshold (default 0.16), so a chain A~B~C with A, C unrelated does not join. --window: no
// cluster spans more days than that (undated documents are not restricted). Deterministic for
// any thread count and input order.
#include <cstdint>
#include <vector>

#include "neardup/cluster_result.h"
#include "neardup/config.h"
#include "neardup/document.h"
#include "neardup/run_report.h"
#include "neardup/story_terms.h"

namespace neardup {

// IDF is computed as if the dump held this many more documents without the term (StoryIdf(df,
// n + prior)): in a 5-article dump on one topic the terms its re-reports share (df 3 of 5) keep
// most of their weight instead of dropping to idf 0.54 of 1.39, and the weights of a small dump
// look like those of a large one. That makes the threshold hold across dump sizes: the seeds come
// out right at [0.152, 0.185] alone and at [0.158, 0.21] inside 500, 5,000 or 20,000 real news
// articles. (With idf^2 and a prior of 100 those ranges were [0.097, 0.128] and [0.156, 0.19]:
// squaring made a term's weight depend on ln N, so no one default fitted both.)
inline constexpr std::uint64_t kStoryIdfPriorDocuments = 1000;

// Each document keeps only its heaviest terms (ties: smaller hash): long articles no longer pile
// up many weak topic-word overlaps, J_P levels depend less on length, and vectors stay short
// (cheaper sketching and verification).
inline constexpr std::size_t kStoryTopTerms = 80;

// Shared terms listed per cluster in clusters.jsonl.
inline constexpr std::size_t kStorySharedTerms = 8;

ClusterResult ClusterStories(std::vector<Document>* docs, const PipelineConfig& config, RunReport* report);

// Steps 1-2 alone: the weighted story vector of every document (sorted by hash) and its total
// weight; rejected documents get an empty vector, and documents without a story term are
// rejected here (kEmpty). Appends the "story_terms" and "idf" stages to `report`.
struct StoryVectors {
  std::vector<std::vector<WeightedTerm>> terms;
  std::vector<double> totals;
};
StoryVectors BuildStoryVectors(std::vector<Document>* docs, RunReport* report);

// Average-link clustering of n items over sparse similarities (pairs not listed count 0): merges
// the pair of clusters with the highest mean cross similarity while it is >= threshold; ties go to
// the pair with the smallest members. `days[i]` (NaN = undated) and `window_days` (0 = off) forbid
// clusters spanning more than the window. Returns each item's cluster as its smallest member.
struct StoryEdge {
  std::uint32_t a = 0;
  std::uint32_t b = 0;
  double similarity = 0;
};
std::vector<std::uint32_t> AverageLinkClusters(std::size_t n, const std::vector<StoryEdge>& edges,
                                               double threshold, const std::vector<double>& days,
                                               double window_days);

// Days since 1970-01-01 of a date starting YYYY-MM-DD (optionally followed by THH:MM or " HH:MM");
// NaN when the value does not start with a valid date.
double ParseStoryDate(const std::string& value);

}  // namespace neardup
