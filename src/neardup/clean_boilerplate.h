#pragma once
// The clean stage: strips page furniture (comment widgets, promos, related-news blocks, bylines,
// timestamps, site templates) from plain-text documents, line by line and block by block.
// Construction is the first pass over the whole dump (dump-level statistics such as how many
// documents each line occurs in); Clean() is then called once per document, from any thread.
// Clean() rewrites doc->text to the kept lines (joined by "\n") and appends to doc->removed the
// removed line ranges (1-based lines of the original text; "\r\n", "\r" and "\n" end a line) with
// their reason. Blank lines are neither content nor boilerplate: they are never reported.
#include <cstdint>
#include <memory>
#include <span>

#include "neardup/document.h"

namespace neardup {

class BoilerplateCleaner {
 public:
  // `docs` must outlive nothing: the constructor copies what it needs. Rejected docs are ignored.
  explicit BoilerplateCleaner(std::span<const Document> docs);
  ~BoilerplateCleaner();
  BoilerplateCleaner(const BoilerplateCleaner&) = delete;
  BoilerplateCleaner& operator=(const BoilerplateCleaner&) = delete;

  void Clean(Document* doc) const;

 private:
  struct Model;
  std::unique_ptr<Model> model_;
};

}  // namespace neardup
