#include "neardup/story_terms.h"

#include <libstemmer.h>

#include <algorithm>
#include <array>
#include <map>

#include "neardup/embedded_data.h"
#include "neardup/error.h"
#include "neardup/hash.h"
#include "neardup/normalize.h"
#include "neardup/stem_arabic.h"

namespace neardup {
namespace {

constexpr std::uint64_t kLexiconSeed = 0x73746f70776f7264ull;  // "stopword"

std::uint64_t LexiconHash(std::string_view token) { return Hash64(token, kLexiconSeed); }

// An immutable open-addressing set of 64-bit hashes (0 marks an empty slot; hash 0 is mapped to 1).
class HashSet {
 public:
  void Build(std::vector<std::uint64_t> hashes) {
    std::size_t capacity = 16;
    while (capacity < hashes.size() * 2) capacity *= 2;
    slots_.assign(capacity, 0);
    mask_ = capacity - 1;
    for (std::uint64_t h : hashes) {
      h = h == 0 ? 1 : h;
      std::size_t i = h & mask_;
      while (slots_[i] != 0 && slots_[i] != h) i = (i + 1) & mask_;
      slots_[i] = h;
    }
  }
  bool Contains(std::uint64_t h) const {
    if (slots_.empty()) return false;
    h = h == 0 ? 1 : h;
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      if (slots_[i] == h) return true;
      if (slots_[i] == 0) return false;
    }
  }

