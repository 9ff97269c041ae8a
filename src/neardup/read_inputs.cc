#include "neardup/read_inputs.h"

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/task_group.h>

#include <algorithm>
#include <cstring>
#include <exception>
#include <filesystem>
#include <functional>
#include <iterator>
#include <optional>
#include <string_view>
#include <system_error>
#include <utility>

#include "neardup/clean_utf8.h"
#include "neardup/error.h"
#include "neardup/progress.h"
#include "neardup/read_compressed.h"
#include "neardup/read_jsonl.h"

namespace neardup {
namespace {

namespace fs = std::filesystem;

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

bool IsJsonlName(std::string_view name) {
  for (std::string_view suffix : {".jsonl", ".jsonl.gz", ".jsonl.zst", ".json.gz", ".json.zst", ".ndjson"}) {
    if (EndsWith(name, suffix)) return true;
  }
  return false;
}

// An input file and, for .txt files inside a folder, the id it gets.
struct InputFile {
  std::string path;
  bool is_txt = false;
  std::string txt_id;
};

std::vector<InputFile> Expand(const std::vector<std::string>& paths, ReadStats* stats) {
  std::vector<InputFile> files;
  for (const std::string& path : paths) {
    if (path == "-") {
      files.push_back({path, false, {}});
      continue;
    }
    std::error_code error;
    const fs::file_status status = fs::status(path, error);
    if (error || !fs::exists(status)) throw Error(path + ": no such file or directory");
    if (fs::is_directory(status)) {
      std::vector<fs::path> found;
      fs::recursive_directory_iterator walker(path, fs::directory_options::skip_permission_denied, error);
      if (error) throw Error(path + ": cannot list folder: " + error.message());
      for (const auto& entry : walker) {
        std::error_code kind_error;
        if (entry.is_regular_file(kind_error)) found.push_back(entry.path());
      }
      std::sort(found.begin(), found.end());
      for (const fs::path& file : found) {
        const std::string name = file.string();
        if (EndsWith(name, ".txt")) {
          std::string relative = file.lexically_relative(path).string();
          relative.resize(relative.size() - 4);
          files.push_back({name, true, relative});
        } else if (IsJsonlName(name)) {
          files.push_back({name, false, {}});
        } else {
          ++stats->skipped_files;
        }
      }
      continue;
    }
    if (!fs::is_regular_file(status) && !fs::is_fifo(status) && !fs::is_character_file(status)) {
      throw Error(path + ": not a regular file");
    }
    if (EndsWith(path, ".txt")) {
      std::string id = path.substr(0, path.size() - 4);
      files.push_back({path, true, id});
    } else {
      files.push_back({path, false, {}});
    }
  }
  for (const InputFile& file : files) {  // preflight: every file opens before any work is done
    if (file.path != "-") OpenByteSource(file.path);
  }
  return files;
}

void StripBom(std::string_view* text) {
  if (text->substr(0, 3) == "\xEF\xBB\xBF") text->remove_prefix(3);
}

bool IsBlank(std::string_view line) {
  return line.find_first_not_of(" \t\r\f\v") == std::string_view::npos;
}

// A .txt file's content -> its document (doc->source and ordinal are set).
void MakeTxtDocument(const InputFile& file, std::string_view content, const ReadConfig& config,
                     Document* doc) {
  doc->id = file.txt_id;
  std::string_view text = content;
  StripBom(&text);
  if (text.size() > config.max_doc_bytes) {
    doc->rejected = RejectReason::kTooLarge;
    doc->reject_detail = std::to_string(text.size()) + " bytes";
  } else if (std::size_t bad = FindInvalidUtf8(text); bad != std::string_view::npos) {
    doc->utf8_repairs = RepairUtf8(text, &doc->text);
    if (config.invalid_utf8 == InvalidUtf8Policy::kReject) {
      doc->rejected = RejectReason::kInvalidUtf8;
      doc->reject_detail = "invalid UTF-8 at byte " + std::to_string(bad + 1);
    }
  } else {
    doc->text.assign(text);
  }
}

// A JSONL line, padded as RawBatch pads it -> its document (doc->source and ordinal are set).
void MakeJsonlDocument(std::string_view line, const ReadConfig& config, JsonlParser& parser,
                       Document* doc) {
  parser.ParsePadded(line, doc);
  if (!doc->rejected && doc->text.size() > config.max_doc_bytes) {
    doc->rejected = RejectReason::kTooLarge;
    doc->reject_detail = "text of " + std::to_string(doc->text.size()) + " bytes is above --max-doc-bytes";
    std::string().swap(doc->text);
  }
}

// A document as read, before parsing: one JSONL line or one .txt file's content, in a RawBatch.
struct RawDocument {
  std::size_t offset = 0;  // of the text in RawBatch::bytes
  std::size_t size = 0;
  std::size_t file = 0;    // index in the expanded file list
  std::uint64_t line = 0;  // 1-based line of a JSONL file; 0 for a .txt file
};

// Raw documents in one buffer, each text followed by JsonlParser::kPaddingBytes zero bytes so that
// a JSONL line is parsed where it is: no allocation per document, and the buffer's capacity is
// kept from one batch to the next.
struct RawBatch {
  std::string bytes;
  std::vector<RawDocument> docs;
  std::uint64_t text_bytes = 0;

