#pragma once
// A progress line on stderr for long runs: stage, documents, MB, rate and (when the stage's size is
// known) ETA, redrawn four times a second by a background thread. Disabled (every call a no-op
// beyond two relaxed atomic adds) when constructed with enabled = false; the CLI enables it only
// when stderr is a terminal and --quiet is not given. Add() may be called from any thread.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

namespace neardup {

class Progress {
 public:
  explicit Progress(bool enabled);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // Starts a stage; total_items 0 = unknown (no ETA).
  void Stage(const std::string& name, std::uint64_t total_items);
  void Add(std::uint64_t items, std::uint64_t bytes) {
    items_.fetch_add(items, std::memory_order_relaxed);
    bytes_.fetch_add(bytes, std::memory_order_relaxed);
  }

 private:
  void Loop();
  void Draw();
  bool enabled_;
  std::atomic<std::uint64_t> items_{0};
  std::atomic<std::uint64_t> bytes_{0};
  std::mutex mutex_;  // guards stage_, total_, stage_start_ns_, stop_
  std::condition_variable wake_;
  std::string stage_;
  std::uint64_t total_ = 0;
  std::int64_t stage_start_ns_ = 0;
  bool stop_ = false;
  std::thread drawer_;
};

}  // namespace neardup
