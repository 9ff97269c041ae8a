#pragma once
// Atomic output files. An AtomicFile writes to "<dir>/.<name>.tmp.<pid>" in the target directory
// and only Commit() makes it visible: flush, fsync, rename over the final name, fsync the folder.
// Destroyed without Commit (an error, an exception), it removes its temp file, so a failed run
// leaves the previous output untouched and no partial file. A write error (disk full, EFBIG)
// throws Error naming the file. RemoveStaleTemps() clears temps left by a killed run.
// "-" writes to stdout (not atomic; used by `neardup clean -o -`). Not for concurrent use: calls
// may come from different threads, one at a time.
// The temp file is written with O_DIRECT where the file system takes it, in aligned blocks of up
// to 2 MiB from aligned buffers, and only the last partial block through the page cache: on
// large outputs this spares the kernel's copy into the page cache and the writeback before fsync
// (on the CI machine 1 GB took 0.7 s instead of 2.7). Where O_DIRECT is refused (tmpfs, some
// network file systems: open or write fails with EINVAL) the file is written through the page
// cache as usual. The bytes on disk are the same either way. Full buffers go to a queue that the
// file's writer thread (started at the first full buffer, so small files have none) writes one at
// a time, in order, while Write() fills the next: Write() waits only when four full buffers are
// queued or being written, that is when the disk is behind, so the callers that build the bytes
// are not held up by each write. A write's error stops the writer and is thrown by the next
// Write() that hands off a buffer, or by Commit().
// InstallSignalCleanup() (called once by the CLI) makes SIGTERM/SIGINT/SIGHUP remove the temps of
// live AtomicFiles before the process dies of the signal (exit status 128 + signal number).
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace neardup {

class AtomicFile {
 public:
  explicit AtomicFile(std::string final_path);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  void Write(std::string_view bytes);  // buffered
  void Commit();
  const std::string& final_path() const { return final_path_; }

 private:
  struct FreeAligned {
    void operator()(char* p) const;
  };
  struct Buffer {
    std::unique_ptr<char[], FreeAligned> data;  // aligned for O_DIRECT
    std::size_t size = 0;
    std::size_t capacity = 0;  // a multiple of the O_DIRECT block
  };
  // `filling_` is full (or has no room yet): its bytes join the queue and it gets an empty buffer,
  // a larger one while the buffers grow.
  void HandOff();
  void WriterLoop();    // the writer thread: writes queued buffers in order until stopped
  void Drain();         // waits until the queue is written; rethrows the writer's error
  void StopWriter();    // ends and joins the writer thread
  void FlushLast();     // writes what `filling_` holds, the last partial block without O_DIRECT
  void WriteAll(std::string_view bytes);
  void StopDirect();
  std::string final_path_;
  std::string temp_path_;
  Buffer filling_;  // written to by Write()
  // Shared with the writer thread, under `mutex_`.
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Buffer> queued_;  // full buffers, in file order
  bool writing_ = false;       // the writer thread holds the buffer before them
  std::vector<Buffer> spare_;  // written buffers, for reuse
  std::exception_ptr error_;   // the writer's first error; it writes nothing after it
  bool stopping_ = false;
  std::thread writer_;
  int fd_ = -1;
  bool direct_ = false;
  int registry_slot_ = -1;  // slot in the signal-cleanup registry, -1 if none
  bool committed_ = false;
};

void InstallSignalCleanup();

// Removes ".<name>.tmp.*" files that a killed run left in `dir`.
void RemoveStaleTemps(const std::string& dir);

// Creates `dir` if needed and checks that a file can be created in it; throws Error if not.
void PrepareOutputDir(const std::string& dir);

}  // namespace neardup