 private:
  std::vector<std::uint64_t> slots_;
  std::size_t mask_ = 0;
};

// The Latin-script languages with a stopword list and a Snowball stemmer; index 0 is the default.
constexpr std::array<std::pair<const char*, const char*>, 4> kLatinLanguages = {{
    {"english", "stopwords_en.txt"},
    {"french", "stopwords_fr.txt"},
    {"spanish", "stopwords_es.txt"},
    {"german", "stopwords_de.txt"},
}};

// The lexicon-hashes of the normalized tokens of every non-comment line of a data file.
std::vector<std::uint64_t> LoadWordList(std::string_view name, Tokenizer* tokenizer) {
  const std::string_view content = EmbeddedData(name);
  std::vector<std::uint64_t> hashes;
  std::size_t begin = 0;
  while (begin < content.size()) {
    std::size_t end = content.find('\n', begin);
    if (end == std::string_view::npos) end = content.size();
    std::string_view line = content.substr(begin, end - begin);
    begin = end + 1;
    if (const std::size_t hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    for (std::string_view token : tokenizer->Tokenize(line)) hashes.push_back(LexiconHash(token));
  }
  return hashes;
}

enum class TokenKind : std::uint8_t { kArabic, kLatin, kNumber, kCode, kOther };

bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }

TokenKind Classify(std::string_view token) {
  bool digits = false;
  bool ascii_letters = false;
  bool non_ascii = false;
  for (char c : token) {
    if (IsAsciiDigit(c)) {
      digits = true;
    } else if (static_cast<unsigned char>(c) < 0x80) {
      ascii_letters = true;
    } else {
      non_ascii = true;
    }
  }
  if (!non_ascii) {
    if (digits && !ascii_letters) return TokenKind::kNumber;
    return digits ? TokenKind::kCode : TokenKind::kLatin;
  }
  if (!digits && IsArabicWord(token)) return TokenKind::kArabic;
  // Latin letters with diacritics (U+00C0..U+024F) lead with bytes 0xC3..0xC9.
  const auto lead = static_cast<unsigned char>(token[0]);
  if (!digits && (lead < 0x80 || (lead >= 0xC3 && lead <= 0xC9))) return TokenKind::kLatin;
  return TokenKind::kOther;
}

bool IsQuote(std::string_view text, std::size_t i, std::size_t* length) {
  const auto c = static_cast<unsigned char>(text[i]);
  if (c == '"') {
    *length = 1;
    return true;
  }
  if (i + 1 < text.size() && c == 0xC2 && (static_cast<unsigned char>(text[i + 1]) == 0xAB ||
                                           static_cast<unsigned char>(text[i + 1]) == 0xBB)) {
    *length = 2;  // « »
    return true;
  }
  if (i + 2 < text.size() && c == 0xE2 && static_cast<unsigned char>(text[i + 1]) == 0x80) {
    const auto third = static_cast<unsigned char>(text[i + 2]);
    if (third == 0x9C || third == 0x9D || third == 0x9E) {  // “ ” „
      *length = 3;
      return true;
    }
  }
  return false;
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

constexpr std::size_t kMaxQuotedBytes = 64;
constexpr std::size_t kMaxQuotedTokens = 4;

}  // namespace

struct StoryLexicon::Tables {
  HashSet arabic_stopwords;
  std::array<HashSet, kLatinLanguages.size()> latin_stopwords;
  HashSet any_latin_stopword;
  HashSet units;
};

StoryLexicon::StoryLexicon() : tables_(std::make_unique<Tables>()) {
  Tokenizer tokenizer;
  tables_->arabic_stopwords.Build(LoadWordList("stopwords_ar.txt", &tokenizer));
  std::vector<std::uint64_t> all;
  for (std::size_t i = 0; i < kLatinLanguages.size(); ++i) {
    std::vector<std::uint64_t> words = LoadWordList(kLatinLanguages[i].second, &tokenizer);
    all.insert(all.end(), words.begin(), words.end());
    tables_->latin_stopwords[i].Build(std::move(words));
  }
  tables_->any_latin_stopword.Build(std::move(all));
  tables_->units.Build(LoadWordList("story_units.txt", &tokenizer));
}

StoryLexicon::~StoryLexicon() = default;

struct StoryTermExtractor::Impl {
  explicit Impl(const StoryLexicon& lexicon) : tables(lexicon.tables()) {
    for (std::size_t i = 0; i < kLatinLanguages.size(); ++i) {
      stemmers[i] = sb_stemmer_new(kLatinLanguages[i].first, "UTF_8");
      if (stemmers[i] == nullptr) {
        throw Error(std::string("libstemmer: no Snowball stemmer for ") + kLatinLanguages[i].first);
      }
    }
  }
  ~Impl() {
    for (sb_stemmer* stemmer : stemmers) sb_stemmer_delete(stemmer);
  }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  // Lexicon-hashes of tokens that get a boost from the raw text: capitalized Latin words that do
  // not start a sentence (names), and the tokens of short quoted spans.
  void CollectBoosts(std::string_view text) {
    boosts.clear();
    // Names: an ASCII word starting with A-Z whose previous non-space character is a letter,
    // digit, comma or the like (not a sentence end and not the start of the text).
    char previous = '.';
    for (std::size_t i = 0; i < text.size();) {
      const char c = text[i];
      const bool letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
      if (!letter) {
        if (!IsSpace(c)) previous = c;
        ++i;
        continue;
      }
      std::size_t end = i;
      while (end < text.size() && ((text[end] >= 'A' && text[end] <= 'Z') || (text[end] >= 'a' && text[end] <= 'z'))) {
        ++end;
      }
      const bool sentence_start = previous == '.' || previous == '!' || previous == '?' || previous == '\n';
      if (c >= 'A' && c <= 'Z' && !sentence_start && end - i >= 2) {
        lower.assign(text.substr(i, end - i));
        for (char& ch : lower) ch = static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
        boosts.emplace_back(LexiconHash(lower), kBoostName);
      }
      previous = text[end - 1];
      i = end;
      // Newlines end sentences too (titles, list items).
      if (i < text.size() && text[i] == '\n') previous = '\n';
    }
    // Quoted names: text between two quote marks, not starting or ending with a space, at most
    // kMaxQuotedBytes long, without a newline, and of at most kMaxQuotedTokens tokens.
    std::size_t open = std::string_view::npos;
    std::size_t open_length = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
      std::size_t length = 0;
      if (text[i] == '\n') {
        open = std::string_view::npos;
        continue;
      }
      if (!IsQuote(text, i, &length)) continue;
      if (open != std::string_view::npos) {
        const std::size_t begin = open + open_length;
        if (i > begin && i - begin <= kMaxQuotedBytes && !IsSpace(text[begin]) && !IsSpace(text[i - 1])) {
          const auto& tokens = tokenizer.Tokenize(text.substr(begin, i - begin));
          if (!tokens.empty() && tokens.size() <= kMaxQuotedTokens) {
            for (std::string_view token : tokens) boosts.emplace_back(LexiconHash(token), kBoostQuoted);
          }
        }
      }
      open = i;
      open_length = length;
      i += length - 1;
    }
    std::sort(boosts.begin(), boosts.end());
  }

  float BoostOf(std::uint64_t lexicon_hash) const {
    auto it = std::lower_bound(boosts.begin(), boosts.end(), std::pair{lexicon_hash, 0.0f});
    float boost = 1.0f;
    for (; it != boosts.end() && it->first == lexicon_hash; ++it) boost = std::max(boost, it->second);
    return boost;
  }

  std::string_view StemLatin(std::string_view token, std::size_t language) {
    const sb_symbol* stem = sb_stemmer_stem(stemmers[language], reinterpret_cast<const sb_symbol*>(token.data()),
                                            static_cast<int>(token.size()));
    if (stem == nullptr) throw std::bad_alloc();
    return std::string_view(reinterpret_cast<const char*>(stem),
                            static_cast<std::size_t>(sb_stemmer_length(stemmers[language])));
  }