  void Add(std::string_view text, std::size_t file, std::uint64_t line) {
    docs.push_back({bytes.size(), text.size(), file, line});
    bytes.append(text);
    bytes.append(JsonlParser::kPaddingBytes, '\0');
    text_bytes += text.size();
  }
  std::string_view Text(const RawDocument& doc) const { return {bytes.data() + doc.offset, doc.size}; }
  std::size_t size() const { return docs.size(); }
  bool empty() const { return docs.empty(); }
  // Empties the batch; its buffer is kept unless over `keep_bytes` (after a huge document).
  void Clear(std::size_t keep_bytes) {
    if (bytes.capacity() > keep_bytes) std::string().swap(bytes);
    bytes.clear();
    docs.clear();
    text_bytes = 0;
  }
  void Swap(RawBatch& other) {
    bytes.swap(other.bytes);
    docs.swap(other.docs);
    std::swap(text_bytes, other.text_bytes);
  }
  // Moves documents [count, size()) to the end of `rest`, keeping the first `count`.
  void MoveTailTo(std::size_t count, RawBatch* rest) {
    for (std::size_t i = count; i < docs.size(); ++i) {
      rest->Add(Text(docs[i]), docs[i].file, docs[i].line);
      text_bytes -= docs[i].size;
    }
    if (count < docs.size()) bytes.resize(docs[count].offset);
    docs.resize(count);
  }
};

// Where an id was first used: enough to rebuild its Location.
struct FirstUse {
  std::size_t file = 0;    // index in the expanded file list
  std::uint64_t line = 0;
};

// Id bytes in blocks that never move, so views into them stay valid while more are added.
class IdArena {
 public:
  std::string_view Add(std::string_view id) {
    if (id.empty()) return {};
    if (id.size() > capacity_ - used_) {
      capacity_ = std::max(kBlockBytes, id.size());
      blocks_.push_back(std::make_unique_for_overwrite<char[]>(capacity_));
      allocated_ += capacity_;
      used_ = 0;
    }
    char* start = blocks_.back().get() + used_;
    std::memcpy(start, id.data(), id.size());
    used_ += id.size();
    return {start, id.size()};
  }
  std::uint64_t allocated_bytes() const { return allocated_; }

 private:
  static constexpr std::size_t kBlockBytes = 1u << 20;
  std::vector<std::unique_ptr<char[]>> blocks_;
  std::size_t capacity_ = 0;  // of blocks_.back()
  std::size_t used_ = 0;      // of blocks_.back()
  std::uint64_t allocated_ = 0;
};

// Every id seen, with its first use. Open addressing (linear probing, at most half full) on 64-bit
// hashes; ids whose hashes are equal are told apart by their bytes. Flat arrays rather than a
// node-based map: no pointer chasing when the table is cold between batches, nothing to free one
// by one at the end.
class IdSet {
 public:
  static std::uint64_t Hash(std::string_view id) { return std::hash<std::string_view>{}(id); }

  // The first use of `id` (whose Hash is `hash`) when it was seen before; else records `use`.
  std::optional<FirstUse> Insert(std::string_view id, std::uint64_t hash, const FirstUse& use) {
    if (2 * (entries_.size() + 1) > slots_.size()) Grow();
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
      Slot& slot = slots_[i];
      if (slot.entry == 0) {
        entries_.push_back({bytes_.Add(id), use});
        slot = {hash, entries_.size()};
        return std::nullopt;
      }
      if (slot.hash == hash && entries_[slot.entry - 1].id == id) return entries_[slot.entry - 1].use;
    }
  }

  std::uint64_t MemoryBytes() const {
    return bytes_.allocated_bytes() + slots_.capacity() * sizeof(Slot) + entries_.capacity() * sizeof(Entry);
  }

