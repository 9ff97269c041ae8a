#include "neardup/normalize_utf8.h"

#include <array>
#include <bit>
#include <cstdint>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace neardup {
namespace {

// Decodes the characters from `p` on while they start before `end`, and returns where the last
// ends (past `end` when one straddles it); stops early at a character outside the BMP (4 bytes),
// returning where it starts. Valid UTF-8 fixes the marker bits of each byte, so they are
// subtracted rather than masked off.
const std::uint8_t* DecodeCharacters(const std::uint8_t* p, const std::uint8_t* end,
                                     char16_t*& out) {
  while (p < end) {
    const unsigned lead = p[0];
    if (lead < 0x80) {
      *out++ = static_cast<char16_t>(lead);
      p += 1;
    } else if (lead < 0xE0) {  // 110xxxxx 10yyyyyy
      *out++ = static_cast<char16_t>((lead << 6) + p[1] - ((0xC0u << 6) + 0x80));
      p += 2;
    } else if (lead < 0xF0) {  // 1110xxxx 10yyyyyy 10zzzzzz
      *out++ = static_cast<char16_t>((lead << 12) + (unsigned{p[1]} << 6) + p[2] -
                                     ((0xE0u << 12) + (0x80u << 6) + 0x80));
      p += 3;
    } else {
      break;
    }
  }
  return p;
}

#if defined(__x86_64__)

// For each 8-bit mask, the pshufb control that moves the 16-bit lanes whose bit is set to the
// front, in order.
constexpr std::array<std::array<std::uint8_t, 16>, 256> kCompressLanes = [] {
  std::array<std::array<std::uint8_t, 16>, 256> table{};
  for (unsigned mask = 0; mask < 256; ++mask) {
    unsigned to = 0;
    for (unsigned lane = 0; lane < 8; ++lane) {
      if ((mask >> lane & 1) == 0) continue;
      table[mask][2 * to] = static_cast<std::uint8_t>(2 * lane);
      table[mask][2 * to + 1] = static_cast<std::uint8_t>(2 * lane + 1);
      ++to;
    }
    for (; to < 8; ++to) table[mask][2 * to] = table[mask][2 * to + 1] = 0x80;  // zero
  }
  return table;
}();

// Eight bytes zero-extended to 16-bit lanes, and the byte after each: the code points of the
// characters of one or two bytes that start at the lanes set in `starts`, in order at `out` (8
// units are stored, zero after those). Each lane's code point is computed as if it started such a
// character, and a shuffle keeps those that do.
__attribute__((target("ssse3"))) void StoreHalf(__m128i lanes, __m128i next_lanes, unsigned starts,
                                                char16_t* out) {
  const __m128i two_bytes = _mm_sub_epi16(_mm_add_epi16(_mm_slli_epi16(lanes, 6), next_lanes),
                                          _mm_set1_epi16((0xC0 << 6) + 0x80));  // 110xxxxx 10yyyyyy
  const __m128i is_lead = _mm_cmpgt_epi16(lanes, _mm_set1_epi16(0x7F));
  const __m128i units =
      _mm_or_si128(_mm_and_si128(is_lead, two_bytes), _mm_andnot_si128(is_lead, lanes));
  const __m128i control =
      _mm_loadu_si128(reinterpret_cast<const __m128i*>(kCompressLanes[starts].data()));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(out), _mm_shuffle_epi8(units, control));
}

// StoreHalf for the 16 bytes of `bytes` (`next`: the byte after each, `starts`: bit i for byte
// i); returns the end of the units written (up to 8 more may have been). Both halves' places come
// from the mask, not from each other, so no chain runs through `out`.
__attribute__((target("ssse3,popcnt"))) char16_t* StoreStarts(__m128i bytes, __m128i next,
                                                              unsigned starts, char16_t* out) {
  const __m128i zero = _mm_setzero_si128();
  StoreHalf(_mm_unpacklo_epi8(bytes, zero), _mm_unpacklo_epi8(next, zero), starts & 0xFF, out);
  StoreHalf(_mm_unpackhi_epi8(bytes, zero), _mm_unpackhi_epi8(next, zero), starts >> 8,
            out + __builtin_popcount(starts & 0xFF));
  return out + __builtin_popcount(starts);
}

// Blocks of 16 bytes, with the byte after them readable (so that a character of two bytes
// starting at the last byte is decoded whole; the next block then begins with its continuation
// byte, which starts no character). A block of ASCII is widened; a block of characters of one or
// two bytes goes through StoreStarts; in a block with a byte of 0xE0 or more (a character of three
// or four bytes), the bytes before it go through StoreStarts, then that character alone. The last
// 16 bytes or fewer, one character at a time. No step from block to block depends on the bytes
// read.
__attribute__((target("ssse3,popcnt"))) DecodedBmp DecodeBmpSsse3(std::string_view text,
                                                                  char16_t* out) {
  const auto* const begin = reinterpret_cast<const std::uint8_t*>(text.data());
  const auto* const end = begin + text.size();
  const std::uint8_t* p = begin;
  char16_t* next_out = out;
  while (end - p > 16) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i next = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 1));
    const __m128i top3 = _mm_and_si128(bytes, _mm_set1_epi8(static_cast<char>(0xE0)));
    const auto long_leads = static_cast<unsigned>(
        _mm_movemask_epi8(_mm_cmpeq_epi8(top3, _mm_set1_epi8(static_cast<char>(0xE0)))));
    // Signed, the continuation bytes 0x80..0xBF are the ones below -64.
    const auto starts =
        static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpgt_epi8(bytes, _mm_set1_epi8(-65))));
    if (long_leads == 0) {
      if (_mm_movemask_epi8(bytes) == 0) {  // ASCII: every byte is a character
        const __m128i zero = _mm_setzero_si128();
        _mm_storeu_si128(reinterpret_cast<__m128i*>(next_out), _mm_unpacklo_epi8(bytes, zero));
        _mm_storeu_si128(reinterpret_cast<__m128i*>(next_out + 8), _mm_unpackhi_epi8(bytes, zero));
        next_out += 16;
      } else {
        next_out = StoreStarts(bytes, next, starts, next_out);
      }
      p += 16;
      continue;
    }
    const int before = std::countr_zero(long_leads);
    next_out = StoreStarts(bytes, next, starts & ((1u << before) - 1), next_out);
    p += before;
    const std::uint8_t* const after = DecodeCharacters(p, p + 1, next_out);
    if (after == p) break;  // a character outside the BMP
    p = after;
  }
  while (p < end && (*p & 0xC0) == 0x80) ++p;  // the end of a character decoded in the last block
  p = DecodeCharacters(p, end, next_out);
  return {static_cast<std::size_t>(p - begin), static_cast<std::size_t>(next_out - out)};
}

bool HasSsse3() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("ssse3") != 0 && __builtin_cpu_supports("popcnt") != 0;
}

#endif

}  // namespace

DecodedBmp DecodeBmpPortable(std::string_view text, char16_t* out) {
  const auto* const begin = reinterpret_cast<const std::uint8_t*>(text.data());
  char16_t* next_out = out;
  const std::uint8_t* const p = DecodeCharacters(begin, begin + text.size(), next_out);
  return {static_cast<std::size_t>(p - begin), static_cast<std::size_t>(next_out - out)};
}

DecodedBmp DecodeBmp(std::string_view text, char16_t* out) {
#if defined(__x86_64__)
  static const bool kSsse3 = HasSsse3();
  if (kSsse3) return DecodeBmpSsse3(text, out);
#endif
  return DecodeBmpPortable(text, out);
}

}  // namespace neardup
