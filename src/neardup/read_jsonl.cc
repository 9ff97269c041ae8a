#include "neardup/read_jsonl.h"

#include <simdjson.h>

#include <algorithm>
#include <optional>
#include <string>

#include "neardup/clean_utf8.h"
#include "neardup/write_jsonl.h"

namespace neardup {
namespace {

bool IsJsonInteger(std::string_view raw) {
  if (raw.empty()) return false;
  std::size_t i = raw[0] == '-' ? 1 : 0;
  if (i == raw.size()) return false;
  for (; i < raw.size(); ++i) {
    if (raw[i] < '0' || raw[i] > '9') return false;
  }
  return true;
}

std::string_view TrimJson(std::string_view raw) {
  while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\t' || raw.back() == '\n' ||
                          raw.back() == '\r')) {
    raw.remove_suffix(1);
  }
  return raw;
}

// Whether `raw` is a plausible JSON value: a string, container, literal or number.
bool IsJsonAtomOrContainer(std::string_view raw) {
  if (raw.empty()) return false;
  if (raw[0] == '"' || raw[0] == '{' || raw[0] == '[') return true;
  if (raw == "true" || raw == "false" || raw == "null") return true;
  std::size_t i = raw[0] == '-' ? 1 : 0;
  bool digits = false;
  while (i < raw.size() && raw[i] >= '0' && raw[i] <= '9') {
    ++i;
    digits = true;
  }
  if (i < raw.size() && raw[i] == '.') {
    ++i;
    while (i < raw.size() && raw[i] >= '0' && raw[i] <= '9') ++i;
  }
  if (i < raw.size() && (raw[i] == 'e' || raw[i] == 'E')) {
    ++i;
    if (i < raw.size() && (raw[i] == '+' || raw[i] == '-')) ++i;
    while (i < raw.size() && raw[i] >= '0' && raw[i] <= '9') ++i;
  }
  return digits && i == raw.size();
}

// The whole raw text of the value whose first token is `token`, inside `line` (already validated
// by the DOM parser, so a bracket count that skips strings finds its end).
std::string_view RawValue(std::string_view token, std::string_view line) {
  if (token.empty() || (token[0] != '{' && token[0] != '[')) return TrimJson(token);
  const std::size_t begin = static_cast<std::size_t>(token.data() - line.data());
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = begin; i < line.size(); ++i) {
    const char c = line[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      if (--depth == 0) return line.substr(begin, i + 1 - begin);
    }
  }
  return line.substr(begin);
}

bool IsJsonSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// The raw values of an object's members, in order, read from its text. For a line the DOM parser
// accepted, where only boundaries need finding: a string ends at the first quote not escaped (found
// with memchr, so a long text costs little), a container at its matching bracket (strings skipped),
// anything else before the next ',', '}', ']' or space. Never reads past the text.
class RawMemberValues {
 public:
  explicit RawMemberValues(std::string_view object) : text_(object) {
    const std::size_t open = object.find('{');
    at_ = open == std::string_view::npos ? object.size() : open + 1;
  }

  // The next member's value; call it once per member the DOM parser reported.
  std::string_view Next() {
    at_ = SkipSpace(at_);
    if (at_ < text_.size() && text_[at_] == ',') at_ = SkipSpace(at_ + 1);
    at_ = SkipSpace(StringEnd(at_));  // the key, then the colon
    at_ = SkipSpace(std::min(at_ + 1, text_.size()));
    const std::size_t begin = at_;
    at_ = ValueEnd(begin);
    return text_.substr(begin, at_ - begin);
  }

 private:
  std::size_t SkipSpace(std::size_t i) const {
    while (i < text_.size() && IsJsonSpace(text_[i])) ++i;
    return i;
  }

  // Just past the string whose opening quote is at `quote`.
  std::size_t StringEnd(std::size_t quote) const {
    std::size_t from = quote + 1;
    for (;;) {
      const std::size_t close = text_.find('"', from);
      if (close == std::string_view::npos) return text_.size();
      std::size_t backslashes = 0;
      while (close - backslashes > quote + 1 && text_[close - 1 - backslashes] == '\\') ++backslashes;
      if (backslashes % 2 == 0) return close + 1;
      from = close + 1;
    }
  }

  std::size_t ValueEnd(std::size_t begin) const {
    if (begin >= text_.size()) return text_.size();
    const char first = text_[begin];
    if (first == '"') return StringEnd(begin);
    if (first == '{' || first == '[') {
      int depth = 0;
      for (std::size_t i = begin; i < text_.size();) {
        const char c = text_[i];
        if (c == '"') {
          i = StringEnd(i);
          continue;
        }
        if (c == '{' || c == '[') ++depth;
        if ((c == '}' || c == ']') && --depth == 0) return i + 1;
        ++i;
      }
      return text_.size();
    }
    std::size_t i = begin;
    while (i < text_.size() && text_[i] != ',' && text_[i] != '}' && text_[i] != ']' && !IsJsonSpace(text_[i])) ++i;
    return i;
  }