 private:
  struct Slot {
    std::uint64_t hash = 0;
    std::uint64_t entry = 0;  // 1 + index in entries_; 0 = empty
  };
  struct Entry {
    std::string_view id;  // in bytes_
    FirstUse use;
  };

  void Grow() {
    std::vector<Slot> old(std::max<std::size_t>(1024, 2 * slots_.size()));
    old.swap(slots_);
    const std::size_t mask = slots_.size() - 1;
    for (const Slot& slot : old) {
      if (slot.entry == 0) continue;
      std::size_t i = slot.hash & mask;
      while (slots_[i].entry != 0) i = (i + 1) & mask;
      slots_[i] = slot;
    }
  }

  IdArena bytes_;
  std::vector<Slot> slots_;  // a power of two in size
  std::vector<Entry> entries_;
};

}  // namespace

struct InputReader::Impl {
  Impl(const std::vector<std::string>& paths, const ReadConfig& read_config)
      : config(read_config), files(Expand(paths, &stats)), parsers(config) {}

  bool Next(std::size_t max_bytes, std::vector<Document>* batch, Progress* progress);
  void Take(std::size_t max_bytes);
  void ReadAhead(std::size_t max_bytes, RawBatch* out);
  void ReadUntil(std::size_t max_bytes, RawBatch* out);
  void CountLineBytes();
  void Parse(const RawBatch& raw, std::vector<Document>* batch);
  void CheckIds(const RawBatch& raw, std::vector<Document>* batch);

  ReadStats stats;  // before `files`: Expand counts the skipped files
  ReadConfig config;
  std::vector<InputFile> files;
  tbb::enumerable_thread_specific<JsonlParser> parsers;

  // Reading: the next file to open, the JSONL file being read (if any) and what was read ahead.
  std::size_t next_file = 0;
  std::unique_ptr<LineReader> lines;
  std::uint64_t lines_bytes_counted = 0;  // of lines->bytes_read(), already in stats.bytes
  bool at_end = false;
  RawBatch current;  // the batch being parsed
  RawBatch ahead;    // read ahead while `current` is parsed
  std::exception_ptr read_error;  // what stopped reading; thrown once the documents before it are out

  // Documents handed out, and every id seen.
  std::uint64_t next_ordinal = 0;
  IdSet ids;
  std::vector<std::uint64_t> id_hashes;  // of the batch, computed with the parsing
};

bool InputReader::Impl::Next(std::size_t max_bytes, std::vector<Document>* batch, Progress* progress) {
  batch->clear();
  Take(max_bytes);
  if (current.empty()) return false;
  tbb::task_group reading;  // reads the next batch while this one is parsed
  if (!at_end && read_error == nullptr) reading.run([this, max_bytes] { ReadAhead(max_bytes, &ahead); });
  try {
    Parse(current, batch);
  } catch (...) {
    reading.wait();
    throw;
  }
  reading.wait();
  CheckIds(current, batch);
  if (progress != nullptr) progress->Add(batch->size(), current.text_bytes);
  return true;
}

// Makes `current` the next batch of raw documents: what was read ahead, then read now when that is
// not enough. After a read error, the documents read before it still make a (short) batch; then it
// is thrown. `ahead` gets the buffers of the batch before, to be refilled.
void InputReader::Impl::Take(std::size_t max_bytes) {
  std::size_t count = 0;
  std::size_t bytes = 0;
  auto full = [&] { return count > 0 && bytes >= max_bytes; };
  while (count < ahead.size() && !full()) bytes += ahead.docs[count++].size;
  current.Clear(/*keep_bytes=*/2 * max_bytes + (1u << 20));
  current.Swap(ahead);
  if (count < current.size()) current.MoveTailTo(count, &ahead);  // a smaller batch than read ahead
  if (!full() && read_error == nullptr) ReadAhead(max_bytes - bytes, &current);  // bytes < max_bytes, or none
  if (current.empty() && read_error != nullptr) std::rethrow_exception(read_error);
}

// Appends raw documents to *out until one reaches `max_bytes` of text in all, or the input ends.
// An error (e.g. a truncated stream) stops it and is kept in read_error.
void InputReader::Impl::ReadAhead(std::size_t max_bytes, RawBatch* out) {
  try {
    ReadUntil(max_bytes, out);
  } catch (...) {
    read_error = std::current_exception();
  }
  if (lines != nullptr) CountLineBytes();
}

