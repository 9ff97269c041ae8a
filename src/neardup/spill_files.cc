#include "neardup/spill_files.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "neardup/error.h"

namespace neardup {
namespace {

std::string ErrnoText(int error) { return std::strerror(error); }

// Opens an anonymous file in `dir`: O_TMPFILE, or a named file unlinked right away where the
// file system does not support it.
int OpenAnonymous(const std::string& dir, const std::string& what) {
#ifdef O_TMPFILE
  const int fd = ::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd >= 0) return fd;
#endif
  std::string pattern = (std::filesystem::path(dir) / ".neardup-spill.XXXXXX").string();
  const int named = ::mkostemp(pattern.data(), O_CLOEXEC);
  if (named < 0) {
    throw Error(dir + ": cannot create a spill file for " + what + ": " + ErrnoText(errno));
  }
  ::unlink(pattern.c_str());
  return named;
}

template <typename T>
void Put(std::string* out, T value) {
  out->append(reinterpret_cast<const char*>(&value), sizeof(value));
}

void PutString(std::string* out, std::string_view text) {
  Put<std::uint64_t>(out, text.size());
  out->append(text);
}

// Reads fields back from one record; a record that ends early is an internal error (the file
// was written by this process), reported rather than read past.
class RecordReader {
 public:
  explicit RecordReader(std::string_view record) : rest_(record) {}
  template <typename T>
  T Get() {
    T value;
    Take(sizeof(value), reinterpret_cast<char*>(&value));
    return value;
  }
  void GetString(std::string* text) {
    const auto size = Get<std::uint64_t>();
    if (size > rest_.size()) Corrupt();
    text->assign(rest_.substr(0, size));
    rest_.remove_prefix(size);
  }

 private:
  void Take(std::size_t size, char* into) {
    if (size > rest_.size()) Corrupt();
    std::memcpy(into, rest_.data(), size);
    rest_.remove_prefix(size);
  }
  [[noreturn]] static void Corrupt() { throw Error("internal error: a spilled document record is cut short"); }
  std::string_view rest_;
};

}  // namespace

SpillFile::SpillFile(const std::string& dir, std::string what, std::size_t buffer_bytes)
    : dir_(dir), what_(std::move(what)), fd_(OpenAnonymous(dir, what_)), buffer_bytes_(buffer_bytes) {}

SpillFile::~SpillFile() {
  if (fd_ >= 0) ::close(fd_);
}

std::uint64_t SpillFile::Append(std::string_view bytes) {
  const std::uint64_t offset = size_;
  buffer_.append(bytes);
  size_ += bytes.size();
  if (buffer_.size() >= buffer_bytes_) Flush();
  return offset;
}

void SpillFile::Flush() {
  std::size_t done = 0;
  while (done < buffer_.size()) {
    const ssize_t wrote = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
    if (wrote < 0) {
      if (errno == EINTR) continue;
      throw Error(dir_ + ": cannot write the spill file of " + what_ + ": " + ErrnoText(errno));
    }
    done += static_cast<std::size_t>(wrote);
  }
  buffer_.clear();
}

void SpillFile::ReadAt(std::uint64_t offset, std::span<char> into) const {
  std::size_t done = 0;
  while (done < into.size()) {
    const ssize_t got = ::pread(fd_, into.data() + done, into.size() - done,
                                static_cast<off_t>(offset + done));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) {
      throw Error(dir_ + ": cannot read back the spill file of " + what_ + ": " +
                  (got < 0 ? ErrnoText(errno) : std::string("file ends early")));
    }
    done += static_cast<std::size_t>(got);
  }
}

DocumentSpill::DocumentSpill(const std::string& dir, std::string what) : file_(dir, std::move(what)) {}

