// libFuzzer target: the boilerplate clean stage. The input (repaired to valid UTF-8) is split on
// form feeds into up to 4 documents, the cleaner is built over them, and each is cleaned. Removed
// spans must be in order, non-overlapping and inside the original text; the cleaned text must be
// valid UTF-8 and no longer than the original.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "neardup/clean_boilerplate.h"
#include "neardup/clean_utf8.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text;
  neardup::RepairUtf8(std::string_view(reinterpret_cast<const char*>(data), size), &text);
  std::vector<neardup::Document> docs;
  std::size_t begin = 0;
  while (docs.size() < 4) {
    const std::size_t end = text.find('\f', begin);
    neardup::Document doc;
    doc.id = "d" + std::to_string(docs.size());
    doc.ordinal = docs.size();
    doc.text = text.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
    docs.push_back(std::move(doc));
    if (end == std::string::npos) break;
    begin = end + 1;
  }
  const neardup::BoilerplateCleaner cleaner(docs);
  for (neardup::Document& doc : docs) {
    const std::string original = doc.text;
    std::uint32_t lines = 1;
    for (std::size_t i = 0; i < original.size(); ++i) {
      if (original[i] == '\n' || (original[i] == '\r' && (i + 1 == original.size() || original[i + 1] != '\n'))) ++lines;
    }
    cleaner.Clean(&doc);
    std::uint32_t previous_last = 0;
    for (const neardup::RemovedSpan& span : doc.removed) {
      if (span.first_line < 1 || span.first_line > span.last_line || span.last_line > lines) std::abort();
      if (span.first_line <= previous_last) std::abort();
      if (span.reason.empty()) std::abort();
      previous_last = span.last_line;
    }
    if (doc.text.size() > original.size()) std::abort();
    if (neardup::FindInvalidUtf8(doc.text) != std::string_view::npos) std::abort();
  }
  return 0;
}
