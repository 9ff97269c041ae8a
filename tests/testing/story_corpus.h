#pragma once
// A seeded generator of labelled news stories for story mode (issue #4), after zstd's datagen:
// the same (config, seed) always gives the same corpus. Stories come in topics; every story of a
// topic shares the topic's main entity and vocabulary (the hard negatives: "DeepSeek" in every
// article). Each story has its own facts (people, a place, a product code, a number with a unit,
// a month, a quoted source, and event words); each re-report is an independent paraphrase: its
// own sentence templates, synonyms for the event words, Arabic clitics and inflections, a random
// subset of the facts, topic and general filler, and words of its own commentary that no other
// document uses (real re-reports share only part of their content), so re-reports share almost
// no 5-gram.
// Arabic and English stories, several re-reports each, plus single-report stories. Documents are
// shuffled. Thread-compatible pure function.
#include <cstdint>
#include <string>
#include <vector>

namespace neardup::testing {

struct StoryDocument {
  std::string id;
  std::string text;
  std::string date;  // YYYY-MM-DD; re-reports of a story fall within 2 days of each other
  int story = 0;     // gold label
};

struct StoryCorpusConfig {
  int topics_per_language = 4;
  int stories_per_topic = 4;
  int min_reports = 2;
  int max_reports = 5;
  double single_report_fraction = 0.25;  // stories with one report only
  std::uint64_t seed = 1;
};

std::vector<StoryDocument> MakeStoryCorpus(const StoryCorpusConfig& config);

// JSON Lines {"id","text","date"} and gold {"id","cluster"} lines of a corpus.
std::string StoryCorpusJsonl(const std::vector<StoryDocument>& docs);
std::string StoryGoldJsonl(const std::vector<StoryDocument>& docs);

}  // namespace neardup::testing
