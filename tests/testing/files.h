#pragma once
// Test helpers: a temporary folder removed at the end of the test, and whole-file read/write,
// gzip and zstd writers (so readers are tested on real compressed streams).
#include <string>

namespace neardup::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

std::string ReadFile(const std::string& path);
void WriteFile(const std::string& path, const std::string& bytes);
std::string Gzip(const std::string& bytes);
std::string Zstd(const std::string& bytes);
// Runs a shell command; returns its exit status (0..255) and fills stdout/stderr if given.
int RunCommand(const std::string& command, std::string* out = nullptr, std::string* err = nullptr);

}  // namespace neardup::testing
