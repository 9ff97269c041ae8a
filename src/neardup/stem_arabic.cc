#include "neardup/stem_arabic.h"

#include <array>
#include <cstdint>

namespace neardup {
namespace {

// Arabic letters used by Light10. All of U+0600..U+06FF are two bytes in UTF-8, so an all-Arabic
// token is a sequence of letters, each read here as its two bytes (lead << 8 | trail).
using Letter = std::uint16_t;
constexpr std::size_t kLetterBytes = 2;
constexpr Letter kWaw = 0xD988;         // U+0648
constexpr Letter kTehMarbuta = 0xD8A9;  // U+0629
constexpr Letter kHeh = 0xD987;         // U+0647
constexpr Letter kAlef = 0xD8A7;        // U+0627
constexpr Letter kLam = 0xD984;         // U+0644

constexpr Letter kBeh = 0xD8A8;         // U+0628
constexpr Letter kKaf = 0xD983;         // U+0643
constexpr Letter kFeh = 0xD981;         // U+0641
constexpr Letter kNoon = 0xD986;        // U+0646
constexpr Letter kTeh = 0xD8AA;         // U+062A
constexpr Letter kYeh = 0xD98A;         // U+064A

Letter LetterAt(std::string_view word, std::size_t i) {
  return static_cast<Letter>((static_cast<unsigned char>(word[kLetterBytes * i]) << 8) |
                             static_cast<unsigned char>(word[kLetterBytes * i + 1]));
}

}  // namespace

bool IsArabicWord(std::string_view token) {
  if (token.empty() || token.size() % kLetterBytes != 0) return false;
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(token.data());
  for (std::size_t i = 0; i < token.size(); i += kLetterBytes) {
    if (bytes[i] < 0xD8 || bytes[i] > 0xDB || (bytes[i + 1] & 0xC0) != 0x80) return false;
    const std::uint32_t c = ((bytes[i] & 0x1Fu) << 6) | (bytes[i + 1] & 0x3Fu);
    const bool letter = (c >= 0x0621 && c <= 0x064A) || (c >= 0x0671 && c <= 0x06D3);
    if (!letter) return false;
  }
  return true;
}

std::string_view StemArabicWord(std::string_view word, std::string* buffer) {
  const std::size_t n = word.size() / kLetterBytes;
  // Normalization: final teh marbuta -> heh (read through `letter`, written out at the end).
  const bool final_heh = n >= 1 && LetterAt(word, n - 1) == kTehMarbuta;
  auto letter = [&](std::size_t i) { return i + 1 == n && final_heh ? kHeh : LetterAt(word, i); };
  std::size_t begin = 0;
  std::size_t end = n;
  if (n >= 4 && letter(0) == kWaw) begin = 1;
  // Definite articles, longest first: wal, bal, kal, fal, then al, ll (Light10's list), the
  // first that leaves 2+ letters. The 3-letter ones start with waw/beh/kaf/feh, the others
  // with alef/lam, so at most one of each length can match.
  const std::size_t length = end - begin;
  const Letter first = length >= 2 ? letter(begin) : 0;
  if (length >= 5 && (first == kWaw || first == kBeh || first == kKaf || first == kFeh) &&
      letter(begin + 1) == kAlef && letter(begin + 2) == kLam) {
    begin += 3;
  } else if (length >= 4 && (first == kAlef || first == kLam) && letter(begin + 1) == kLam) {
    begin += 2;
  }
  // Suffixes in Light10's order (ها ان ات ون ين يه ية ه ة ي), each tried once and removed when
  // 2+ letters remain; teh marbuta was folded to heh, so ية and ة are covered by يه and ه.
  auto strip2 = [&](Letter a, Letter b) {
    if (end - begin >= 4 && letter(end - 2) == a && letter(end - 1) == b) end -= 2;
  };
  auto strip1 = [&](Letter a) {
    if (end - begin >= 3 && letter(end - 1) == a) end -= 1;
  };
  strip2(kHeh, kAlef);
  strip2(kAlef, kNoon);
  strip2(kAlef, kTeh);
  strip2(kWaw, kNoon);
  strip2(kYeh, kNoon);
  strip2(kYeh, kHeh);
  strip1(kHeh);
  strip1(kYeh);
  const std::string_view stem = word.substr(kLetterBytes * begin, kLetterBytes * (end - begin));
  if (end < n || !final_heh) return stem;
  buffer->assign(stem);
  (*buffer)[buffer->size() - 2] = static_cast<char>(kHeh >> 8);
  (*buffer)[buffer->size() - 1] = static_cast<char>(kHeh & 0xFF);
  return *buffer;
}

void StemArabic(std::string_view token, std::string* out) {
  if (!IsArabicWord(token)) {
    out->assign(token);
    return;
  }
  const std::string_view stem = StemArabicWord(token, out);
  if (stem.data() != out->data()) out->assign(stem);  // else *out already holds the stem
}

}  // namespace neardup
