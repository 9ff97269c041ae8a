#include "neardup/clean_utf8.h"

#include <simdjson.h>

namespace neardup {
namespace {

// Length of the valid UTF-8 sequence at text[i], or 0 with *subpart set to the length of the
// maximal subpart of an ill-formed sequence (at least 1), following Unicode 15 table 3-7.
std::size_t ValidSequenceLength(std::string_view text, std::size_t i, std::size_t* subpart) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  const std::size_t left = text.size() - i;
  *subpart = 1;
  if (lead < 0x80) return 1;
  std::size_t length = 0;
  unsigned char low = 0x80;
  unsigned char high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  } else {
    return 0;
  }
  for (std::size_t k = 1; k < length; ++k) {
    if (k >= left) return 0;
    unsigned char c = byte(i + k);
    unsigned char lo = k == 1 ? low : 0x80;
    unsigned char hi = k == 1 ? high : 0xBF;
    if (c < lo || c > hi) return 0;
    *subpart = k + 1;
  }
  return length;
}

}  // namespace

std::size_t FindInvalidUtf8(std::string_view text) {
  if (simdjson::validate_utf8(text.data(), text.size())) return std::string_view::npos;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t subpart = 0;
    std::size_t n = ValidSequenceLength(text, i, &subpart);
    if (n == 0) return i;
    i += n;
  }
  return std::string_view::npos;
}

std::uint32_t RepairUtf8(std::string_view text, std::string* out) {
  std::uint32_t repairs = 0;
  std::size_t i = 0;
  std::size_t clean_from = 0;
  while (i < text.size()) {
    if (static_cast<unsigned char>(text[i]) < 0x80) {
      ++i;
      continue;
    }
    std::size_t subpart = 0;
    std::size_t n = ValidSequenceLength(text, i, &subpart);
    if (n > 0) {
      i += n;
      continue;
    }
    out->append(text.substr(clean_from, i - clean_from));
    out->append("\xEF\xBF\xBD");
    ++repairs;
    i += subpart;
    clean_from = i;
  }
  out->append(text.substr(clean_from));
  return repairs;
}

}  // namespace neardup
