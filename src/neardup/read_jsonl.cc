#include "neardup/read_jsonl.h"

#include <simdjson.h>

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

}  // namespace

struct JsonlParser::Impl {
  ReadConfig config;
  simdjson::dom::parser validator;
  simdjson::ondemand::parser reader;
  std::string repaired;
  std::string padded_line;  // the line being parsed, then SIMDJSON_PADDING bytes (reused)
  std::string extra;        // the extra fields being gathered, copied to the document once

  simdjson::padded_string_view Pad(std::string_view line) {
    padded_line.assign(line);
    padded_line.append(simdjson::SIMDJSON_PADDING, '\0');
    return simdjson::padded_string_view(padded_line.data(), line.size(), padded_line.size());
  }

  void Reject(Document* doc, RejectReason reason, std::string detail) {
    doc->rejected = reason;
    doc->reject_detail = std::move(detail);
  }

  // `padded`: the line with its padding (Pad(line), or the caller's own when it has some).
  void Parse(std::string_view line, simdjson::padded_string_view padded, Document* doc) {
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
    bool have_text = false;
    bool have_id = false;
    std::string bad_id;
    extra.clear();
    auto document = reader.iterate(padded);
    simdjson::ondemand::object object;
    if (document.get_object().get(object) != simdjson::SUCCESS) {
      Reject(doc, RejectReason::kMalformedJson, "the line is not a JSON object");
      doc->id = doc->source.ToString();
      return;
    }
    for (auto field_result : object) {
      std::string_view key;
      if (field_result.error() != simdjson::SUCCESS ||
          field_result.value_unsafe().unescaped_key().get(key) != simdjson::SUCCESS) {
        Reject(doc, RejectReason::kMalformedJson, "unreadable member");
        break;
      }
      std::string key_copy(key);
      simdjson::ondemand::value value = field_result.value_unsafe().value();
      if (key_copy == config.text_field && !have_text) {
        std::string_view text;
        if (value.get_string().get(text) == simdjson::SUCCESS) {
          doc->text.assign(text);
          have_text = true;
        }
        continue;
      }
      if (key_copy == config.id_field && !have_id) {
        simdjson::ondemand::json_type type;
        if (value.type().get(type) == simdjson::SUCCESS && type == simdjson::ondemand::json_type::string) {
          std::string_view id;
          if (value.get_string().get(id) == simdjson::SUCCESS) {
            doc->id.assign(id);
            have_id = true;
          }
        } else {
          std::string_view raw = TrimJson(value.raw_json_token());
          if (IsJsonInteger(raw)) {
            doc->id.assign(raw);
            doc->id_is_number = true;
            have_id = true;
          } else {
            bad_id.assign(raw);
          }
        }
        continue;
      }
      const std::string_view raw = RawValue(value.raw_json_token(), padded);
      if (big_integer && !IsJsonAtomOrContainer(raw)) {
        Reject(doc, RejectReason::kMalformedJson, "invalid value of member \"" + key_copy + "\"");
        break;
      }
      if (!config.time_field.empty() && key_copy == config.time_field) {
        std::string_view time;
        if (value.get_string().get(time) == simdjson::SUCCESS) doc->time.assign(time);
      }
      extra.push_back(',');
      AppendJsonString(&extra, key_copy);
      extra.push_back(':');
      extra.append(TrimJson(raw));
    }
    doc->extra_fields.assign(extra);
    if (!have_id) doc->id = doc->source.ToString();
    if (doc->rejected) return;
    if (!bad_id.empty()) {
      Reject(doc, RejectReason::kBadId, "id is neither a string nor an integer: " + bad_id.substr(0, 40));
      return;
    }
    if (!have_text) {
      Reject(doc, RejectReason::kMissingText, "no string member \"" + config.text_field + "\"");
      return;
    }
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

void JsonlParser::Parse(std::string_view line, Document* doc) { ParseIn(line, /*padded=*/false, doc); }

void JsonlParser::ParsePadded(std::string_view line, Document* doc) { ParseIn(line, /*padded=*/true, doc); }

void JsonlParser::ParseIn(std::string_view line, bool padded, Document* doc) {
  impl_->Parse(line,
               padded ? simdjson::padded_string_view(line.data(), line.size(), line.size() + kPaddingBytes)
                      : impl_->Pad(line),
               doc);
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
