#include "neardup/story_terms.h"

#include <libstemmer.h>

#include <algorithm>
#include <array>
#include <cstring>
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
bool IsAsciiUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsAsciiLetter(char c) { return IsAsciiUpper(c) || (c >= 'a' && c <= 'z'); }

constexpr std::size_t kMaxQuotedBytes = 64;
constexpr std::size_t kMaxQuotedTokens = 4;

// A direct-mapped cache from short tokens (plus a one-byte tag) to a Value, for one thread. Exact:
// a slot keeps its key's bytes, so a hit is always the same token; a miss overwrites the slot.
// Memory is fixed (kSlots slots); longer tokens are never cached.
template <typename Value>
class TokenCache {
 public:
  static constexpr std::size_t kMaxKeyBytes = 22;

  TokenCache() : slots_(kSlots) {}
  // The value cached for (token, tag), or nullptr; `hash` is a hash of the token.
  const Value* Find(std::string_view token, std::uint8_t tag, std::uint64_t hash) const {
    if (token.size() > kMaxKeyBytes) return nullptr;
    const Slot& slot = slots_[Index(tag, hash)];
    if (slot.length != token.size() || slot.tag != tag) return nullptr;
    return std::memcmp(slot.bytes, token.data(), token.size()) == 0 ? &slot.value : nullptr;
  }
  void Put(std::string_view token, std::uint8_t tag, std::uint64_t hash, const Value& value) {
    if (token.size() > kMaxKeyBytes) return;
    Slot& slot = slots_[Index(tag, hash)];
    slot.length = static_cast<std::uint8_t>(token.size());
    slot.tag = tag;
    std::memcpy(slot.bytes, token.data(), token.size());
    slot.value = value;
  }

 private:
  static constexpr std::size_t kSlots = std::size_t{1} << 14;
  struct Slot {
    std::uint8_t length = 0xFF;  // no token is this long: an empty slot
    std::uint8_t tag = 0;
    char bytes[kMaxKeyBytes] = {};
    Value value{};
  };
  static std::size_t Index(std::uint8_t tag, std::uint64_t hash) {
    return static_cast<std::size_t>((hash >> 20) + tag * 0x9e3779b9ull) & (kSlots - 1);
  }
  std::vector<Slot> slots_;
};

// The terms of one document: term hash -> occurrences and largest boost, in an open-addressing
// table reused across documents (only the slots a document used are cleared after it).
class TermTally {
 public:
  void Add(std::uint64_t hash, float boost) {
    if (2 * (terms_.size() + 1) > slots_.size()) Grow();
    std::size_t i = hash & mask_;
    for (; slots_[i] != 0; i = (i + 1) & mask_) {
      TermCount& term = terms_[slots_[i] - 1];
      if (term.hash == hash) {
        ++term.count;
        term.boost = std::max(term.boost, boost);
        return;
      }
    }
    terms_.push_back(TermCount{hash, 1, boost});
    slots_[i] = static_cast<std::uint32_t>(terms_.size());
    used_.push_back(i);
  }
  // The terms, sorted by hash, into `out`; the tally is empty afterwards.
  void Take(std::vector<TermCount>* out) {
    out->assign(terms_.begin(), terms_.end());
    std::sort(out->begin(), out->end(),
              [](const TermCount& a, const TermCount& b) { return a.hash < b.hash; });
    for (const std::size_t i : used_) slots_[i] = 0;
    terms_.clear();
    used_.clear();
  }

 private:
  void Grow() {
    slots_.assign(std::max<std::size_t>(1024, 2 * slots_.size()), 0);
    mask_ = slots_.size() - 1;
    used_.clear();
    for (std::size_t t = 0; t < terms_.size(); ++t) {
      std::size_t i = terms_[t].hash & mask_;
      while (slots_[i] != 0) i = (i + 1) & mask_;
      slots_[i] = static_cast<std::uint32_t>(t + 1);
      used_.push_back(i);
    }
  }
  std::vector<std::uint32_t> slots_;  // 1 + index into terms_, 0 = empty
  std::size_t mask_ = 0;
  std::vector<TermCount> terms_;
  std::vector<std::size_t> used_;
};

