#pragma once
// The bounded-memory run of copy mode (config.max_memory > 0): the same outputs, byte for byte, as
// RunAndWrite holding the whole dump (tests check it), but the documents are only ever in memory
// a batch at a time, so a dump larger than memory runs. Four passes, each a TBB pipeline whose
// reading, processing and writing overlap:
//  1. read: the inputs, a batch at a time -> the cleaner's dump statistics (kLean) and a spill file
//     of the documents as read (stdin is read once, like any input).
//  2. clean, normalize, shingle, sketch: spilled batch -> cleaned documents (spilled again), their
//     shingle sets (spilled) and LSH band keys (spilled band-major per batch).
//  3. index and cluster: one band at a time from disk -> candidate pairs; each pair verified on
//     its two shingle sets read back from disk -> clusters.
//  4. write: the cleaned documents, read back in order, through the streaming OutputWriter.
// What stays in memory for the whole run is per document, not per byte of text: the id and a few
// fixed fields (about 80 bytes plus the id), the cleaner's statistics until pass 2 (its 16-slot
// signature and lead index: about 500 bytes per news document; its line keys and lead samples wait
// in spill files until Finish() sorts them a slice at a time), and the candidate pairs; the
// check below also reserves 40 MiB for the program itself (code, ICU data). Measured: 204-248 MB
// peak for 1 GB of news under 256 MB, 814 MB for 4 GB under 1 GB. Pass 1 reads
// batches of max_memory / 32 bytes of text (1 MiB to 64 MiB), at most three in flight; then the
// run checks what the per-document state leaves of max_memory and shrinks the later passes'
// batches to fit (down to 256 KiB), or stops with an Error that says how much memory it needs.
// Spill files go to config.spill_dir (default: the output folder), are unlinked as soon as they
// are created, and take about 2.5x the input text on disk.
// Story mode holds its term vectors in memory and is not run this way (Error).
#include <memory>
#include <string>
#include <vector>

#include "neardup/clean_boilerplate.h"
#include "neardup/config.h"
#include "neardup/progress.h"
#include "neardup/read_inputs.h"
#include "neardup/run_report.h"
#include "neardup/spill_files.h"

namespace neardup {

RunReport RunBoundedAndWrite(const PipelineConfig& config, const std::vector<std::string>& inputs,
                             const std::string& output_dir, Progress* progress = nullptr);

// Pass 1 of a bounded run, shared by `neardup dedup` and `neardup clean` (in the caller's arena):
// reads the inputs a batch at a time into a spill of the documents as read and, when
// config.clean, the clean stage's dump statistics (lean, spilled in `spill_dir`), checking the
// memory bound as it goes (Error as above). Reading overlaps the dump scan.
struct SpilledRead {
  std::unique_ptr<DocumentSpill> documents;     // flushed, to be read back in order
  std::unique_ptr<BoilerplateCleaner> cleaner;  // null when config.clean is false
  std::uint64_t documents_read = 0;
  ReadStats stats;
  std::uint64_t state_bytes = 0;  // memory held per document from here on, all documents together
  std::size_t batch_bytes = 0;    // text bytes per batch for the later passes
  double read_seconds = 0;        // the pass, less the dump scan that overlapped it
  double clean_seconds = 0;       // the dump scan and Finish()
};
SpilledRead ReadAndSpill(const PipelineConfig& config, const std::vector<std::string>& inputs,
                         const std::string& spill_dir, Progress* progress = nullptr);

// The text bytes per batch of a bounded run with this memory bound.
std::size_t BoundedBatchBytes(std::uint64_t max_memory);

}  // namespace neardup
