#pragma once
// The command line: one Boost.Program_options table per subcommand, the single source of --help.
// ParseCommandLine validates everything into a Command before any I/O; a wrong command line
// throws neardup::UsageError (exit 2) with a one-line message.
#include <string>
#include <vector>

#include "neardup/bench_run.h"
#include "neardup/config.h"

namespace neardup::cli {

enum class CommandKind { kHelp, kVersion, kDedup, kClean, kEval, kReport, kBench };

struct Command {
  CommandKind kind = CommandKind::kHelp;
  PipelineConfig config;
  std::vector<std::string> inputs;
  std::string output;  // -o
  std::string gold;    // eval --gold
  std::string report;  // dedup --report: also write the HTML report here
  std::string help_text;
  BenchOptions bench;   // bench: corpora and thread counts
  bool json = false;    // bench --json
};

Command ParseCommandLine(int argc, const char* const* argv);

}  // namespace neardup::cli