// What the term extraction needs to know about a token that depends on its bytes only.
struct TokenFacts {
  std::uint64_t lexicon_hash = 0;
  std::uint64_t term = 0;  // the term's hash when `emits` (Latin: the stem depends on the language)
  TokenKind kind = TokenKind::kOther;
  bool emits = false;  // Arabic: content word with a 4+ byte stem; Latin: 2+ bytes, no stopword;
                       // number, other: 2+ bytes; code: always
  std::uint8_t latin_stopwords = 0;  // bit l: a stopword of kLatinLanguages[l]
};

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
  Impl(const StoryLexicon& lexicon, bool cache) : tables(lexicon.tables()), cache_tokens(cache) {
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
    CollectNames(text);
    CollectQuoted(text);
    std::sort(boosts.begin(), boosts.end());
  }

  // Names: an ASCII word (a maximal run of A-Z, a-z) of 2+ letters starting with A-Z whose
  // previous non-space character is a letter, digit, comma or the like: not a sentence end, not
  // a newline right after a word, and not the start of the text.
  void CollectNames(std::string_view text) {
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (!IsAsciiUpper(text[i]) || (i > 0 && IsAsciiLetter(text[i - 1]))) continue;
      std::size_t end = i + 1;
      while (end < text.size() && IsAsciiLetter(text[end])) ++end;
      const char previous = PreviousMark(text, i);
      const bool sentence_start = previous == '.' || previous == '!' || previous == '?' || previous == '\n';
      if (!sentence_start && end - i >= 2) {
        lower.assign(text.substr(i, end - i));
        for (char& ch : lower) ch = static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
        boosts.emplace_back(LexiconHash(lower), kBoostName);
      }
      i = end - 1;
    }
  }

  // The last non-space character before `i`; '.' at the start of the text, and '\n' when that
  // character ends an ASCII word followed by a newline (newlines end titles and list items).
  static char PreviousMark(std::string_view text, std::size_t i) {
    std::size_t j = i;
    while (j > 0 && IsSpace(text[j - 1])) --j;
    if (j == 0) return '.';
    if (j < i && text[j] == '\n' && IsAsciiLetter(text[j - 1])) return '\n';
    return text[j - 1];
  }

  // Quoted names: text between two quote marks, not starting or ending with a space, at most
  // kMaxQuotedBytes long, without a newline, and of at most kMaxQuotedTokens tokens.
  void CollectQuoted(std::string_view text) {
    std::size_t open = std::string_view::npos;
    std::size_t open_length = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
      const auto c = static_cast<unsigned char>(text[i]);
      if (c != '\n' && c != '"' && c != 0xC2 && c != 0xE2) continue;  // the bytes that can matter
      std::size_t length = 0;
      if (c == '\n') {
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

  // The facts of `token` (TokenFacts), from the cache when it was seen recently.
  TokenFacts FactsOf(std::string_view token) {
    const std::uint64_t lexicon_hash = LexiconHash(token);
    if (const TokenFacts* cached = cache_tokens ? facts_cache.Find(token, 0, lexicon_hash) : nullptr) {
      return *cached;
    }
    TokenFacts facts;
    facts.lexicon_hash = lexicon_hash;
    facts.kind = Classify(token);
    switch (facts.kind) {
      case TokenKind::kArabic: {
        if (token.size() < 4 || tables.arabic_stopwords.Contains(lexicon_hash)) break;
        // A leading waw or fa ("and", "so") before a stopword: وهو, فإن.
        if (token.size() >= 6 && (token.starts_with("\xD9\x88") || token.starts_with("\xD9\x81")) &&
            tables.arabic_stopwords.Contains(LexiconHash(token.substr(2)))) {
          break;
        }
        const std::string_view stem = StemArabicWord(token, &stem_buffer);  // Classify checked the word
        facts.emits = stem.size() >= 4;
        facts.term = Hash64(stem, kStoryTermSeed);
        break;
      }
      case TokenKind::kLatin:
        for (std::size_t l = 0; l < kLatinLanguages.size(); ++l) {
          if (tables.latin_stopwords[l].Contains(lexicon_hash)) facts.latin_stopwords |= 1u << l;
        }
        facts.emits = token.size() >= 2 && !tables.any_latin_stopword.Contains(lexicon_hash);
        break;
      case TokenKind::kCode:
        facts.emits = true;
        facts.term = Hash64(token, kStoryTermSeed);
        break;
      case TokenKind::kNumber:
      case TokenKind::kOther:
        facts.emits = token.size() >= 2;
        facts.term = Hash64(token, kStoryTermSeed);
        break;
    }
    if (cache_tokens) facts_cache.Put(token, 0, lexicon_hash, facts);
    return facts;
  }

  // The term of a Latin-script token: its Snowball stem in `language`, hashed.
  std::uint64_t LatinTerm(std::string_view token, std::uint64_t lexicon_hash, std::size_t language) {
    const auto tag = static_cast<std::uint8_t>(language);
    if (const std::uint64_t* cached = cache_tokens ? latin_cache.Find(token, tag, lexicon_hash) : nullptr) {
      return *cached;
    }
    const std::uint64_t term = Hash64(StemLatin(token, language), kStoryTermSeed);
    if (cache_tokens) latin_cache.Put(token, tag, lexicon_hash, term);
    return term;
  }

  // Calls emit(term_hash, boost, token) for every term occurrence of `text`, in text order.
  template <typename Emit>
  void ForEachTerm(std::string_view text, Emit&& emit) {
    CollectBoosts(text);
    const std::vector<std::string_view>& tokens = tokenizer.Tokenize(text);
    facts.resize(tokens.size());
    std::size_t arabic = 0;
    std::size_t latin = 0;
    std::array<std::size_t, kLatinLanguages.size()> hits{};
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      facts[i] = FactsOf(tokens[i]);
      if (facts[i].kind == TokenKind::kArabic) ++arabic;
      if (facts[i].kind == TokenKind::kLatin) {
        ++latin;
        for (std::size_t l = 0; l < hits.size(); ++l) hits[l] += (facts[i].latin_stopwords >> l) & 1u;
      }
    }
    const std::size_t language =
        static_cast<std::size_t>(std::max_element(hits.begin(), hits.end()) - hits.begin());
    const bool arabic_text = arabic > latin;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      const std::string_view token = tokens[i];
      const TokenFacts& fact = facts[i];
      switch (fact.kind) {
        case TokenKind::kArabic:
          if (fact.emits) emit(fact.term, BoostOf(fact.lexicon_hash), token);
          break;
        case TokenKind::kLatin: {
          if (!fact.emits) break;
          float boost = BoostOf(fact.lexicon_hash);
          if (arabic_text) boost = std::max(boost, kBoostLatinInArabic);
          emit(LatinTerm(token, fact.lexicon_hash, language), boost, token);
          break;
        }
        case TokenKind::kCode:
          emit(fact.term, kBoostCode, token);
          break;
        case TokenKind::kNumber: {
          if (i + 1 < tokens.size() && tables.units.Contains(facts[i + 1].lexicon_hash)) {
            pair.assign(token);
            pair.push_back(' ');
            pair.append(tokens[i + 1]);
            emit(Hash64(pair, kStoryTermSeed), kBoostNumberUnit, std::string_view(pair));
          }
          if (fact.emits) emit(fact.term, 1.0f, token);
          break;
        }
        case TokenKind::kOther:
          if (fact.emits) emit(fact.term, BoostOf(fact.lexicon_hash), token);
          break;
      }
    }
  }

  const StoryLexicon::Tables& tables;
  const bool cache_tokens;
  Tokenizer tokenizer;
  std::array<sb_stemmer*, kLatinLanguages.size()> stemmers{};
  std::vector<std::pair<std::uint64_t, float>> boosts;
  std::vector<TokenFacts> facts;
  TokenCache<TokenFacts> facts_cache;
  TokenCache<std::uint64_t> latin_cache;  // tag: the language
  TermTally tally;
  std::string stem_buffer;
  std::string lower;
  std::string pair;
};

