#pragma once
// The record every stage passes on, and the outcome each document gets.
// A Document owns its text and fields. `ordinal` is its 0-based position in input order, which
// is the tie-breaker everywhere (cluster representative = lowest ordinal) and the index of every
// per-document slot that parallel stages write into. Documents are not shared between threads
// while a stage mutates them; stages write only to the slot of the document they were given.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "neardup/error.h"

namespace neardup {

enum class RejectReason {
  kMalformedJson,    // the line is not a JSON object
  kMissingText,      // the text field is absent or not a string
  kBadId,            // the id field is not a string or an integer
  kDuplicateId,      // the id was already used by an earlier document
  kInvalidUtf8,      // invalid UTF-8 under --invalid-utf8=reject
  kEmpty,            // no token after cleaning and normalization
  kTooLarge,         // larger than --max-doc-bytes
};
const char* RejectReasonName(RejectReason reason);

// A line range of the original text removed by the clean stage, with why (1-based, inclusive).
struct RemovedSpan {
  std::uint32_t first_line = 0;
  std::uint32_t last_line = 0;
  std::string reason;
  std::uint32_t content_lines = 0;  // non-blank lines in the span (what report.json counts)
};

struct Document {
  std::string id;          // string ids as given; integer ids keep their exact digits
  bool id_is_number = false;  // the id came from a JSON integer: written back without quotes
  std::uint64_t ordinal = 0;
  Location source;         // file:line of the JSON line, or file:0 for a .txt file
  std::string text;        // the document text (cleaned in place by the clean stage)
  std::string extra_fields;  // other JSON members, raw and in input order: `,"k":v,...` or empty
  std::optional<RejectReason> rejected;
  std::string reject_detail;  // e.g. the byte offset of invalid UTF-8 or the JSON error
  std::uint32_t utf8_repairs = 0;  // invalid sequences replaced by U+FFFD
  std::vector<RemovedSpan> removed;  // what the clean stage cut, in line order
  std::string time;          // raw value of --time-field, empty when absent
};

// Frees what `doc` holds and leaves it equal to Document{}. Assigning Document{} would not free the
// text: a std::string assigned a short string keeps its buffer.
inline void ReleaseDocument(Document* doc) {
  { Document dropped = std::move(*doc); }
  *doc = Document{};
}

}  // namespace neardup
