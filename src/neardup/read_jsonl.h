#pragma once
// One JSON Lines record -> Document (simdjson). The line must be one JSON object, fully valid
// (checked by simdjson's DOM parser); the text field must be a string; the id field, when present,
// a string or an integer (integers keep their exact digits: 2^64+1 round-trips); every other
// member is kept raw, in order, and passes through to the outputs. Invalid UTF-8 is repaired with
// U+FFFD before the line is judged (counted) or, under InvalidUtf8Policy::kReject, rejects the
// document; it is looked for only when the validator refuses a line (its UTF-8 check is the scan).
// A bad line never throws: the document comes back with `rejected` set and a reason.
// A line the DOM parser accepts is read from its DOM, with the raw text of the passed-through
// members found by a scan of the line; ParseReference reads every line with simdjson's on-demand
// parser instead (what lines with a big integer take), the reference tests compare Parse with.
// One JsonlParser per thread.
#include <cstddef>
#include <memory>
#include <string_view>

#include "neardup/config.h"
#include "neardup/document.h"

namespace neardup {

class JsonlParser {
 public:
  explicit JsonlParser(const ReadConfig& config);
  ~JsonlParser();
  JsonlParser(const JsonlParser&) = delete;
  JsonlParser& operator=(const JsonlParser&) = delete;

  // Fills `doc` (id, text, extra_fields, time, rejection) from `line`; doc->source must be set.
  void Parse(std::string_view line, Document* doc);
  // The same, for a line followed in memory by at least kPaddingBytes readable bytes (of any value):
  // parsed where it is, without the copy Parse() makes to pad it.
  static constexpr std::size_t kPaddingBytes = 64;
  void ParsePadded(std::string_view line, Document* doc);
  // The same as Parse, through the on-demand parser (see above); the same result on every line.
  void ParseReference(std::string_view line, Document* doc);

 private:
  // How a valid line's members are read: from the DOM (Parse), or by the on-demand parser (the reference).
  enum class Walk { kDom, kOnDemand };
  void ParseIn(std::string_view line, bool padded, Walk walk, Document* doc);
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace neardup
