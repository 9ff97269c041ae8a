#pragma once
// Byte streams over a file or stdin, decompressed by magic bytes (not by extension, since scraped
// dumps are often misnamed): gzip (1f 8b; multi-member read fully), zstd (28 b5 2f fd; multi-frame
// read fully), anything else read as it is. A truncated or corrupt compressed stream throws
// neardup::Error naming the file: zlib and zstd report a cut stream as a plain end unless the
// final state is checked, and it is. LineReader splits a stream into lines.
// One reader per thread; returned views live until the next call.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace neardup {

enum class Compression { kNone, kGzip, kZstd };

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Fills up to `capacity` bytes; returns 0 only at the (verified) end of the stream.
  virtual std::size_t Read(char* buffer, std::size_t capacity) = 0;
};

// Opens `path` ("-" = stdin) and detects its compression. Throws Error if it cannot be opened.
std::unique_ptr<ByteSource> OpenByteSource(const std::string& path, Compression* detected = nullptr);

// Splits a stream into lines ending in "\n"; the "\n" (and a "\r" before it) is not part of the
// line. A last line without "\n" is still returned. Line numbers are 1-based.
class LineReader {
 public:
  LineReader(std::unique_ptr<ByteSource> source, std::string name);
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  // The next line, valid until the next call; false at the end of the stream.
  bool Next(std::string_view* line);
  std::uint64_t line_number() const { return line_number_; }
  std::uint64_t bytes_read() const { return bytes_read_; }
  const std::string& name() const { return name_; }

 private:
  bool Fill();
  std::unique_ptr<ByteSource> source_;
  std::string name_;
  std::string buffer_;
  std::size_t begin_ = 0;  // start of unread data in buffer_
  std::size_t end_ = 0;    // end of valid data in buffer_
  bool eof_ = false;
  std::uint64_t line_number_ = 0;
  std::uint64_t bytes_read_ = 0;
};

// Reads a whole stream into a string (for .txt documents).
std::string ReadAll(ByteSource& source);

}  // namespace neardup