  std::string_view text_;
  std::size_t at_ = 0;
};

// What one object's members make of a Document, whichever parser walks them (in their order).
class MemberReader {
 public:
  MemberReader(const ReadConfig& config, Document* doc, std::string* extra)
      : config_(config), doc_(doc), extra_(extra) {
    extra_->clear();
  }

  // One member: its unescaped key, its value as written (trimmed), and `unescape`, a callable that
  // gives the value's unescaped string, or nullopt when it is not a string.
  template <typename Unescape>
  void Add(std::string_view key, std::string_view raw, const Unescape& unescape) {
    if (key == config_.text_field && !have_text_) {
      if (const std::optional<std::string_view> text = unescape()) {
        doc_->text.assign(*text);
        have_text_ = true;
      }
      return;
    }
    if (key == config_.id_field && !have_id_) {
      if (!raw.empty() && raw[0] == '"') {
        if (const std::optional<std::string_view> id = unescape()) {
          doc_->id.assign(*id);
          have_id_ = true;
        }
      } else if (IsJsonInteger(raw)) {
        doc_->id.assign(raw);
        doc_->id_is_number = true;
        have_id_ = true;
      } else {
        bad_id_.assign(raw);
      }
      return;
    }
    if (!config_.time_field.empty() && key == config_.time_field) {
      if (const std::optional<std::string_view> time = unescape()) doc_->time.assign(*time);
    }
    extra_->push_back(',');
    AppendJsonString(extra_, key);
    extra_->push_back(':');
    extra_->append(raw);
  }

  // After the last member: the passed-through members, the id, and the rejections they lead to
  // (unless the walk rejected the document already).
  void Finish() {
    doc_->extra_fields.assign(*extra_);
    if (!have_id_) doc_->id = doc_->source.ToString();
    if (doc_->rejected) return;
    if (!bad_id_.empty()) {
      doc_->rejected = RejectReason::kBadId;
      doc_->reject_detail = "id is neither a string nor an integer: " + bad_id_.substr(0, 40);
    } else if (!have_text_) {
      doc_->rejected = RejectReason::kMissingText;
      doc_->reject_detail = "no string member \"" + config_.text_field + "\"";
    }
  }

 private:
  const ReadConfig& config_;
  Document* doc_;
  std::string* extra_;
  bool have_text_ = false;
  bool have_id_ = false;
  std::string bad_id_;
};

}  // namespace

struct JsonlParser::Impl {
  ReadConfig config;
  simdjson::dom::parser validator;
  simdjson::ondemand::parser reader;
  std::string repaired;
  std::string padded_line;  // the line being parsed, then SIMDJSON_PADDING bytes (reused)
  std::string extra;        // the extra fields being gathered, copied to the document once
  std::string key;          // the member key being read by the on-demand walk

  simdjson::padded_string_view Pad(std::string_view line) {
    padded_line.assign(line);
    padded_line.append(simdjson::SIMDJSON_PADDING, '\0');
    return simdjson::padded_string_view(padded_line.data(), line.size(), padded_line.size());
  }

  void Reject(Document* doc, RejectReason reason, std::string detail) {
    doc->rejected = reason;
    doc->reject_detail = std::move(detail);
  }

  // The members through simdjson's on-demand parser: the path of lines with a big integer, which
  // the DOM parser refuses (their top-level values are checked here: a malformed number nested in a
  // passed-through container is not seen), and ParseReference's.
  void WalkWithReader(simdjson::padded_string_view padded, bool big_integer, Document* doc,
                      MemberReader* members) {
    auto document = reader.iterate(padded);
    simdjson::ondemand::object object;
    if (document.get_object().get(object) != simdjson::SUCCESS) {
      Reject(doc, RejectReason::kMalformedJson, "the line is not a JSON object");
      return;
    }
    for (auto field_result : object) {
      std::string_view key_view;
      if (field_result.error() != simdjson::SUCCESS ||
          field_result.value_unsafe().unescaped_key().get(key_view) != simdjson::SUCCESS) {
        Reject(doc, RejectReason::kMalformedJson, "unreadable member");
        return;
      }
      key.assign(key_view);
      simdjson::ondemand::value value = field_result.value_unsafe().value();
      const std::string_view raw = RawValue(value.raw_json_token(), padded);
      if (big_integer && !IsJsonAtomOrContainer(raw)) {
        Reject(doc, RejectReason::kMalformedJson, "invalid value of member \"" + key + "\"");
        return;
      }
      members->Add(key, raw, [&value]() -> std::optional<std::string_view> {
        std::string_view text;
        if (value.get_string().get(text) != simdjson::SUCCESS) return std::nullopt;
        return text;
      });
    }
  }

