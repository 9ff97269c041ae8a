#include "neardup/write_jsonl.h"

#include <charconv>
#include <cmath>

namespace neardup {

void AppendJsonString(std::string* out, std::string_view utf8) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  std::size_t clean_from = 0;
  for (std::size_t i = 0; i < utf8.size(); ++i) {
    const auto c = static_cast<unsigned char>(utf8[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out->append(utf8.substr(clean_from, i - clean_from));
    clean_from = i + 1;
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      default:
        out->append("\\u00");
        out->push_back(kHex[c >> 4]);
        out->push_back(kHex[c & 15]);
    }
  }
  out->append(utf8.substr(clean_from));
  out->push_back('"');
}

void AppendJsonNumber(std::string* out, double value) {
  if (!std::isfinite(value)) {
    out->append("null");
    return;
  }
  char buffer[64];
  auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  out->append(buffer, result.ptr);
}

void AppendJsonNumber(std::string* out, std::uint64_t value) {
  char buffer[32];
  auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  out->append(buffer, result.ptr);
}

void AppendJsonSimilarity(std::string* out, double value) {
  AppendJsonNumber(out, std::round(value * 1e6) / 1e6);
}

}  // namespace neardup
