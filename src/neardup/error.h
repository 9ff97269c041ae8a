#pragma once
// Run-fatal errors. A problem that makes the whole run untrustworthy (a file that cannot be opened,
// read or written, a truncated compressed stream, invalid options) is thrown as neardup::Error and
// caught only in the CLI's main, which prints what() and exits 1 (UsageError: exit 2).
// Problems with a single document are never thrown: they become a Rejected decision (decision.h).
// what() is one line: "FILE:LINE: message" when a place is known, else "FILE: message" or "message".
#include <cstdint>
#include <stdexcept>
#include <string>

namespace neardup {

// A place in the input: the file (or "-" for stdin) and a 1-based line (0 = the whole file).
struct Location {
  std::string file;
  std::uint64_t line = 0;

  std::string ToString() const;  // "file:line", or "file" when line is 0
};

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message);
  Error(const Location& where, const std::string& message);
};

// A wrong command line or option value: exit code 2 instead of 1.
class UsageError : public Error {
 public:
  explicit UsageError(const std::string& message) : Error(message) {}
};

// Standard output was closed by its reader (`neardup clean -o - | head`): the CLI exits 0 quietly,
// as ripgrep does, since the reader asked for no more.
class BrokenPipe : public Error {
 public:
  BrokenPipe() : Error("stdout: broken pipe") {}
};

// "message: <errno text>" for the current errno, for Error messages after a failed system call.
std::string WithErrno(const std::string& message, int errno_value);

}  // namespace neardup
