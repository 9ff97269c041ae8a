// libFuzzer target: one JSON Lines record through JsonlParser. Whatever the bytes, Parse must not
// crash and must leave either a rejection with a reason or a document whose text is valid UTF-8;
// and it must give the document ParseReference (the on-demand parser's walk) gives.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "neardup/clean_utf8.h"
#include "neardup/read_jsonl.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static neardup::JsonlParser parser{neardup::ReadConfig{}};
  neardup::Document doc;
  doc.source = neardup::Location{"fuzz", 1};
  parser.Parse(std::string_view(reinterpret_cast<const char*>(data), size), &doc);
  if (!doc.rejected) {
    if (neardup::FindInvalidUtf8(doc.text) != std::string_view::npos) std::abort();
    if (neardup::FindInvalidUtf8(doc.extra_fields) != std::string_view::npos) std::abort();
  }
  if (doc.id.empty() && doc.rejected && doc.reject_detail.empty()) std::abort();
  neardup::Document reference;
  reference.source = doc.source;
  parser.ParseReference(std::string_view(reinterpret_cast<const char*>(data), size), &reference);
  if (reference.id != doc.id || reference.id_is_number != doc.id_is_number || reference.text != doc.text ||
      reference.extra_fields != doc.extra_fields || reference.time != doc.time ||
      reference.rejected != doc.rejected || reference.reject_detail != doc.reject_detail ||
      reference.utf8_repairs != doc.utf8_repairs) {
    std::abort();
  }
  return 0;
}
