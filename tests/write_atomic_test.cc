// AtomicFile: the bytes written are the bytes committed, whatever the sizes of the writes against
// the O_DIRECT blocks and buffer sizes, on a disk file system (O_DIRECT taken) and on tmpfs (where
// it may be refused); nothing is visible before Commit() and nothing is left without it.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <csignal>

#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "neardup/error.h"
#include "neardup/write_atomic.h"
#include "testing/files.h"

namespace neardup {
namespace {

namespace fs = std::filesystem;

// Random bytes (all 256 values) and the write sizes that cut them, around the 4 KiB blocks, the
// 64 KiB first buffer and the 4 MiB largest one.
std::string RandomBytes(std::size_t size, unsigned seed) {
  std::mt19937 random(seed);
  std::string bytes(size, '\0');
  for (char& c : bytes) c = static_cast<char>(random() & 0xFF);
  return bytes;
}

const std::vector<std::vector<std::size_t>>& WritePatterns() {
  static const std::vector<std::vector<std::size_t>> patterns = {
      {},
      {1},
      {4095},
      {4096},
      {4097},
      {65535, 1, 4096},
      {65536, 65536, 3},
      {100, 4096, 70000, 1, 131072, 5},
      {(4u << 20) + 3},
      {(9u << 20) + 4095, 17, 4096},
  };
  return patterns;
}

void ExpectRoundTrips(const std::string& dir) {
  unsigned seed = 1;
  for (const std::vector<std::size_t>& sizes : WritePatterns()) {
    std::size_t total = 0;
    for (std::size_t size : sizes) total += size;
    const std::string path = dir + "/out" + std::to_string(seed) + ".bin";
    const std::string bytes = RandomBytes(total, seed++);
    {
      AtomicFile file(path);
      std::size_t offset = 0;
      for (std::size_t size : sizes) {
        file.Write(std::string_view(bytes).substr(offset, size));
        offset += size;
      }
      EXPECT_FALSE(fs::exists(path)) << "visible before Commit()";
      file.Commit();
    }
    ASSERT_EQ(fs::file_size(path), total) << "writes of " << sizes.size() << " pieces, " << total << " B";
    EXPECT_TRUE(testing::ReadFile(path) == bytes) << total << " B: the bytes differ";
    for (const auto& entry : fs::directory_iterator(dir)) {
      EXPECT_EQ(entry.path().filename().string().find(".tmp."), std::string::npos) << entry.path();
    }
  }
}

TEST(AtomicFile, CommittedBytesAreTheWrittenBytesOnADiskFileSystem) {
  testing::TempDir dir;
  ExpectRoundTrips(dir.path());
}

// tmpfs (/dev/shm, on Linux) may refuse O_DIRECT: then the page cache path writes the same bytes.
// Without /dev/shm the round trips run in the temp folder again.
TEST(AtomicFile, CommittedBytesAreTheWrittenBytesOnTmpfs) {
  testing::TempDir fallback;
  const bool shm = fs::is_directory("/dev/shm");
  const std::string dir =
      shm ? "/dev/shm/neardup-atomic-test-" + std::to_string(::getpid()) : fallback.path() + "/shm";
  fs::create_directories(dir);
  ExpectRoundTrips(dir);
  fs::remove_all(dir);
}

TEST(AtomicFile, WithoutCommitTheOldFileStaysAndNoTempIsLeft) {
  testing::TempDir dir;
  const std::string path = dir / "out.bin";
  testing::WriteFile(path, "previous");
  {
    AtomicFile file(path);
    file.Write(RandomBytes(5u << 20, 7));
  }
  EXPECT_EQ(testing::ReadFile(path), "previous");
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir.path())) ++entries;
  EXPECT_EQ(entries, 1u);
}

// A write that fails in the background (here the file size limit: EFBIG once the file passes 1 MiB)
// reaches the caller as an Error naming the file, from a later Write() or from Commit(), and the
// file is then neither committed nor left behind. Write() hands off many buffers after the failing
// one, so the error must come from Write(), not only from Commit().
TEST(AtomicFile, AFailedBackgroundWriteIsThrownNamingTheFile) {
  testing::TempDir dir;
  const std::string path = dir / "out.bin";
  testing::WriteFile(path, "previous");
  rlimit old_limit{};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &old_limit), 0);
  rlimit limit = old_limit;
  limit.rlim_cur = 1u << 20;
  auto old_handler = std::signal(SIGXFSZ, SIG_IGN);  // else the process dies of SIGXFSZ
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &limit), 0);
  std::string message;
  bool written = false;  // all 30 MB went through Write() without an error
  bool committed = false;
  {
    const std::string piece = RandomBytes(300000, 3);
    AtomicFile file(path);
    try {
      for (int i = 0; i < 100; ++i) file.Write(piece);
      written = true;
      file.Commit();
      committed = true;
    } catch (const Error& error) {
      message = error.what();
    }
  }
  ::setrlimit(RLIMIT_FSIZE, &old_limit);
  std::signal(SIGXFSZ, old_handler);
  EXPECT_FALSE(written) << "the writer's error waited for Commit()";
  EXPECT_FALSE(committed);
  EXPECT_NE(message.find(path), std::string::npos) << message;
  EXPECT_NE(message.find("File too large"), std::string::npos) << message;
  EXPECT_EQ(testing::ReadFile(path), "previous");
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir.path())) ++entries;
  EXPECT_EQ(entries, 1u) << "the temp file is left";
}

}  // namespace
}  // namespace neardup
