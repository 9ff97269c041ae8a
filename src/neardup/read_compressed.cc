#include "neardup/read_compressed.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "neardup/error.h"

namespace neardup {
namespace {

constexpr std::size_t kChunk = 1 << 18;

class FileDescriptor {
 public:
  FileDescriptor(int fd, std::string name, bool owned) : fd_(fd), name_(std::move(name)), owned_(owned) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (owned_ && fd_ >= 0) ::close(fd_);
  }
  std::size_t Read(char* buffer, std::size_t capacity) {
    for (;;) {
      ssize_t n = ::read(fd_, buffer, capacity);
      if (n >= 0) return static_cast<std::size_t>(n);
      if (errno == EINTR) continue;
      throw Error(WithErrno(name_ + ": read failed", errno));
    }
  }
  const std::string& name() const { return name_; }

 private:
  int fd_;
  std::string name_;
  bool owned_;
};

// Plain bytes; `pending` holds the bytes already read for magic detection.
class PlainSource : public ByteSource {
 public:
  PlainSource(std::unique_ptr<FileDescriptor> fd, std::string pending)
      : fd_(std::move(fd)), pending_(std::move(pending)) {}
  std::size_t Read(char* buffer, std::size_t capacity) override {
    if (pending_offset_ < pending_.size()) {
      std::size_t n = std::min(capacity, pending_.size() - pending_offset_);
      std::memcpy(buffer, pending_.data() + pending_offset_, n);
      pending_offset_ += n;
      return n;
    }
    return fd_->Read(buffer, capacity);
  }
  const std::string& name() const { return fd_->name(); }

 private:
  std::unique_ptr<FileDescriptor> fd_;
  std::string pending_;
  std::size_t pending_offset_ = 0;
};

// gzip via zlib's inflate with automatic header detection; concatenated members are all read.
// A stream that ends before a member's trailer is an error (zlib would only say Z_BUF_ERROR).
class GzipSource : public ByteSource {
 public:
  GzipSource(std::unique_ptr<FileDescriptor> fd, std::string pending)
      : raw_(std::move(fd), std::move(pending)), name_(raw_.name()), input_(kChunk) {
    std::memset(&stream_, 0, sizeof(stream_));
    if (inflateInit2(&stream_, 15 + 32) != Z_OK) throw Error(name_ + ": cannot start gzip decoder");
  }
  GzipSource(const GzipSource&) = delete;
  GzipSource& operator=(const GzipSource&) = delete;
  ~GzipSource() override { inflateEnd(&stream_); }

  std::size_t Read(char* buffer, std::size_t capacity) override {
    if (finished_) return 0;
    stream_.next_out = reinterpret_cast<Bytef*>(buffer);
    stream_.avail_out = static_cast<uInt>(capacity);
    while (stream_.avail_out == capacity) {
      if (stream_.avail_in == 0) {
        std::size_t n = raw_.Read(input_.data(), input_.size());
        if (n == 0) {
          if (in_member_) throw Error(name_ + ": truncated gzip stream (unexpected end of file)");
          finished_ = true;
          break;
        }
        stream_.next_in = reinterpret_cast<Bytef*>(input_.data());
        stream_.avail_in = static_cast<uInt>(n);
      }
      in_member_ = true;
      int rc = inflate(&stream_, Z_NO_FLUSH);
      if (rc == Z_STREAM_END) {
        in_member_ = false;
        // Another member may follow (multi-member gzip, as written by `cat a.gz b.gz`).
        if (inflateReset(&stream_) != Z_OK) throw Error(name_ + ": gzip reset failed");
        continue;
      }
      if (rc != Z_OK && rc != Z_BUF_ERROR) {
        throw Error(name_ + ": corrupt gzip stream (" + (stream_.msg ? stream_.msg : "zlib error") + ")");
      }
    }
    return capacity - stream_.avail_out;
  }

 private:
  PlainSource raw_;
  std::string name_;
  std::vector<char> input_;
  z_stream stream_{};
  bool in_member_ = false;
  bool finished_ = false;
};

// zstd streaming decompression; a file that ends inside a frame is an error.
class ZstdSource : public ByteSource {
 public:
  ZstdSource(std::unique_ptr<FileDescriptor> fd, std::string pending)
      : raw_(std::move(fd), std::move(pending)), input_(ZSTD_DStreamInSize()) {
    name_ = raw_.name();
    stream_ = ZSTD_createDStream();
    if (stream_ == nullptr) throw Error(name_ + ": cannot start zstd decoder");
  }
  ZstdSource(const ZstdSource&) = delete;
  ZstdSource& operator=(const ZstdSource&) = delete;
  ~ZstdSource() override { ZSTD_freeDStream(stream_); }

