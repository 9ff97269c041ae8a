// libFuzzer target: the normalizer/tokenizer. On any valid UTF-8 (invalid input is repaired first,
// as the read stage does), the fast path must give exactly the ICU path's tokens, and no token
// may be empty.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "neardup/clean_utf8.h"
#include "neardup/normalize.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static neardup::Tokenizer tokenizer;
  std::string text;
  neardup::RepairUtf8(std::string_view(reinterpret_cast<const char*>(data), size), &text);
  const auto& fast_views = tokenizer.Tokenize(text);
  const std::vector<std::string> fast(fast_views.begin(), fast_views.end());
  const auto& icu_views = tokenizer.TokenizeWithIcu(text);
  const std::vector<std::string> icu(icu_views.begin(), icu_views.end());
  if (fast != icu) std::abort();
  for (const std::string& token : fast) {
    if (token.empty()) std::abort();
  }
  return 0;
}
