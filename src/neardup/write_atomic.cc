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
// The buffers start small (most outputs are small) and double at each hand-off up to the limit.
constexpr std::size_t kFirstBufferBytes = 64 << 10;
constexpr std::size_t kBufferLimit = 2 << 20;
// Full buffers waiting for the writer thread or being written, at most: Write() waits beyond.
constexpr std::size_t kQueuedBuffers = 4;

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
  {  // not committed: what is still queued no longer matters
    std::lock_guard<std::mutex> lock(mutex_);
    queued_.clear();
  }
  StopWriter();
  if (final_path_ == "-") return;
  if (fd_ >= 0) ::close(fd_);
  if (!committed_) ::unlink(temp_path_.c_str());
  UnregisterTemp(registry_slot_);
}

void AtomicFile::FreeAligned::operator()(char* p) const { std::free(p); }

void AtomicFile::Write(std::string_view bytes) {
  while (!bytes.empty()) {
    if (filling_.size == filling_.capacity) HandOff();
    const std::size_t n = std::min(bytes.size(), filling_.capacity - filling_.size);
    std::memcpy(filling_.data.get() + filling_.size, bytes.data(), n);
    filling_.size += n;
    bytes.remove_prefix(n);
  }
}

void AtomicFile::HandOff() {
  const std::size_t next_capacity =
      filling_.capacity == 0 ? kFirstBufferBytes : std::min(2 * filling_.capacity, kBufferLimit);
  Buffer next;
  if (filling_.size > 0) {  // full: whole blocks, since capacities are multiples of kBlockBytes
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [&] { return error_ || queued_.size() + (writing_ ? 1 : 0) < kQueuedBuffers; });
    if (error_) std::rethrow_exception(error_);
    queued_.push_back(std::move(filling_));
    while (!spare_.empty() && spare_.back().capacity < next_capacity) spare_.pop_back();  // outgrown
    if (!spare_.empty()) {
      next = std::move(spare_.back());
      spare_.pop_back();
    }
    if (!writer_.joinable()) writer_ = std::thread([this] { WriterLoop(); });
    changed_.notify_all();
  }
  if (!next.data) {
    next.data.reset(static_cast<char*>(std::aligned_alloc(kBlockBytes, next_capacity)));
    if (!next.data) throw Error(final_path_ + ": out of memory for the output buffer");
    next.capacity = next_capacity;
  }
  next.size = 0;
  filling_ = std::move(next);
}

void AtomicFile::WriterLoop() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    changed_.wait(lock, [&] { return stopping_ || !queued_.empty(); });
    if (queued_.empty()) return;  // stopping, and nothing left
    Buffer buffer = std::move(queued_.front());
    queued_.pop_front();
    writing_ = true;
    lock.unlock();
    std::exception_ptr error;
    try {
      WriteAll(std::string_view(buffer.data.get(), buffer.size));
    } catch (...) {
      error = std::current_exception();
    }
    lock.lock();
    writing_ = false;
    if (error) {
      error_ = error;
      queued_.clear();  // nothing is written after a failed write
    } else {
      spare_.push_back(std::move(buffer));
    }
    changed_.notify_all();
  }
}

void AtomicFile::Drain() {
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait(lock, [&] { return queued_.empty() && !writing_; });
  if (error_) std::rethrow_exception(error_);
}

void AtomicFile::StopWriter() {
  if (!writer_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  writer_.join();
}

void AtomicFile::FlushLast() {
  Drain();
  const std::size_t whole = direct_ ? filling_.size - filling_.size % kBlockBytes : filling_.size;
  WriteAll(std::string_view(filling_.data.get(), whole));
  if (whole < filling_.size) {  // the partial last block goes through the page cache
    StopDirect();
    WriteAll(std::string_view(filling_.data.get() + whole, filling_.size - whole));
  }
  filling_.size = 0;
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
  FlushLast();
  StopWriter();
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
