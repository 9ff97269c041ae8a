#pragma once
// Spill files: the temporary files of the bounded-memory run (pipeline_bounded.h), which keeps
// documents, shingle sets and band keys on disk between its passes instead of in memory.
// A SpillFile is created in a folder and unlinked at once (O_TMPFILE where the file system has
// it), so it never outlives the process, not even a kill -9, and needs no cleanup. It is written
// by appending (buffered) and read back with pread from any thread once flushed. I/O errors
// (disk full, EIO) throw Error naming the folder and what the file holds. Not for concurrent
// appends; concurrent reads after Flush() are fine.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "neardup/document.h"

namespace neardup {

class SpillFile {
 public:
  // `what` names the content in error messages ("documents", "shingle sets", ...). Appends are
  // written out each time `buffer_bytes` of them have gathered.
  SpillFile(const std::string& dir, std::string what, std::size_t buffer_bytes = 4u << 20);
  ~SpillFile();
  SpillFile(const SpillFile&) = delete;
  SpillFile& operator=(const SpillFile&) = delete;

  // Appends `bytes` and returns the offset they start at.
  std::uint64_t Append(std::string_view bytes);
  void Flush();  // makes everything appended readable
  // Reads `into.size()` bytes at `offset` (all flushed); throws Error on a short read.
  void ReadAt(std::uint64_t offset, std::span<char> into) const;
  std::uint64_t size() const { return size_; }

 private:
  std::string dir_;
  std::string what_;
  int fd_ = -1;
  std::size_t buffer_bytes_;
  std::string buffer_;      // appended bytes not yet written
  std::uint64_t size_ = 0;  // bytes appended, written or not
};

// Documents in input order, on disk: everything a Document holds, as fixed-width fields and
// length-prefixed strings (file names are stored once and referred to by number). Written a batch
// at a time, then read back in order, a batch of about `max_bytes` at a time.
class DocumentSpill {
 public:
  DocumentSpill(const std::string& dir, std::string what);

  void Write(std::span<const Document> docs);
  void Flush() { file_.Flush(); }
  // Replaces *batch with the next documents (at least one, about max_bytes of records); false at
  // the end. Reads through a buffer, so `Write` must be finished (Flush) before the first Read.
  bool Read(std::size_t max_bytes, std::vector<Document>* batch);
  std::uint64_t bytes() const { return file_.size(); }

 private:
  SpillFile file_;
  std::vector<std::string> file_names_;  // Location::file by number
  std::unordered_map<std::string, std::uint32_t> file_numbers_;
  std::uint64_t written_ = 0;
  std::uint64_t read_offset_ = 0;
  std::uint64_t read_ = 0;
  std::string record_;  // scratch of Write
  std::string chunk_;   // scratch of Read
};

}  // namespace neardup
