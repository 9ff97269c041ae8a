// The neardup command: parses the command line, runs the job, maps exceptions to exit codes
// (0 all documents accounted for, 1 run failed and no output replaced, 2 usage error).
#include <malloc.h>
#include <unistd.h>

#include <csignal>
#include <iostream>

#include "neardup/bench_run.h"
#include "neardup/clean_run.h"
#include "neardup/error.h"
#include "neardup/eval_clusters.h"
#include "neardup/pipeline.h"
#include "neardup/progress.h"
#include "neardup/report_html.h"
#include "neardup/version.h"
#include "neardup/write_atomic.h"
#include "options.h"

namespace {

// Unless memory is bounded (--max-memory), the heap grows 64 MiB at a time and keeps up to
// 256 MiB of freed memory at its top, instead of glibc's 128 KiB steps and trims: a run over 1 GB
// made about 80,000 brk and mprotect calls growing and shrinking its arenas, each holding the
// address-space lock that the other threads' page faults wait for. Untouched pages cost no
// memory; the peak RSS of the in-memory run did not grow. A bounded run keeps glibc's defaults,
// which return freed memory at once.
void TuneHeap(const neardup::PipelineConfig& config) {
#if defined(__GLIBC__)
  if (config.max_memory != 0) return;
  mallopt(M_TOP_PAD, 64 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
#else
  (void)config;
#endif
}

}  // namespace

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);  // a closed stdout becomes a write error we can report
  neardup::InstallSignalCleanup();
  try {
    const neardup::cli::Command command = neardup::cli::ParseCommandLine(argc, argv);
    TuneHeap(command.config);
    switch (command.kind) {
      case neardup::cli::CommandKind::kHelp:
        std::cout << command.help_text;
        return 0;
      case neardup::cli::CommandKind::kVersion:
        std::cout << neardup::VersionText();
        return 0;
      case neardup::cli::CommandKind::kDedup: {
        neardup::RunReport report;
        {
          neardup::Progress progress(!command.config.quiet && ::isatty(2) != 0);
          report = neardup::RunAndWrite(command.config, command.inputs, command.output, &progress);
        }
        if (!command.config.quiet) {
          std::cerr << "neardup: read " << report.read << ", kept " << report.kept << ", duplicate "
                    << report.duplicate << ", rejected " << report.rejected << " in " << report.clusters
                    << " clusters; " << report.total_seconds << " s; outputs in " << command.output << "\n";
        }
        if (!command.report.empty()) neardup::WriteHtmlReport(command.output, command.report);
        return 0;
      }
      case neardup::cli::CommandKind::kBench: {
        const std::vector<neardup::BenchRow> rows =
            neardup::RunBench(command.bench, command.config, command.config.quiet ? nullptr : &std::cerr);
        std::cout << (command.json ? neardup::BenchJson(rows) : neardup::BenchTable(rows));
        return 0;
      }
      case neardup::cli::CommandKind::kReport:
        neardup::WriteHtmlReport(command.inputs[0], command.output);
        return 0;
      case neardup::cli::CommandKind::kEval: {
        const neardup::Partition gold = neardup::ReadGoldClusters(command.gold);
        const neardup::Partition predicted = neardup::ReadPredictedClusters(command.inputs[0]);
        std::cout << neardup::FormatClusterScores(neardup::ScoreClusters(gold, predicted));
        return 0;
      }
      case neardup::cli::CommandKind::kClean:
        neardup::RunClean(command.config, command.inputs, command.output);
        return 0;
    }
  } catch (const neardup::BrokenPipe&) {
    return 0;
  } catch (const neardup::UsageError& error) {
    std::cerr << "neardup: " << error.what() << "\n";
    return 2;
  } catch (const neardup::Error& error) {
    std::cerr << "neardup: " << error.what() << "\n";
    return 1;
  } catch (const std::bad_alloc&) {
    std::cerr << "neardup: out of memory\n";
    return 1;
  } catch (const std::exception& error) {
    std::cerr << "neardup: internal error: " << error.what() << "\n";
    return 1;
  }
  return 0;
}
