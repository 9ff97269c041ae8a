#include "neardup/shingle.h"

#include <algorithm>

#include "neardup/hash.h"

namespace neardup {

void WordShingles(std::span<const std::string_view> tokens, int n, std::vector<std::uint64_t>* out) {
  out->clear();
  if (tokens.empty()) return;
  std::vector<std::uint64_t> token_hashes(tokens.size());
  for (std::size_t i = 0; i < tokens.size(); ++i) token_hashes[i] = Hash64(tokens[i], kTokenSeed);
  const std::size_t width = std::min<std::size_t>(static_cast<std::size_t>(n), tokens.size());
  out->reserve(tokens.size() - width + 1);
  for (std::size_t i = 0; i + width <= tokens.size(); ++i) {
    out->push_back(Hash64(token_hashes.data() + i, width * sizeof(std::uint64_t), kShingleSeed));
  }
  SortUnique(out);
}

void CharShingles(std::span<const std::string_view> tokens, int n, std::vector<std::uint64_t>* out) {
  out->clear();
  if (tokens.empty()) return;
  std::string joined;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (i > 0) joined.push_back(' ');
    joined.append(tokens[i]);
  }
  // Byte offsets of each code point start, plus the end.
  std::vector<std::size_t> starts;
  starts.reserve(joined.size() + 1);
  for (std::size_t i = 0; i < joined.size(); ++i) {
    if ((static_cast<unsigned char>(joined[i]) & 0xC0) != 0x80) starts.push_back(i);
  }
  const std::size_t code_points = starts.size();
  starts.push_back(joined.size());
  const std::size_t width = std::min<std::size_t>(static_cast<std::size_t>(n), code_points);
  out->reserve(code_points - width + 1);
  for (std::size_t i = 0; i + width <= code_points; ++i) {
    std::string_view gram(joined.data() + starts[i], starts[i + width] - starts[i]);
    out->push_back(Hash64(gram, kShingleSeed));
  }
  SortUnique(out);
}

void Shingles(std::span<const std::string_view> tokens, ShingleKind kind, int n,
              std::vector<std::uint64_t>* out) {
  if (kind == ShingleKind::kChar) {
    CharShingles(tokens, n, out);
  } else {
    WordShingles(tokens, n, out);
  }
}

void SortUnique(std::vector<std::uint64_t>* hashes) {
  std::sort(hashes->begin(), hashes->end());
  hashes->erase(std::unique(hashes->begin(), hashes->end()), hashes->end());
}

double ExactJaccard(std::span<const std::uint64_t> a, std::span<const std::uint64_t> b) {
  if (a.empty() && b.empty()) return 0.0;
  std::size_t i = 0;
  std::size_t j = 0;
  std::size_t common = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] < b[j]) {
      ++i;
    } else if (b[j] < a[i]) {
      ++j;
    } else {
      ++common;
      ++i;
      ++j;
    }
  }
  return static_cast<double>(common) / static_cast<double>(a.size() + b.size() - common);
}

}  // namespace neardup