  // `padded`: the line with its padding (Pad(line), or the caller's own when it has some).
  void Parse(std::string_view line, simdjson::padded_string_view padded, Walk walk, Document* doc) {
    auto validated = validator.parse(padded);
    // The DOM parser checks UTF-8 as it goes (a line it accepts, or whose only fault is a big
    // integer, is valid UTF-8), so the line is searched for invalid UTF-8 only when it fails;
    // invalid bytes are then repaired and the repaired line parsed.
    std::size_t invalid_at = std::string_view::npos;
    if (validated.error() != simdjson::SUCCESS && validated.error() != simdjson::NUMBER_ERROR) {
      invalid_at = FindInvalidUtf8(line);
      if (invalid_at != std::string_view::npos) {
        repaired.clear();
        doc->utf8_repairs = RepairUtf8(line, &repaired);
        padded = Pad(repaired);
        validated = validator.parse(padded);
      }
    }
    // An integer beyond 64 bits (a big numeric id) is valid JSON that the DOM parser reports as a
    // number error; such a line is read by the on-demand parser alone, with its top-level values
    // checked below (a malformed number nested inside a passed-through container is not seen then).
    const bool big_integer = validated.error() == simdjson::NUMBER_ERROR;
    if (validated.error() != simdjson::SUCCESS && !big_integer) {
      Reject(doc, RejectReason::kMalformedJson, simdjson::error_message(validated.error()));
      doc->id = doc->source.ToString();
      return;
    }
    if (!big_integer && !validated.value_unsafe().is_object()) {
      Reject(doc, RejectReason::kMalformedJson, "the line is not a JSON object");
      doc->id = doc->source.ToString();
      return;
    }
    MemberReader members(config, doc, &extra);
    if (big_integer || walk == Walk::kOnDemand) {
      WalkWithReader(padded, big_integer, doc, &members);
    } else {
      // The line is valid: its members are read from the DOM, and their raw text from the line.
      RawMemberValues raw_values(padded);
      const simdjson::dom::object object = validated.value_unsafe().get_object().value_unsafe();
      for (const simdjson::dom::key_value_pair member : object) {
        members.Add(member.key, raw_values.Next(), [&member]() -> std::optional<std::string_view> {
          std::string_view text;
          if (member.value.get_string().get(text) != simdjson::SUCCESS) return std::nullopt;
          return text;
        });
      }
    }
    members.Finish();
    if (doc->rejected) return;
    if (invalid_at != std::string_view::npos && config.invalid_utf8 == InvalidUtf8Policy::kReject) {
      Reject(doc, RejectReason::kInvalidUtf8, "invalid UTF-8 at byte " + std::to_string(invalid_at + 1));
    }
  }
};

static_assert(JsonlParser::kPaddingBytes >= simdjson::SIMDJSON_PADDING);

JsonlParser::JsonlParser(const ReadConfig& config) : impl_(std::make_unique<Impl>()) {
  impl_->config = config;
}
JsonlParser::~JsonlParser() = default;

void JsonlParser::Parse(std::string_view line, Document* doc) { ParseIn(line, /*padded=*/false, Walk::kDom, doc); }

void JsonlParser::ParsePadded(std::string_view line, Document* doc) {
  ParseIn(line, /*padded=*/true, Walk::kDom, doc);
}

void JsonlParser::ParseReference(std::string_view line, Document* doc) {
  ParseIn(line, /*padded=*/false, Walk::kOnDemand, doc);
}

void JsonlParser::ParseIn(std::string_view line, bool padded, Walk walk, Document* doc) {
  impl_->Parse(line,
               padded ? simdjson::padded_string_view(line.data(), line.size(), line.size() + kPaddingBytes)
                      : impl_->Pad(line),
               walk, doc);
  // A huge line leaves the parsers with buffers of its size (the DOM tape alone is several times
  // the line): start afresh so that one 200 MB document does not pin that memory for the run.
  constexpr std::size_t kKeepCapacity = 16u << 20;
  if (line.size() > kKeepCapacity) {
    const ReadConfig config = impl_->config;
    impl_ = std::make_unique<Impl>();
    impl_->config = config;
  }
}

}  // namespace neardup
