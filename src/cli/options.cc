#include "options.h"

#include <boost/program_options.hpp>
#include <charconv>
#include <optional>
#include <sstream>

#include "neardup/bench_run.h"
#include "neardup/error.h"

namespace neardup::cli {
namespace {

namespace po = boost::program_options;

constexpr const char* kOverview =
    "neardup: find and remove near-duplicate and re-reported news articles.\n"
    "\n"
    "Usage:\n"
    "  neardup dedup INPUT... -o DIR [options]   deduplicate; writes decisions.jsonl, clusters.jsonl,\n"
    "                                            cleaned.jsonl and report.json into DIR\n"
    "  neardup clean INPUT... -o OUT.jsonl|-     strip boilerplate only\n"
    "  neardup eval --gold GOLD PRED             score predicted clusters against gold clusters\n"
    "  neardup report DIR -o REPORT.html         one self-contained HTML page of a dedup output folder\n"
    "  neardup bench [INPUT...] [options]        whole-run throughput on generated or given corpora\n"
    "  neardup --help | --version\n"
    "\n"
    "INPUT is a folder (its .txt files are documents; its .jsonl[.gz|.zst] files JSON Lines),\n"
    "a .txt file, a JSON Lines file (plain, gzip or zstd, detected by content), or - for JSON\n"
    "Lines on stdin. Run `neardup dedup --help` for every option.\n"
    "\n"
    "What the numbers mean: copy mode estimates the Jaccard index of word 5-gram sets with a\n"
    "128-slot MinHash (standard deviation sqrt(J(1-J)/128)); LSH proposes a pair with probability\n"
    "1-(1-s^r)^b, so some pairs near the threshold are never compared (report.json gives the\n"
    "S-curve's false-negative area); every proposed pair is verified on the exact shingle sets,\n"
    "so a pair below the threshold is never joined. Shingles are 64-bit XXH3 hashes: two\n"
    "different shingles that collide count as equal.\n"
    "\n"
    "Exit codes: 0 every document accounted for; 1 the run failed and no output was replaced;\n"
    "2 usage error.\n";

struct RawOptions {
  std::string mode = "copy";
  std::string shingle = "word";
  std::string invalid_utf8 = "repair";
  double threshold = -1;
  bool no_clean = false;
  std::vector<std::string> bench_sizes;  // bench --size
  std::string bench_threads;             // bench --threads, e.g. "1,2"
  std::string bench_lang = "ar";         // bench --lang
  std::string max_memory;                // --max-memory, e.g. "2GB"
};

po::options_description BenchCommandOptions(Command* command, RawOptions* raw) {
  po::options_description options("Benchmark");
  options.add_options()
      ("size", po::value(&raw->bench_sizes)->composing(),
       "size of a generated corpus (JSONL bytes; K, M, G = 10^3, 10^6, 10^9), repeatable: "
       "--size 10MB --size 100MB --size 1GB; default 100MB; ignored when INPUTs are given")
      ("lang", po::value(&raw->bench_lang)->default_value("ar"),
       "language of generated corpora: ar, en or mixed (80% ar)")
      ("corpus-seed", po::value(&command->bench.corpus_seed)->default_value(1),
       "seed of the corpus generator; the same seed and size give the same bytes")
      ("threads,t", po::value(&raw->bench_threads),
       "comma-separated thread counts to run, e.g. 1,2; default 1 and all cores")
      ("dir", po::value(&command->bench.work_dir),
       "folder for generated corpora and temporary outputs; default the system temp folder")
      ("keep-corpus", po::bool_switch(&command->bench.keep_corpus), "keep generated corpora in --dir")
      ("repeat", po::value(&command->bench.repeat)->default_value(1),
       "runs per corpus and thread count, the thread counts alternating; each row is then the "
       "median run, with the fastest and slowest")
      ("json", po::bool_switch(&command->json), "print JSON instead of the table")
      ("quiet,q", po::bool_switch(&command->config.quiet), "no progress on stderr");
  return options;
}

void ValidateBench(Command* command, const RawOptions& raw) {
  BenchOptions& bench = command->bench;
  bench.inputs = command->inputs;
  if (raw.bench_lang == "ar") {
    bench.language = SynthLanguage::kArabic;
  } else if (raw.bench_lang == "en") {
    bench.language = SynthLanguage::kEnglish;
  } else if (raw.bench_lang == "mixed") {
    bench.language = SynthLanguage::kMixed;
  } else {
    throw UsageError("--lang must be ar, en or mixed, not '" + raw.bench_lang + "'");
  }
  if (bench.repeat < 1 || bench.repeat > 1000) throw UsageError("--repeat must be between 1 and 1000");
  if (!raw.bench_sizes.empty()) bench.sizes.clear();
  for (const std::string& text : raw.bench_sizes) {
    const std::optional<std::uint64_t> size = ParseByteSize(text);
    if (!size || *size == 0) throw UsageError("--size must be a positive size such as 100MB, not '" + text + "'");
    bench.sizes.push_back(*size);
  }
  std::stringstream list(raw.bench_threads);
  for (std::string item; std::getline(list, item, ',');) {
    int threads = 0;
    const auto [end, error] = std::from_chars(item.data(), item.data() + item.size(), threads);
    if (error != std::errc() || end != item.data() + item.size() || threads < 1 || threads > 1024) {
      throw UsageError("--threads must be a list of counts between 1 and 1024, such as 1,2");
    }
    bench.threads.push_back(threads);
  }
}

po::options_description InputOptions(Command* command, RawOptions* raw) {
  po::options_description options("Input");
  options.add_options()
      ("output,o", po::value(&command->output)->required(), "output folder (dedup) or file, - for stdout (clean)")
      ("text-field", po::value(&command->config.read.text_field)->default_value("text"),
       "JSON member holding the document text")
      ("id-field", po::value(&command->config.read.id_field)->default_value("id"),
       "JSON member holding the document id (string or integer); a document without one gets "
       "the id FILE:LINE")
      ("invalid-utf8", po::value(&raw->invalid_utf8)->default_value("repair"),
       "repair: replace invalid bytes with U+FFFD and count them in report.json; reject: reject "
       "the document with reason invalid_utf8")
      ("max-doc-bytes", po::value(&command->config.read.max_doc_bytes)->default_value(256ull << 20),
       "documents larger than this are rejected with reason too_large")
      ("threads,t", po::value(&command->config.threads)->default_value(0),
       "worker threads, 0 = all cores; the output is byte-identical for any value")
      ("quiet,q", po::bool_switch(&command->config.quiet), "no progress on stderr");
  return options;
}

po::options_description MemoryOptions(Command* command, RawOptions* raw) {
  po::options_description options("Memory");
  options.add_options()
      ("max-memory", po::value(&raw->max_memory),
       "bound memory to about this many bytes (K, M, G = 10^3, 10^6, 10^9; e.g. 2GB): documents "
       "stay on disk between passes (spill files in --spill-dir), so a dump larger than memory "
       "runs; same output, slower; not with --mode story. Default: hold the dump in memory")
      ("spill-dir", po::value(&command->config.spill_dir),
       "folder of the --max-memory run's temporary files (unlinked as soon as made); default: "
       "the output's folder (the system temp folder for clean -o -)");
  return options;
}

po::options_description DedupOptions(Command* command, RawOptions* raw) {
  po::options_description options("Deduplication");
  options.add_options()
      ("mode", po::value(&raw->mode)->default_value("copy"),
       "copy: near-duplicate copies (syndication, reposts with other site chrome), by Jaccard "
       "of shingle sets; story: re-reports of the same story in other words")
      ("threshold", po::value(&raw->threshold),
       "similarity at or above which two documents are joined; default 0.7 in copy mode "
       "(exact Jaccard of shingle sets), 0.16 in story mode (mean probability Jaccard of a cluster)")
      ("ngram", po::value(&command->config.ngram)->default_value(5), "shingle size, in words or characters")
      ("shingle", po::value(&raw->shingle)->default_value("word"),
       "word: word n-grams; char: character n-grams (for very short texts)")
      ("num-perm", po::value(&command->config.num_perm)->default_value(128),
       "MinHash slots per signature; more slots, fewer LSH misses and more work")
      ("bands", po::value(&command->config.bands)->default_value(0),
       "LSH bands; 0 = chosen with --rows from the threshold to minimize the false-positive plus "
       "false-negative area of the S-curve (both printed in report.json)")
      ("rows", po::value(&command->config.rows)->default_value(0), "LSH rows per band; 0 = chosen")
      ("seed", po::value(&command->config.seed)->default_value(1),
       "seed of the MinHash permutations; the same seed gives the same output")
      ("no-clean", po::bool_switch(&raw->no_clean), "do not strip boilerplate before shingling")
      ("time-field", po::value(&command->config.read.time_field),
       "story mode: JSON member with the document's date (YYYY-MM-DD...)")
      ("window", po::value(&command->config.window_days)->default_value(0),
       "story mode: join documents only when their dates are at most this many days apart; 0 = off")
      ("report", po::value(&command->report),
       "also write the HTML cluster report of DIR to this file (as `neardup report DIR -o FILE`)");
  return options;
}

void Validate(Command* command, const RawOptions& raw) {
  PipelineConfig& config = command->config;
  if (raw.mode == "copy") {
    config.mode = Mode::kCopy;
  } else if (raw.mode == "story") {
    config.mode = Mode::kStory;
  } else {
    throw UsageError("--mode must be copy or story, not '" + raw.mode + "'");
  }
  if (raw.shingle == "word") {
    config.shingle = ShingleKind::kWord;
  } else if (raw.shingle == "char") {
    config.shingle = ShingleKind::kChar;
  } else {
    throw UsageError("--shingle must be word or char, not '" + raw.shingle + "'");
  }
  if (raw.invalid_utf8 == "repair") {
    config.read.invalid_utf8 = InvalidUtf8Policy::kRepair;
  } else if (raw.invalid_utf8 == "reject") {
    config.read.invalid_utf8 = InvalidUtf8Policy::kReject;
  } else {
    throw UsageError("--invalid-utf8 must be repair or reject, not '" + raw.invalid_utf8 + "'");
  }
  config.threshold = raw.threshold < 0 ? DefaultThreshold(config.mode) : raw.threshold;
  if (!(config.threshold > 0 && config.threshold < 1)) throw UsageError("--threshold must be between 0 and 1 (exclusive)");
  if (config.ngram < 1 || config.ngram > 64) throw UsageError("--ngram must be between 1 and 64");
  if (config.num_perm < 1 || config.num_perm > 1024) throw UsageError("--num-perm must be between 1 and 1024");
  if (config.bands < 0 || config.rows < 0 || (config.bands > 0) != (config.rows > 0)) {
    throw UsageError("--bands and --rows go together and must be positive");
  }
  if (config.bands * config.rows > config.num_perm) throw UsageError("--bands x --rows must not exceed --num-perm");
  if (config.threads < 0 || config.threads > 1024) throw UsageError("--threads must be between 0 and 1024");
  if (config.window_days < 0) throw UsageError("--window must not be negative");
  if (config.read.max_doc_bytes == 0) throw UsageError("--max-doc-bytes must be positive");
  config.clean = !raw.no_clean;
  if (!raw.max_memory.empty()) {
    const std::optional<std::uint64_t> bytes = ParseByteSize(raw.max_memory);
    if (!bytes || *bytes < 16'000'000) {
      throw UsageError("--max-memory must be a size of at least 16MB, such as 2GB, not '" + raw.max_memory + "'");
    }
    if (config.mode == Mode::kStory) {
      throw UsageError("--max-memory applies to copy mode; story mode holds the dump in memory");
    }
    config.max_memory = *bytes;
  }
}

std::string HelpText(const std::string& usage, const po::options_description& options) {
  std::ostringstream out;
  out << usage << "\n" << options;
  return out.str();
}

}  // namespace

Command ParseCommandLine(int argc, const char* const* argv) {
  Command command;
  if (argc < 2) throw UsageError("missing command; try 'neardup --help'");
  const std::string verb = argv[1];
  if (verb == "--help" || verb == "-h" || verb == "help") {
    command.kind = CommandKind::kHelp;
    RawOptions raw;
    po::options_description all;
    all.add(DedupOptions(&command, &raw)).add(InputOptions(&command, &raw)).add(MemoryOptions(&command, &raw));
    command.help_text = HelpText(kOverview, all);
    return command;
  }
  if (verb == "--version" || verb == "-V") {
    command.kind = CommandKind::kVersion;
    return command;
  }
  RawOptions raw;
  po::options_description visible;
  std::string usage;
  if (verb == "dedup") {
    command.kind = CommandKind::kDedup;
    usage = "Usage: neardup dedup INPUT... -o DIR [options]\n";
    visible.add(DedupOptions(&command, &raw)).add(InputOptions(&command, &raw)).add(MemoryOptions(&command, &raw));
  } else if (verb == "clean") {
    command.kind = CommandKind::kClean;
    usage = "Usage: neardup clean INPUT... -o OUT.jsonl|- [options]\n";
    visible.add(InputOptions(&command, &raw)).add(MemoryOptions(&command, &raw));
  } else if (verb == "eval") {
    command.kind = CommandKind::kEval;
    usage = "Usage: neardup eval --gold GOLD PRED\n"
            "GOLD: JSON Lines of {\"id\",\"cluster\"}, or a gold.json with \"clusters\": [{\"docs\": [...]}].\n"
            "PRED: a dedup output folder, its clusters.jsonl or decisions.jsonl, or {\"id\",\"cluster\"} lines.\n";
    visible.add_options()("gold", po::value(&command.gold)->required(), "gold clusters");
  } else if (verb == "bench") {
    command.kind = CommandKind::kBench;
    usage = "Usage: neardup bench [INPUT...] [options]\n"
            "Runs the whole pipeline (read to write, outputs to a temp folder) on generated news-like\n"
            "corpora (or on INPUTs) at each thread count and prints MB/s, docs/s, per-stage seconds,\n"
            "peak RSS and bytes of memory per document as a table (or --json). Generated corpora mix\n"
            "originals, near-duplicate copies with other sites' boilerplate, and re-reports.\n";
    visible.add(BenchCommandOptions(&command, &raw)).add(DedupOptions(&command, &raw)).add(MemoryOptions(&command, &raw));
  } else if (verb == "report") {
    command.kind = CommandKind::kReport;
    usage = "Usage: neardup report DIR -o REPORT.html\n"
            "DIR: an output folder of `neardup dedup`. Writes one self-contained HTML page (nothing is\n"
            "fetched): run summary, charts, and each cluster's documents side by side with removed\n"
            "boilerplate struck through. Original texts are re-read from the inputs in DIR/report.json;\n"
            "an input that is gone is named in the page and the cleaned text is shown instead.\n";
    visible.add_options()("output,o", po::value(&command.output)->required(), "the HTML file to write");
  } else {
    throw UsageError("unknown command '" + verb + "'; try 'neardup --help'");
  }
  visible.add_options()("help,h", "this help");
  po::options_description hidden;
  hidden.add_options()("input", po::value(&command.inputs)->composing());
  po::options_description all;
  all.add(visible).add(hidden);
  po::positional_options_description positional;
  positional.add("input", -1);
  po::variables_map values;
  try {
    po::store(po::command_line_parser(argc - 1, argv + 1).options(all).positional(positional).run(), values);
    if (values.count("help") != 0) {
      command.kind = CommandKind::kHelp;
      command.help_text = HelpText(usage, visible);
      return command;
    }
    po::notify(values);
  } catch (const po::error& error) {
    throw UsageError(std::string(error.what()) + "; try 'neardup " + verb + " --help'");
  }
  if (command.kind == CommandKind::kBench) ValidateBench(&command, raw);
  if (command.inputs.empty() && command.kind != CommandKind::kBench) throw UsageError("no input given; try 'neardup " + verb + " --help'");
  if (command.kind == CommandKind::kEval && command.inputs.size() != 1) {
    throw UsageError("eval takes exactly one PRED");
  }
  if (command.kind == CommandKind::kReport && command.inputs.size() != 1) {
    throw UsageError("report takes exactly one DIR");
  }
  Validate(&command, raw);
  return command;
}

}  // namespace neardup::cli
