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
// cache as usual. The bytes on disk are the same either way. A full buffer is written by a
// background thread while Write() fills the other one (at most one write in flight per file, so
// the bytes stay in order); its error is thrown by the next Write() that needs the buffer, or by
// Commit().
// InstallSignalCleanup() (called once by the CLI) makes SIGTERM/SIGINT/SIGHUP remove the temps of
// live AtomicFiles before the process dies of the signal (exit status 128 + signal number).
#include <cstddef>
#include <future>
#include <memory>
#include <string>
#include <string_view>

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
  // `filling_` is full (or has no room yet): its bytes go to a background write, after the
  // previous one, and it gets an empty buffer.
  void HandOff();
  void WaitForWrite();  // rethrows the background write's error
  void FlushLast();     // writes what `filling_` holds, the last partial block without O_DIRECT
  void WriteAll(std::string_view bytes);
  void StopDirect();
  std::string final_path_;
  std::string temp_path_;
  Buffer filling_;   // written to by Write()
  Buffer writing_;   // being written by the background write `pending_`, if valid
  std::future<void> pending_;
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
