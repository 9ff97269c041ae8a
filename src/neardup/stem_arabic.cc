#include "neardup/stem_arabic.h"

#include <array>
#include <cstdint>

namespace neardup {
namespace {

// Arabic letters used by Light10, as two-byte UTF-8 sequences (all of U+0600..U+06FF are two
// bytes, so a letter count is a byte count / 2 for an all-Arabic token).
constexpr std::string_view kWaw = "\xD9\x88";         // U+0648
constexpr std::string_view kTehMarbuta = "\xD8\xA9";  // U+0629
constexpr std::string_view kHeh = "\xD9\x87";         // U+0647

// Definite articles, longest first: wal, bal, kal, fal, al, ll (Light10's list).
constexpr std::array<std::string_view, 6> kArticles = {
    "\xD9\x88\xD8\xA7\xD9\x84",  // وال
    "\xD8\xA8\xD8\xA7\xD9\x84",  // بال
    "\xD9\x83\xD8\xA7\xD9\x84",  // كال
    "\xD9\x81\xD8\xA7\xD9\x84",  // فال
    "\xD8\xA7\xD9\x84",          // ال
    "\xD9\x84\xD9\x84",          // لل
};

// Suffixes in Light10's order (ها ان ات ون ين يه ية ه ة ي); teh marbuta was already folded to
// heh, so ية and ة are covered by يه and ه.
constexpr std::array<std::string_view, 8> kSuffixes = {
    "\xD9\x87\xD8\xA7",  // ها
    "\xD8\xA7\xD9\x86",  // ان
    "\xD8\xA7\xD8\xAA",  // ات
    "\xD9\x88\xD9\x86",  // ون
    "\xD9\x8A\xD9\x86",  // ين
    "\xD9\x8A\xD9\x87",  // يه
    "\xD9\x87",          // ه
    "\xD9\x8A",          // ي
};

constexpr std::size_t kLetterBytes = 2;

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

void StemArabic(std::string_view token, std::string* out) {
  out->clear();
  if (!IsArabicWord(token)) {
    out->assign(token);
    return;
  }
  out->assign(token);
  // Normalization: final teh marbuta -> heh.
  if (out->size() >= kLetterBytes && std::string_view(*out).ends_with(kTehMarbuta)) {
    out->replace(out->size() - kLetterBytes, kLetterBytes, kHeh);
  }
  std::string_view word(*out);
  auto letters = [](std::string_view w) { return w.size() / kLetterBytes; };
  if (word.starts_with(kWaw) && letters(word) - 1 >= 3) word.remove_prefix(kLetterBytes);
  for (std::string_view article : kArticles) {
    if (word.starts_with(article) && letters(word) - letters(article) >= 2) {
      word.remove_prefix(article.size());
      break;
    }
  }
  for (std::string_view suffix : kSuffixes) {
    if (word.ends_with(suffix) && letters(word) - letters(suffix) >= 2) word.remove_suffix(suffix.size());
  }
  const std::size_t offset = static_cast<std::size_t>(word.data() - out->data());
  const std::size_t size = word.size();
  out->erase(0, offset);
  out->resize(size);
}

}  // namespace neardup