  std::size_t Read(char* buffer, std::size_t capacity) override {
    ZSTD_outBuffer out{buffer, capacity, 0};
    while (out.pos == 0 && !finished_) {
      if (in_.pos == in_.size) {
        std::size_t n = raw_.Read(input_.data(), input_.size());
        if (n == 0) {
          if (last_result_ != 0) throw Error(name_ + ": truncated zstd stream (unexpected end of file)");
          finished_ = true;
          break;
        }
        in_ = ZSTD_inBuffer{input_.data(), n, 0};
      }
      last_result_ = ZSTD_decompressStream(stream_, &out, &in_);
      if (ZSTD_isError(last_result_)) {
        throw Error(name_ + ": corrupt zstd stream (" + ZSTD_getErrorName(last_result_) + ")");
      }
    }
    return out.pos;
  }

 private:
  PlainSource raw_;
  std::string name_;
  std::vector<char> input_;
  ZSTD_inBuffer in_{nullptr, 0, 0};
  ZSTD_DStream* stream_ = nullptr;
  std::size_t last_result_ = 0;  // 0 exactly when the last frame was completely decoded
  bool finished_ = false;
};

}  // namespace

std::unique_ptr<ByteSource> OpenByteSource(const std::string& path, Compression* detected) {
  std::unique_ptr<FileDescriptor> fd;
  if (path == "-") {
    fd = std::make_unique<FileDescriptor>(0, "-", false);
  } else {
    int raw = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (raw < 0) throw Error(WithErrno(path + ": cannot open", errno));
    struct stat info {};
    if (::fstat(raw, &info) == 0 && S_ISDIR(info.st_mode)) {
      ::close(raw);
      throw Error(path + ": is a directory, not a file");
    }
    fd = std::make_unique<FileDescriptor>(raw, path, true);
  }
  std::string head(4, '\0');
  std::size_t have = 0;
  while (have < head.size()) {
    std::size_t n = fd->Read(head.data() + have, head.size() - have);
    if (n == 0) break;
    have += n;
  }
  head.resize(have);
  auto starts = [&](std::initializer_list<unsigned char> magic) {
    if (head.size() < magic.size()) return false;
    std::size_t i = 0;
    for (unsigned char byte : magic) {
      if (static_cast<unsigned char>(head[i++]) != byte) return false;
    }
    return true;
  };
  Compression kind = Compression::kNone;
  if (starts({0x1f, 0x8b})) kind = Compression::kGzip;
  if (starts({0x28, 0xb5, 0x2f, 0xfd})) kind = Compression::kZstd;
  if (detected != nullptr) *detected = kind;
  switch (kind) {
    case Compression::kGzip:
      return std::make_unique<GzipSource>(std::move(fd), std::move(head));
    case Compression::kZstd:
      return std::make_unique<ZstdSource>(std::move(fd), std::move(head));
    case Compression::kNone:
      break;
  }
  return std::make_unique<PlainSource>(std::move(fd), std::move(head));
}

LineReader::LineReader(std::unique_ptr<ByteSource> source, std::string name)
    : source_(std::move(source)), name_(std::move(name)), buffer_(kChunk, '\0') {}

bool LineReader::Fill() {
  if (eof_) return false;
  if (begin_ > 0) {  // move the partial line to the front
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (end_ == buffer_.size()) buffer_.resize(buffer_.size() * 2);
  std::size_t n = source_->Read(buffer_.data() + end_, buffer_.size() - end_);
  if (n == 0) {
    eof_ = true;
    return false;
  }
  end_ += n;
  bytes_read_ += n;
  return true;
}

bool LineReader::Next(std::string_view* line) {
  std::size_t scan_from = begin_;
  for (;;) {
    const void* found = std::memchr(buffer_.data() + scan_from, '\n', end_ - scan_from);
    if (found != nullptr) {
      std::size_t newline = static_cast<const char*>(found) - buffer_.data();
      std::size_t stop = newline;
      if (stop > begin_ && buffer_[stop - 1] == '\r') --stop;
      *line = std::string_view(buffer_.data() + begin_, stop - begin_);
      begin_ = newline + 1;
      ++line_number_;
      return true;
    }
    std::size_t scanned = end_ - begin_;
    if (!Fill()) {
      if (begin_ == end_) return false;
      std::size_t stop = end_;
      if (buffer_[stop - 1] == '\r') --stop;
      *line = std::string_view(buffer_.data() + begin_, stop - begin_);
      begin_ = end_;
      ++line_number_;
      return true;
    }
    scan_from = begin_ + scanned;
  }
}

std::string ReadAll(ByteSource& source) {
  std::string out;
  std::string chunk(kChunk, '\0');
  for (;;) {
    std::size_t n = source.Read(chunk.data(), chunk.size());
    if (n == 0) break;
    out.append(chunk.data(), n);
  }
  return out;
}

}  // namespace neardup