  // Calls emit(term_hash, boost, token) for every term occurrence of `text`, in text order.
  template <typename Emit>
  void ForEachTerm(std::string_view text, Emit&& emit) {
    CollectBoosts(text);
    const std::vector<std::string_view>& tokens = tokenizer.Tokenize(text);
    kinds.resize(tokens.size());
    hashes.resize(tokens.size());
    std::size_t arabic = 0;
    std::size_t latin = 0;
    std::array<std::size_t, kLatinLanguages.size()> hits{};
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      kinds[i] = Classify(tokens[i]);
      hashes[i] = LexiconHash(tokens[i]);
      if (kinds[i] == TokenKind::kArabic) ++arabic;
      if (kinds[i] == TokenKind::kLatin) {
        ++latin;
        for (std::size_t l = 0; l < hits.size(); ++l) hits[l] += tables.latin_stopwords[l].Contains(hashes[i]);
      }
    }
    const std::size_t language =
        static_cast<std::size_t>(std::max_element(hits.begin(), hits.end()) - hits.begin());
    const bool arabic_text = arabic > latin;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      const std::string_view token = tokens[i];
      switch (kinds[i]) {
        case TokenKind::kArabic: {
          if (token.size() < 4 || tables.arabic_stopwords.Contains(hashes[i])) break;
          // A leading waw or fa ("and", "so") before a stopword: وهو, فإن.
          if (token.size() >= 6 && (token.starts_with("\xD9\x88") || token.starts_with("\xD9\x81")) &&
              tables.arabic_stopwords.Contains(LexiconHash(token.substr(2)))) {
            break;
          }
          StemArabic(token, &stem);
          if (stem.size() < 4) break;
          emit(Hash64(stem, kStoryTermSeed), BoostOf(hashes[i]), token);
          break;
        }
        case TokenKind::kLatin: {
          if (token.size() < 2 || tables.any_latin_stopword.Contains(hashes[i])) break;
          float boost = BoostOf(hashes[i]);
          if (arabic_text) boost = std::max(boost, kBoostLatinInArabic);
          emit(Hash64(StemLatin(token, language), kStoryTermSeed), boost, token);
          break;
        }
        case TokenKind::kCode:
          emit(Hash64(token, kStoryTermSeed), kBoostCode, token);
          break;
        case TokenKind::kNumber: {
          if (i + 1 < tokens.size() && tables.units.Contains(hashes[i + 1])) {
            pair.assign(token);
            pair.push_back(' ');
            pair.append(tokens[i + 1]);
            emit(Hash64(pair, kStoryTermSeed), kBoostNumberUnit, std::string_view(pair));
          }
          if (token.size() >= 2) emit(Hash64(token, kStoryTermSeed), 1.0f, token);
          break;
        }
        case TokenKind::kOther:
          if (token.size() >= 2) emit(Hash64(token, kStoryTermSeed), BoostOf(hashes[i]), token);
          break;
      }
    }
  }

  const StoryLexicon::Tables& tables;
  Tokenizer tokenizer;
  std::array<sb_stemmer*, kLatinLanguages.size()> stemmers{};
  std::vector<std::pair<std::uint64_t, float>> boosts;
  std::vector<TokenKind> kinds;
  std::vector<std::uint64_t> hashes;
  std::vector<TermCount> occurrences;
  std::string stem;
  std::string lower;
  std::string pair;
};

StoryTermExtractor::StoryTermExtractor(const StoryLexicon& lexicon) : impl_(std::make_unique<Impl>(lexicon)) {}
StoryTermExtractor::~StoryTermExtractor() = default;

void StoryTermExtractor::Extract(std::string_view text, std::vector<TermCount>* out) {
  std::vector<TermCount>& occurrences = impl_->occurrences;
  occurrences.clear();
  impl_->ForEachTerm(text, [&](std::uint64_t hash, float boost, std::string_view) {
    occurrences.push_back(TermCount{hash, 1, boost});
  });
  std::sort(occurrences.begin(), occurrences.end(),
            [](const TermCount& a, const TermCount& b) { return a.hash < b.hash; });
  out->clear();
  for (const TermCount& term : occurrences) {
    if (!out->empty() && out->back().hash == term.hash) {
      ++out->back().count;
      out->back().boost = std::max(out->back().boost, term.boost);
    } else {
      out->push_back(term);
    }
  }
}

std::vector<std::pair<std::uint64_t, std::string>> StoryTermExtractor::Surfaces(std::string_view text) {
  std::map<std::uint64_t, std::map<std::string, std::uint32_t>> counts;
  impl_->ForEachTerm(text, [&](std::uint64_t hash, float, std::string_view token) {
    ++counts[hash][std::string(token)];
  });
  std::vector<std::pair<std::uint64_t, std::string>> out;
  out.reserve(counts.size());
  for (const auto& [hash, surfaces] : counts) {
    // The most frequent surface; ties go to the shorter, then the smaller string.
    auto best = surfaces.begin();
    for (auto it = surfaces.begin(); it != surfaces.end(); ++it) {
      if (it->second > best->second || (it->second == best->second && it->first.size() < best->first.size())) {
        best = it;
      }
    }
    out.emplace_back(hash, best->first);
  }
  return out;
}

double StoryIdf(std::uint64_t df, std::uint64_t n) {
  const double d = static_cast<double>(df);
  const double all = static_cast<double>(std::max(n, df));
  return std::log(1.0 + (all - d + 0.5) / (d + 0.5));
}

}  // namespace neardup
