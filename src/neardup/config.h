#pragma once
// PipelineConfig: every tunable of a run, with its default and its effect, in one place.
// The CLI (src/cli/options.cc) fills it from the command line and validates it before any I/O;
// tests and benchmarks build it directly. Plain value type; safe to copy and to share read-only.
#include <cstdint>
#include <string>
#include <vector>

namespace neardup {

enum class Mode { kCopy, kStory };
enum class ShingleKind { kWord, kChar };
enum class InvalidUtf8Policy { kRepair, kReject };

struct ReadConfig {
  std::string text_field = "text";  // JSON member holding the document text
  std::string id_field = "id";      // JSON member holding the id; missing -> "file:line"
  std::string time_field;           // JSON member holding a date (story --window); empty = none
  InvalidUtf8Policy invalid_utf8 = InvalidUtf8Policy::kRepair;  // repair with U+FFFD, or reject
  std::uint64_t max_doc_bytes = 256ull << 20;  // larger documents are rejected (too_large)
};

struct PipelineConfig {
  ReadConfig read;
  Mode mode = Mode::kCopy;             // copy: near-duplicate copies; story: re-reports
  bool clean = true;                   // run the boilerplate clean stage before shingling
  ShingleKind shingle = ShingleKind::kWord;  // word n-grams, or character n-grams
  int ngram = 5;                       // n of the shingles (words or characters)
  int num_perm = 128;                  // MinHash slots per signature
  double threshold = 0.7;              // similarity at or above which two documents are joined
  std::uint64_t seed = 1;              // seeds the MinHash permutations; same seed, same output
  int threads = 0;                     // worker threads; 0 = all cores. Output never depends on it
  int bands = 0;                       // LSH bands; 0 = chosen from threshold (index_lsh.h)
  int rows = 0;                        // LSH rows per band; 0 = chosen with bands
  double window_days = 0;              // story mode: join only within this many days; 0 = off
  bool quiet = false;                  // no progress on stderr
  // Memory bound in bytes; 0 = none: the dump is held in memory (fastest). Otherwise the
  // bounded-memory run (pipeline_bounded.h) keeps documents on disk between passes, so a dump
  // larger than memory runs; copy mode only.
  std::uint64_t max_memory = 0;
  std::string spill_dir;               // the bounded run's temporary files; empty = output folder
  std::uint64_t batch_bytes = 0;       // bounded run: text bytes per batch; 0 = from max_memory
};

// Default threshold of each mode: 0.7 on shingle Jaccard for copies; story mode's is documented
// in cluster_story.h.
double DefaultThreshold(Mode mode);

}  // namespace neardup