StoryTermExtractor::StoryTermExtractor(const StoryLexicon& lexicon, bool cache_tokens)
    : impl_(std::make_unique<Impl>(lexicon, cache_tokens)) {}
StoryTermExtractor::~StoryTermExtractor() = default;

void StoryTermExtractor::Extract(std::string_view text, std::vector<TermCount>* out) {
  TermTally& tally = impl_->tally;
  impl_->ForEachTerm(text,
                     [&](std::uint64_t hash, float boost, std::string_view) { tally.Add(hash, boost); });
  tally.Take(out);
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

std::vector<std::pair<std::uint64_t, std::string>> StoryTermExtractor::Surfaces(
    std::string_view text, std::span<const std::uint64_t> wanted) {
  struct Surface {
    std::uint64_t hash;
    std::string text;
    std::uint32_t count;
  };
  std::vector<Surface> surfaces;
  impl_->ForEachTerm(text, [&](std::uint64_t hash, float, std::string_view token) {
    if (std::find(wanted.begin(), wanted.end(), hash) == wanted.end()) return;
    for (Surface& surface : surfaces) {
      if (surface.hash == hash && surface.text == token) {
        ++surface.count;
        return;
      }
    }
    surfaces.push_back(Surface{hash, std::string(token), 1});
  });
  // The most frequent surface per term; ties go to the shorter, then the smaller string.
  std::sort(surfaces.begin(), surfaces.end(), [](const Surface& a, const Surface& b) {
    if (a.hash != b.hash) return a.hash < b.hash;
    if (a.count != b.count) return a.count > b.count;
    if (a.text.size() != b.text.size()) return a.text.size() < b.text.size();
    return a.text < b.text;
  });
  std::vector<std::pair<std::uint64_t, std::string>> out;
  for (Surface& surface : surfaces) {
    if (out.empty() || out.back().first != surface.hash) {
      out.emplace_back(surface.hash, std::move(surface.text));
    }
  }
  return out;
}

double StoryIdf(std::uint64_t df, std::uint64_t n) {
  const double d = static_cast<double>(df);
  const double all = static_cast<double>(std::max(n, df));
  return std::log(1.0 + (all - d + 0.5) / (d + 0.5));
}

}  // namespace neardup
