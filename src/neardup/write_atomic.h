#pragma once
// Atomic output files. An AtomicFile writes to "<dir>/.<name>.tmp.<pid>" in the target directory
// and only Commit() makes it visible: flush, fsync, rename over the final name, fsync the folder.
// Destroyed without Commit (an error, an exception), it removes its temp file, so a failed run
// leaves the previous output untouched and no partial file. A write error (disk full, EFBIG)
// throws Error naming the file. RemoveStaleTemps() clears temps left by a killed run.
// "-" writes to stdout (not atomic; used by `neardup clean -o -`). Not for concurrent use: calls
// may come from different threads, one at a time.
// InstallSignalCleanup() (called once by the CLI) makes SIGTERM/SIGINT/SIGHUP remove the temps of
// live AtomicFiles before the process dies of the signal (exit status 128 + signal number).
#include <cstddef>
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
  void Flush();
  void WriteAll(std::string_view bytes);
  std::string final_path_;
  std::string temp_path_;
  std::string buffer_;
  int fd_ = -1;
  int registry_slot_ = -1;  // slot in the signal-cleanup registry, -1 if none
  bool committed_ = false;
};

void InstallSignalCleanup();

// Removes ".<name>.tmp.*" files that a killed run left in `dir`.
void RemoveStaleTemps(const std::string& dir);

// Creates `dir` if needed and checks that a file can be created in it; throws Error if not.
void PrepareOutputDir(const std::string& dir);

}  // namespace neardup