void InputReader::Impl::ReadUntil(std::size_t max_bytes, RawBatch* out) {
  std::size_t bytes = 0;
  // Room for the batch and its padding (news documents of a few KB), so that it seldom grows.
  out->bytes.reserve(out->bytes.size() + max_bytes + max_bytes / 16 + (64u << 10));
  while (!at_end) {
    if (lines == nullptr) {
      if (next_file == files.size()) {
        at_end = true;
        break;
      }
      const std::size_t index = next_file++;
      const InputFile& file = files[index];
      ++stats.files;
      if (!file.is_txt) {
        lines = std::make_unique<LineReader>(OpenByteSource(file.path), file.path);
        lines_bytes_counted = 0;
        continue;
      }
      auto source = OpenByteSource(file.path);
      out->Add(ReadAll(*source), index, 0);
      stats.bytes += out->docs.back().size;
    } else {
      std::string_view line;
      if (!lines->Next(&line)) {
        CountLineBytes();
        lines.reset();
        continue;
      }
      if (lines->line_number() == 1) StripBom(&line);
      if (IsBlank(line)) {
        ++stats.blank_lines;
        continue;
      }
      out->Add(line, next_file - 1, lines->line_number());
    }
    bytes += out->docs.back().size;
    if (bytes >= max_bytes) break;
  }
}

void InputReader::Impl::CountLineBytes() {
  stats.bytes += lines->bytes_read() - lines_bytes_counted;
  lines_bytes_counted = lines->bytes_read();
}

// Raw documents -> documents with their ordinals, in parallel.
void InputReader::Impl::Parse(const RawBatch& raw, std::vector<Document>* batch) {
  batch->resize(raw.size());
  id_hashes.resize(raw.size());
  const std::uint64_t first = next_ordinal;
  tbb::parallel_for(std::size_t{0}, raw.size(), [&](std::size_t i) {
    const RawDocument& item = raw.docs[i];
    Document& doc = (*batch)[i];
    const InputFile& file = files[item.file];
    doc.ordinal = first + i;
    doc.source = Location{file.path, item.line};
    if (file.is_txt) {
      MakeTxtDocument(file, raw.Text(item), config, &doc);
    } else {
      MakeJsonlDocument(raw.Text(item), config, parsers.local(), &doc);
    }
    id_hashes[i] = IdSet::Hash(doc.id);
  });
  next_ordinal += raw.size();
}

// In input order: rejects a document whose id an earlier one used, and counts the repairs.
void InputReader::Impl::CheckIds(const RawBatch& raw, std::vector<Document>* batch) {
  for (std::size_t i = 0; i < batch->size(); ++i) {
    Document& doc = (*batch)[i];
    stats.utf8_repairs += doc.utf8_repairs;
    const RawDocument& item = raw.docs[i];
    const std::optional<FirstUse> earlier = ids.Insert(doc.id, id_hashes[i], {item.file, item.line});
    if (earlier && !doc.rejected) {
      doc.rejected = RejectReason::kDuplicateId;
      doc.reject_detail = "id already used by " + Location{files[earlier->file].path, earlier->line}.ToString();
    }
  }
}

InputReader::InputReader(const std::vector<std::string>& paths, const ReadConfig& config)
    : impl_(std::make_unique<Impl>(paths, config)) {}

InputReader::~InputReader() = default;

bool InputReader::Next(std::size_t max_bytes, std::vector<Document>* batch, Progress* progress) {
  return impl_->Next(max_bytes, batch, progress);
}

const ReadStats& InputReader::stats() const { return impl_->stats; }

std::uint64_t InputReader::MemoryBytes() const { return impl_->ids.MemoryBytes(); }

std::vector<Document> ReadInputs(const std::vector<std::string>& paths, const ReadConfig& config,
                                 ReadStats* stats, Progress* progress) {
  constexpr std::size_t kBatchBytes = 8u << 20;
  InputReader reader(paths, config);
  std::vector<std::vector<Document>> batches(1);
  std::size_t count = 0;
  while (reader.Next(kBatchBytes, &batches.back(), progress)) {
    count += batches.back().size();
    batches.emplace_back();
  }
  // Moved once into a vector of the right size (growing one as batches come would move them twice).
  std::vector<Document> docs;
  if (batches.size() == 2) {
    docs.swap(batches.front());
  } else {
    docs.reserve(count);
    for (std::vector<Document>& batch : batches) {
      docs.insert(docs.end(), std::make_move_iterator(batch.begin()), std::make_move_iterator(batch.end()));
      std::vector<Document>().swap(batch);
    }
  }
  const ReadStats& read = reader.stats();
  stats->files += read.files;
  stats->skipped_files += read.skipped_files;
  stats->bytes += read.bytes;
  stats->blank_lines += read.blank_lines;
  stats->utf8_repairs += read.utf8_repairs;
  return docs;
}

}  // namespace neardup
