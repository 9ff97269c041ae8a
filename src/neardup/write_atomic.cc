#include "neardup/write_atomic.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "neardup/error.h"

namespace neardup {
namespace {

namespace fs = std::filesystem;
// O_DIRECT wants memory, file offsets and sizes aligned; 4 KiB suits 512 B and 4 KiB sectors.
constexpr std::size_t kBlockBytes = 4096;
// The buffer starts small (most outputs are small) and doubles at each flush up to the limit.
constexpr std::size_t kFirstBufferBytes = 64 << 10;
constexpr std::size_t kBufferLimit = 4 << 20;

// The temp paths of live AtomicFiles, readable from a signal handler: fixed slots, claimed with an
// atomic flag. This is the one piece of process-wide state, because a signal handler has no other
// way to find the files it must remove.
struct TempRegistry {
  static constexpr int kSlots = 32;
  std::array<std::atomic<bool>, kSlots> used{};
  std::array<std::array<char, 4096>, kSlots> paths{};
};

TempRegistry& Registry() {
  static TempRegistry registry;
  return registry;
}

int RegisterTemp(const std::string& path) {
  if (path.size() >= 4096) return -1;
  TempRegistry& registry = Registry();
  for (int slot = 0; slot < TempRegistry::kSlots; ++slot) {
    bool expected = false;
    if (registry.used[slot].load() || !registry.used[slot].compare_exchange_strong(expected, true)) continue;
    std::memcpy(registry.paths[slot].data(), path.c_str(), path.size() + 1);
    return slot;
  }
  return -1;  // more live files than slots: still atomic, only not removed on a signal
}

void UnregisterTemp(int slot) {
  if (slot >= 0) Registry().used[slot].store(false);
}

extern "C" void RemoveTempsAndDie(int signal_number) {
  TempRegistry& registry = Registry();
  for (int slot = 0; slot < TempRegistry::kSlots; ++slot) {
    if (registry.used[slot].load()) ::unlink(registry.paths[slot].data());
  }
  std::signal(signal_number, SIG_DFL);
  std::raise(signal_number);
}

void SyncDirectory(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

AtomicFile::AtomicFile(std::string final_path) : final_path_(std::move(final_path)) {
  if (final_path_ == "-") {
    fd_ = 1;
    return;
  }
  const fs::path path(final_path_);
  const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  std::string temp_name = ".";
  temp_name.append(path.filename().string()).append(".tmp.").append(std::to_string(::getpid()));
  temp_path_ = (dir / temp_name).string();
  registry_slot_ = RegisterTemp(temp_path_);
  constexpr int kFlags = O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC;
  fd_ = ::open(temp_path_.c_str(), kFlags | O_DIRECT, 0644);
  direct_ = fd_ >= 0;
  if (fd_ < 0 && errno == EINVAL) fd_ = ::open(temp_path_.c_str(), kFlags, 0644);
  if (fd_ < 0) {
    UnregisterTemp(registry_slot_);
    throw Error(WithErrno(final_path_ + ": cannot create output", errno));
  }
}

AtomicFile::~AtomicFile() {
  if (final_path_ == "-") return;
  if (fd_ >= 0) ::close(fd_);
  if (!committed_) ::unlink(temp_path_.c_str());
  UnregisterTemp(registry_slot_);
}

void AtomicFile::FreeAligned::operator()(char* p) const { std::free(p); }

void AtomicFile::Write(std::string_view bytes) {
  while (!bytes.empty()) {
    if (buffer_size_ == buffer_capacity_) {
      Flush(/*last=*/false);
      if (buffer_size_ == 0 && buffer_capacity_ < kBufferLimit) {  // grow while empty: no copy
        buffer_capacity_ = buffer_capacity_ == 0 ? kFirstBufferBytes : 2 * buffer_capacity_;
        buffer_.reset(static_cast<char*>(std::aligned_alloc(kBlockBytes, buffer_capacity_)));
        if (!buffer_) throw Error(final_path_ + ": out of memory for the output buffer");
      }
    }
    const std::size_t n = std::min(bytes.size(), buffer_capacity_ - buffer_size_);
    std::memcpy(buffer_.get() + buffer_size_, bytes.data(), n);
    buffer_size_ += n;
    bytes.remove_prefix(n);
  }
}

void AtomicFile::Flush(bool last) {
  const std::size_t whole = direct_ ? buffer_size_ - buffer_size_ % kBlockBytes : buffer_size_;
  WriteAll(std::string_view(buffer_.get(), whole));
  const std::size_t rest = buffer_size_ - whole;
  if (rest > 0 && last) {  // the partial last block goes through the page cache
    StopDirect();
    WriteAll(std::string_view(buffer_.get() + whole, rest));
    buffer_size_ = 0;
    return;
  }
  if (rest > 0) std::memmove(buffer_.get(), buffer_.get() + whole, rest);
  buffer_size_ = rest;
}

void AtomicFile::StopDirect() {
  if (!direct_) return;
  direct_ = false;
  const int flags = ::fcntl(fd_, F_GETFL);
  if (flags < 0 || ::fcntl(fd_, F_SETFL, flags & ~O_DIRECT) < 0) {
    throw Error(WithErrno(final_path_ + ": cannot turn off O_DIRECT", errno));
  }
}

void AtomicFile::WriteAll(std::string_view bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd_, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EINVAL && direct_) {  // O_DIRECT refused after all (alignment): page cache
        StopDirect();
        continue;
      }
      if (errno == EPIPE && final_path_ == "-") throw BrokenPipe();
      throw Error(WithErrno(final_path_ + ": write failed", errno));
    }
    done += static_cast<std::size_t>(n);
  }
}

void AtomicFile::Commit() {
  Flush(/*last=*/true);
  if (final_path_ == "-") return;
  if (::fsync(fd_) != 0) throw Error(WithErrno(final_path_ + ": fsync failed", errno));
  if (::close(fd_) != 0) {
    fd_ = -1;
    throw Error(WithErrno(final_path_ + ": close failed", errno));
  }
  fd_ = -1;
  if (::rename(temp_path_.c_str(), final_path_.c_str()) != 0) {
    throw Error(WithErrno(final_path_ + ": rename failed", errno));
  }
  committed_ = true;
  UnregisterTemp(registry_slot_);
  registry_slot_ = -1;
  const fs::path path(final_path_);
  SyncDirectory(path.has_parent_path() ? path.parent_path().string() : ".");
}

void InstallSignalCleanup() {
  for (int signal_number : {SIGTERM, SIGINT, SIGHUP}) std::signal(signal_number, RemoveTempsAndDie);
}

void RemoveStaleTemps(const std::string& dir) {
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(dir, error)) {
    const std::string name = entry.path().filename().string();
    if (name.size() > 1 && name[0] == '.' && name.find(".tmp.") != std::string::npos) {
      fs::remove(entry.path(), error);
    }
  }
}

void PrepareOutputDir(const std::string& dir) {
  std::error_code error;
  fs::create_directories(dir, error);
  if (error) throw Error(dir + ": cannot create output folder: " + error.message());
  if (!fs::is_directory(dir, error)) throw Error(dir + ": output path is not a folder");
  const std::string probe = (fs::path(dir) / (".neardup-write-test." + std::to_string(::getpid()))).string();
  int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw Error(WithErrno(dir + ": output folder is not writable", errno));
  ::close(fd);
  ::unlink(probe.c_str());
}

}  // namespace neardup
