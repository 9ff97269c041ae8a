#include "neardup/read_inputs.h"

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/task_group.h>

#include <algorithm>
#include <filesystem>
#include <system_error>
#include <unordered_map>

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

void ReadTxt(const InputFile& file, const ReadConfig& config, std::vector<Document>* docs,
             ReadStats* stats) {
  auto source = OpenByteSource(file.path);
  std::string content = ReadAll(*source);
  stats->bytes += content.size();
  Document doc;
  doc.id = file.txt_id;
  doc.source = Location{file.path, 0};
  doc.ordinal = docs->size();
  std::string_view text = content;
  StripBom(&text);
  if (text.size() > config.max_doc_bytes) {
    doc.rejected = RejectReason::kTooLarge;
    doc.reject_detail = std::to_string(text.size()) + " bytes";
  } else if (std::size_t bad = FindInvalidUtf8(text); bad != std::string_view::npos) {
    doc.utf8_repairs = RepairUtf8(text, &doc.text);
    if (config.invalid_utf8 == InvalidUtf8Policy::kReject) {
      doc.rejected = RejectReason::kInvalidUtf8;
      doc.reject_detail = "invalid UTF-8 at byte " + std::to_string(bad + 1);
    }
  } else {
    doc.text.assign(text);
  }
  docs->push_back(std::move(doc));
}

void ReadJsonl(const InputFile& file, const ReadConfig& config, std::vector<Document>* docs,
               ReadStats* stats, tbb::enumerable_thread_specific<JsonlParser>& parsers,
               Progress* progress) {
  LineReader reader(OpenByteSource(file.path), file.path);
  constexpr std::size_t kBatchBytes = 8u << 20;
  struct PendingLine {
    std::string text;
    std::uint64_t line_number;
  };
  // Double buffering: while the workers parse one batch, this thread reads the next.
  std::vector<PendingLine> batch;
  std::vector<PendingLine> parsing;
  std::size_t batch_bytes = 0;
  tbb::task_group group;
  auto flush = [&] {
    group.wait();  // the previous batch is parsed, so `docs` may grow now
    parsing.swap(batch);
    batch.clear();
    const std::size_t first = docs->size();
    docs->resize(first + parsing.size());
    const std::size_t bytes = batch_bytes;
    batch_bytes = 0;
    group.run([&, first, bytes] {
      tbb::parallel_for(std::size_t{0}, parsing.size(), [&](std::size_t i) {
        Document& doc = (*docs)[first + i];
        doc.ordinal = first + i;
        doc.source = Location{file.path, parsing[i].line_number};
        parsers.local().Parse(parsing[i].text, &doc);
        if (!doc.rejected && doc.text.size() > config.max_doc_bytes) {
          doc.rejected = RejectReason::kTooLarge;
          doc.reject_detail = "text of " + std::to_string(doc.text.size()) + " bytes is above --max-doc-bytes";
          std::string().swap(doc.text);
        }
        std::string().swap(parsing[i].text);
      });
      if (progress != nullptr) progress->Add(parsing.size(), bytes);
    });
  };
  try {
    std::string_view line;
    while (reader.Next(&line)) {
      if (reader.line_number() == 1) StripBom(&line);
      if (IsBlank(line)) {
        ++stats->blank_lines;
        continue;
      }
      batch.push_back({std::string(line), reader.line_number()});
      batch_bytes += line.size();
      if (batch_bytes >= kBatchBytes) flush();
    }
    flush();
    group.wait();
  } catch (...) {
    group.cancel();
    group.wait();
    throw;
  }
  stats->bytes += reader.bytes_read();
}

}  // namespace

std::vector<Document> ReadInputs(const std::vector<std::string>& paths, const ReadConfig& config,
                                 ReadStats* stats, Progress* progress) {
  const std::vector<InputFile> files = Expand(paths, stats);
  tbb::enumerable_thread_specific<JsonlParser> parsers(config);
  std::vector<Document> docs;
  for (const InputFile& file : files) {
    ++stats->files;
    if (file.is_txt) {
      ReadTxt(file, config, &docs, stats);
      if (progress != nullptr) progress->Add(1, docs.back().text.size());
    } else {
      ReadJsonl(file, config, &docs, stats, parsers, progress);
    }
  }
  std::unordered_map<std::string_view, std::uint64_t> first_use;
  first_use.reserve(docs.size());
  for (Document& doc : docs) {
    stats->utf8_repairs += doc.utf8_repairs;
    auto [it, inserted] = first_use.emplace(doc.id, doc.ordinal);
    if (!inserted && !doc.rejected) {
      doc.rejected = RejectReason::kDuplicateId;
      doc.reject_detail = "id already used by " + docs[it->second].source.ToString();
    }
  }
  return docs;
}

}  // namespace neardup
