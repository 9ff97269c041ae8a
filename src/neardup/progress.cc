#include "neardup/progress.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>

namespace neardup {
namespace {

std::int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Progress::Progress(bool enabled) : enabled_(enabled) {
  if (enabled_) drawer_ = std::thread([this] { Loop(); });
}

Progress::~Progress() {
  if (!enabled_) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  drawer_.join();
  std::fputs("\r\033[K", stderr);  // clear the line: the summary follows
  std::fflush(stderr);
}

void Progress::Stage(const std::string& name, std::uint64_t total_items) {
  if (!enabled_) return;
  std::lock_guard<std::mutex> lock(mutex_);
  stage_ = name;
  total_ = total_items;
  stage_start_ns_ = NowNs();
  items_.store(0, std::memory_order_relaxed);
  bytes_.store(0, std::memory_order_relaxed);
}

void Progress::Loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stop_) {
    wake_.wait_for(lock, std::chrono::milliseconds(250));
    if (!stop_ && !stage_.empty()) Draw();
  }
}

void Progress::Draw() {
  const std::uint64_t items = items_.load(std::memory_order_relaxed);
  const std::uint64_t bytes = bytes_.load(std::memory_order_relaxed);
  const double seconds = static_cast<double>(NowNs() - stage_start_ns_) / 1e9;
  const double mb = static_cast<double>(bytes) / 1e6;
  const double rate = seconds > 0 ? mb / seconds : 0;
  char eta[32] = "";
  if (total_ > 0 && items > 0 && items < total_) {
    const double left = seconds * static_cast<double>(total_ - items) / static_cast<double>(items);
    std::snprintf(eta, sizeof(eta), ", ETA %.0f s", left);
  }
  char total[32] = "";
  if (total_ > 0) std::snprintf(total, sizeof(total), "/%llu", static_cast<unsigned long long>(total_));
  if (items == 0 && bytes == 0) {
    std::fprintf(stderr, "\r\033[Kneardup: %s (%.0f s)", stage_.c_str(), seconds);
  } else {
    std::fprintf(stderr, "\r\033[Kneardup: %s: %llu%s docs, %.1f MB, %.1f MB/s%s", stage_.c_str(),
                 static_cast<unsigned long long>(items), total, mb, rate, eta);
  }
  std::fflush(stderr);
}

}  // namespace neardup