// Record: u64 length of the rest, then ordinal, file number, line, flags, reject reason, UTF-8
// repairs, the strings id, text, extra fields, reject detail, time, and the removed spans.
void DocumentSpill::Write(std::span<const Document> docs) {
  for (const Document& doc : docs) {
    auto [it, added] = file_numbers_.emplace(doc.source.file, file_names_.size());
    if (added) file_names_.push_back(doc.source.file);
    std::string& record = record_;
    record.clear();
    Put<std::uint64_t>(&record, 0);  // the length, filled in below
    Put<std::uint64_t>(&record, doc.ordinal);
    Put<std::uint32_t>(&record, it->second);
    Put<std::uint64_t>(&record, doc.source.line);
    Put<std::uint8_t>(&record, static_cast<std::uint8_t>((doc.id_is_number ? 1 : 0) | (doc.rejected ? 2 : 0)));
    Put<std::uint8_t>(&record, static_cast<std::uint8_t>(doc.rejected ? *doc.rejected : RejectReason{}));
    Put<std::uint32_t>(&record, doc.utf8_repairs);
    for (const std::string* text : {&doc.id, &doc.text, &doc.extra_fields, &doc.reject_detail, &doc.time}) {
      PutString(&record, *text);
    }
    Put<std::uint32_t>(&record, static_cast<std::uint32_t>(doc.removed.size()));
    for (const RemovedSpan& span : doc.removed) {
      Put(&record, span.first_line);
      Put(&record, span.last_line);
      Put(&record, span.content_lines);
      PutString(&record, span.reason);
    }
    const std::uint64_t length = record.size() - sizeof(std::uint64_t);
    std::memcpy(record.data(), &length, sizeof(length));
    file_.Append(record);
    ++written_;
  }
}

bool DocumentSpill::Read(std::size_t max_bytes, std::vector<Document>* batch) {
  batch->clear();
  if (read_ == written_) return false;
  // A chunk of whole records: read about max_bytes; if the first record is longer, read it whole.
  const std::uint64_t left = file_.size() - read_offset_;
  chunk_.resize(static_cast<std::size_t>(std::min<std::uint64_t>(std::max<std::size_t>(max_bytes, 64), left)));
  file_.ReadAt(read_offset_, chunk_);
  std::size_t used = 0;
  while (read_ < written_) {
    std::uint64_t length = 0;
    if (chunk_.size() - used < sizeof(length)) break;
    std::memcpy(&length, chunk_.data() + used, sizeof(length));
    if (chunk_.size() - used - sizeof(length) < length) {
      if (!batch->empty()) break;
      chunk_.resize(used + sizeof(length) + length);  // one record larger than the chunk
      file_.ReadAt(read_offset_, chunk_);
    }
    RecordReader in(std::string_view(chunk_).substr(used + sizeof(length), length));
    Document& doc = batch->emplace_back();
    doc.ordinal = in.Get<std::uint64_t>();
    const auto file_number = in.Get<std::uint32_t>();
    if (file_number >= file_names_.size()) throw Error("internal error: a spilled document names no file");
    doc.source = Location{file_names_[file_number], in.Get<std::uint64_t>()};
    const auto flags = in.Get<std::uint8_t>();
    const auto reason = in.Get<std::uint8_t>();
    doc.id_is_number = (flags & 1) != 0;
    if ((flags & 2) != 0) doc.rejected = static_cast<RejectReason>(reason);
    doc.utf8_repairs = in.Get<std::uint32_t>();
    for (std::string* text : {&doc.id, &doc.text, &doc.extra_fields, &doc.reject_detail, &doc.time}) {
      in.GetString(text);
    }
    doc.removed.resize(in.Get<std::uint32_t>());
    for (RemovedSpan& span : doc.removed) {
      span.first_line = in.Get<std::uint32_t>();
      span.last_line = in.Get<std::uint32_t>();
      span.content_lines = in.Get<std::uint32_t>();
      in.GetString(&span.reason);
    }
    used += sizeof(length) + length;
    ++read_;
    if (used >= max_bytes) break;
  }
  read_offset_ += used;
  return true;
}

}  // namespace neardup
