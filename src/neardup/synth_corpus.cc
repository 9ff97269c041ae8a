#include "neardup/synth_corpus.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <deque>
#include <fstream>
#include <set>
#include <span>

#include "neardup/error.h"
#include "neardup/hash.h"
#include "neardup/write_jsonl.h"

namespace neardup {
namespace {

// Vocabularies are fixed (their own seed), so corpora of different seeds share one language.
constexpr std::uint64_t kVocabularySeed = 0x766f636162756c31ull;  // "vocabul1"
constexpr std::size_t kSyntheticWords = 40000;
constexpr std::size_t kEntityCount = 3000;
constexpr std::size_t kStoryWindow = 400;  // recent stories that copies and re-reports draw from

// Common words of Arabic news, roughly by frequency: they take the top Zipf ranks.
constexpr std::string_view kArabicCommon[] = {
    "في", "من", "على", "إلى", "أن", "عن", "مع", "التي", "الذي", "هذا", "هذه", "كان", "قال", "وقال",
    "ما", "لا", "بين", "بعد", "قبل", "خلال", "حيث", "كما", "أو", "ثم", "قد", "لم", "كل", "عند",
    "منذ", "حول", "أكثر", "أيضا", "فيه", "ذلك", "تلك", "هو", "هي", "وزير", "الوزير", "الحكومة",
    "المملكة", "السعودية", "الرياض", "جدة", "مكة", "المدينة", "الملك", "الأمير", "ولي", "العهد",
    "رئيس", "الوزراء", "مجلس", "الشورى", "الدولة", "وزارة", "الداخلية", "الخارجية", "الصحة",
    "التعليم", "العمل", "الاقتصاد", "النفط", "أسعار", "السوق", "الأسهم", "البنك", "المركزي",
    "مليون", "مليار", "ريال", "دولار", "العام", "اليوم", "أمس", "الأسبوع", "الماضي", "المقبل",
    "الشهر", "عدد", "المواطنين", "المواطن", "الأمن", "الشرطة", "القوات", "الجيش", "العسكرية",
    "الحرب", "اليمن", "سوريا", "العراق", "مصر", "إيران", "الأمم", "المتحدة", "المؤتمر",
    "الاجتماع", "المشروع", "مشاريع", "التنمية", "الخدمات", "المستشفى", "المرضى", "الطلاب",
    "الجامعة", "المدارس", "الطقس", "درجات", "الحرارة", "الأمطار", "المرور", "الحادث", "مصرع",
    "إصابة", "أشخاص", "المنطقة", "الشرقية", "منطقة", "محافظة", "أمير", "الهيئة", "العامة",
    "المدير", "التنفيذي", "المتحدث", "الرسمي", "أكد", "أوضح", "وأشار", "وأضاف", "أعلن", "وذكر",
    "بيان", "تصريح", "صحفي", "وكالة", "الأنباء", "الدوري", "الهلال", "النصر", "الاتحاد",
    "الأهلي", "المباراة", "الفريق", "اللاعب", "المدرب", "كأس", "البطولة", "إلى جانب", "وفي",
    "وقد", "وهو", "وهي", "لها", "له", "عليه", "إنه", "إن", "لكن", "غير", "حتى", "إذا", "الذين",
    "يتم", "تم", "سيتم", "الجديد", "الجديدة", "الأولى", "الثاني", "الثالث", "مساء", "صباح",
    "الساعة", "نحو", "أمام", "داخل", "خارج", "العربية", "الخليج", "الدولي", "الدولية", "العالم",
    "الإرهاب", "التحالف", "الشعب", "القرار", "القانون", "المحكمة", "الجهات", "المعنية",
    "المسؤولين", "الموظفين", "الرواتب", "الإسكان", "الطاقة", "الكهرباء", "المياه", "الحج",
    "العمرة", "الحرم", "رمضان", "العيد", "الإجازة", "الصيف", "السياحة", "الفندق", "الطيران",
    "المطار", "الرحلات", "الطرق", "السيارات", "المرأة", "الشباب", "الأطفال", "الأسر", "المجتمع",
};

constexpr std::string_view kEnglishCommon[] = {
    "the", "of", "and", "to", "a", "in", "that", "is", "for", "on", "was", "with", "he", "it",
    "as", "at", "by", "said", "from", "his", "an", "be", "have", "has", "are", "this", "but",
    "not", "they", "were", "had", "who", "will", "their", "which", "after", "been", "would",
    "more", "one", "year", "two", "new", "about", "also", "government", "people", "minister",
    "president", "state", "police", "officials", "ministry", "country", "city", "week", "monday",
    "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "percent", "million",
    "billion", "dollars", "oil", "prices", "market", "bank", "shares", "company", "security",
    "forces", "military", "war", "attack", "killed", "injured", "region", "province", "capital",
    "king", "prince", "council", "meeting", "conference", "project", "development", "services",
    "hospital", "health", "students", "university", "schools", "weather", "temperatures", "rain",
    "traffic", "accident", "united", "nations", "international", "world", "arab", "gulf",
    "league", "match", "team", "player", "coach", "cup", "season", "told", "reporters", "added",
    "statement", "agency", "news", "announced", "according", "over", "than", "into", "when",
    "there", "could", "while", "last", "first", "second", "third", "under", "against", "during",
    "before", "since", "its", "her", "she", "we", "our", "all", "no", "or", "if", "up", "out",
    "some", "other", "may", "should", "law", "court", "decision", "plan", "public", "national",
    "local", "foreign", "economic", "energy", "water", "electricity", "housing", "workers",
    "salaries", "women", "children", "families", "youth", "community", "summer", "tourism",
    "airport", "flights", "roads", "cars", "pilgrims", "holiday", "festival",
};

constexpr std::string_view kArabicLetters[] = {
    "ب", "ت", "ث", "ج", "ح", "خ", "د", "ذ", "ر", "ز", "س", "ش", "ص", "ض",
    "ط", "ظ", "ع", "غ", "ف", "ق", "ك", "ل", "م", "ن", "ه", "و", "ي", "ء"};

// Root-and-pattern templates; '1', '2', '3' are the root consonants.
constexpr std::string_view kArabicPatterns[] = {
    "123", "1ا23", "12ي3", "م12و3", "ت12ي3", "ا12ا3", "است12ا3", "م1ا23", "1و23", "م12ّ3",
    "ت1ا23", "م123", "1ا2ي3", "ا123", "ت123", "م1ت23", "ان12ا3", "1ِ2َ3"};

constexpr std::string_view kArabicFirstNames[] = {
    "محمد", "عبدالله", "فهد", "خالد", "سلمان", "سعود", "ناصر", "فيصل", "تركي", "عبدالعزيز", "سعد",
    "علي", "أحمد", "إبراهيم", "يوسف", "عمر", "نورة", "سارة", "منصور", "ماجد", "بندر", "طلال"};
constexpr std::string_view kArabicFamilies[] = {
    "الغامدي", "القحطاني", "العتيبي", "الشمري", "الحربي", "الزهراني", "المطيري", "الدوسري",
    "العنزي", "السبيعي", "الشهري", "العمري", "المالكي", "الجهني", "البقمي", "الرشيدي"};

constexpr std::string_view kEnglishSyllables[] = {
    "con", "ver", "sta", "tion", "pro", "men", "ing", "re", "de", "ter", "al", "ex", "port",
    "form", "ment", "ly", "ous", "ive", "cal", "ate", "in", "tra", "dis", "com", "per", "ble",
    "ance", "ist", "ure", "ward", "ness", "gen", "vi", "lo", "ra", "mi", "ca", "pa"};
constexpr std::string_view kEnglishFirstNames[] = {
    "John", "Maria", "David", "Sarah", "Ahmed", "James", "Laura", "Omar", "Peter", "Anna",
    "Michael", "Fatima", "Robert", "Elena", "Khalid", "Susan"};
constexpr std::string_view kEnglishFamilies[] = {
    "Smith", "Johnson", "Brown", "Garcia", "Miller", "Davis", "Wilson", "Anderson", "Taylor",
    "Thomas", "Moore", "Martin", "Jackson", "White", "Harris", "Clark"};

constexpr std::string_view kArabicSites[] = {
    "سبق", "عكاظ", "الرياض", "المدينة", "اليوم", "الوطن", "الجزيرة", "الشرق", "مكة",
    "الحياة", "المواطن", "تواصل", "عاجل", "الاقتصادية", "البلاد", "الندوة"};
constexpr std::string_view kEnglishSites[] = {
    "Gulf Daily", "Arab Times", "Saudi Gazette", "Daily Star", "Peninsula", "Khaleej Post",
    "Riyadh Herald", "Jeddah Courier", "Desert Mail", "Red Sea Press", "Eastern Tribune",
    "Najd Observer", "Hijaz Review", "Capital News", "Coastal Echo", "Morning Record"};

// Per-language boilerplate wordings; each site picks one of each by its index.
struct Boilerplate {
  std::string_view menus[4];
  std::string_view shares[4];
  std::string_view related[3];
  std::string_view footers[4];
  std::string_view published[3];
  std::string_view read_also;
};
constexpr Boilerplate kArabicBoilerplate = {
    {"الرئيسية » أخبار » محليات", "الرئيسية | الأخبار | اقتصاد | رياضة | منوعات",
     "أخبار > المملكة > المناطق", "الصفحة الرئيسية - آخر الأخبار - الأكثر قراءة"},
    {"شارك الخبر: تويتر | فيسبوك | واتساب", "أرسل لصديق - طباعة - حفظ", "تابعنا على تويتر",
     "انشر على: فيسبوك تويتر جوجل بلس"},
    {"أخبار ذات صلة", "اقرأ المزيد", "مواضيع قد تهمك"},
    {"جميع الحقوق محفوظة © صحيفة %s 2015", "حقوق النشر محفوظة لـ %s", "%s - كل الحقوق محفوظة",
     "جميع المواد المنشورة تعبر عن رأي كاتبها - %s"},
    {"نشر في: %s", "تاريخ النشر: %s", "%s | آخر تحديث"},
    "اقرأ أيضا:"};
constexpr Boilerplate kEnglishBoilerplate = {
    {"Home > News > Local", "Home | News | Business | Sports | Lifestyle", "News / Kingdom / Regions",
     "Front page - Latest - Most read"},
    {"Share: Twitter | Facebook | WhatsApp", "Email to a friend - Print - Save", "Follow us on Twitter",
     "Share on: Facebook Twitter Google+"},
    {"Related news", "Read more", "You may also like"},
    {"All rights reserved (c) %s 2015", "Copyright %s", "%s - all rights reserved",
     "Opinions expressed are the writer's own - %s"},
    {"Published: %s", "Posted on %s", "%s | Last updated"},
    "Read also:"};

// A deterministic stream of 64-bit values (SplitMix64) and the draws built on it.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t Next() { return SplitMix64(state_); }
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  std::size_t Below(std::size_t n) { return static_cast<std::size_t>(Uniform() * static_cast<double>(n)); }
  bool Chance(double p) { return Uniform() < p; }
  int Between(int low, int high) { return low + static_cast<int>(Below(static_cast<std::size_t>(high - low + 1))); }

 private:
  std::uint64_t state_;
};

// Walker/Vose alias table: O(1) draws from a fixed discrete distribution.
class AliasTable {
 public:
  explicit AliasTable(const std::vector<double>& weights) {
    const std::size_t n = weights.size();
    probability_.resize(n);
    alias_.resize(n);
    double sum = 0;
    for (double w : weights) sum += w;
    std::vector<double> scaled(n);
    std::vector<std::uint32_t> small;
    std::vector<std::uint32_t> large;
    for (std::size_t i = 0; i < n; ++i) {
      scaled[i] = weights[i] * static_cast<double>(n) / sum;
      (scaled[i] < 1.0 ? small : large).push_back(static_cast<std::uint32_t>(i));
    }
    while (!small.empty() && !large.empty()) {
      const std::uint32_t s = small.back();
      small.pop_back();
      const std::uint32_t l = large.back();
      probability_[s] = scaled[s];
      alias_[s] = l;
      scaled[l] -= 1.0 - scaled[s];
      if (scaled[l] < 1.0) {
        large.pop_back();
        small.push_back(l);
      }
    }
    for (std::uint32_t i : large) probability_[i] = 1.0;
    for (std::uint32_t i : small) probability_[i] = 1.0;
  }
  std::size_t Draw(Rng& rng) const {
    const std::size_t i = rng.Below(probability_.size());
    return rng.Uniform() < probability_[i] ? i : alias_[i];
  }

 private:
  std::vector<double> probability_;
  std::vector<std::uint32_t> alias_;
};

// Zipf-Mandelbrot weights 1/(rank + 2.7)^1.05, the usual fit for word frequencies.
std::vector<double> ZipfWeights(std::size_t n) {
  std::vector<double> weights(n);
  for (std::size_t rank = 0; rank < n; ++rank) weights[rank] = std::pow(static_cast<double>(rank) + 2.7, -1.05);
  return weights;
}

struct Language {
  bool arabic = true;
  std::vector<std::string> words;     // by Zipf rank
  std::vector<std::string> entities;  // person and place names (one or two words)
  std::vector<std::string> sites;
  const Boilerplate* boilerplate = nullptr;
  std::unique_ptr<AliasTable> zipf;
  std::string comma;
};

std::string ArabicWord(Rng& rng) {
  std::string_view pattern = kArabicPatterns[rng.Below(std::size(kArabicPatterns))];
  std::string word;
  const double prefix = rng.Uniform();
  if (prefix < 0.40) {
    word = "ال";
  } else if (prefix < 0.48) {
    word = "وال";
  } else if (prefix < 0.53) {
    word = "بال";
  } else if (prefix < 0.56) {
    word = "لل";
  } else if (prefix < 0.62) {
    word = "و";
  }
  std::string_view root[3];
  for (auto& letter : root) letter = kArabicLetters[rng.Below(std::size(kArabicLetters))];
  for (char c : pattern) {
    if (c >= '1' && c <= '3') {
      word.append(root[c - '1']);
    } else {
      word.push_back(c);
    }
  }
  const double suffix = rng.Uniform();
  if (suffix < 0.25) {
    word.append("ة");
  } else if (suffix < 0.33) {
    word.append("ات");
  } else if (suffix < 0.38) {
    word.append("ين");
  } else if (suffix < 0.41) {
    word.append("ون");
  } else if (suffix < 0.44) {
    word.append("ها");
  } else if (suffix < 0.46) {
    word.append("هم");
  }
  return word;
}

std::string EnglishWord(Rng& rng) {
  std::string word;
  const int syllables = rng.Between(1, 4);
  for (int i = 0; i < syllables; ++i) word.append(kEnglishSyllables[rng.Below(std::size(kEnglishSyllables))]);
  return word;
}

Language MakeLanguage(bool arabic) {
  Language language;
  language.arabic = arabic;
  Rng rng(kVocabularySeed + (arabic ? 1 : 2));
  std::set<std::string> seen;
  auto add = [&](std::string word) {
    if (seen.insert(word).second) language.words.push_back(std::move(word));
  };
  if (arabic) {
    for (std::string_view word : kArabicCommon) add(std::string(word));
  } else {
    for (std::string_view word : kEnglishCommon) add(std::string(word));
  }
  while (language.words.size() < kSyntheticWords) add(arabic ? ArabicWord(rng) : EnglishWord(rng));
  language.zipf = std::make_unique<AliasTable>(ZipfWeights(language.words.size()));
  for (std::size_t i = 0; i < kEntityCount; ++i) {
    std::string entity;
    if (rng.Chance(0.6)) {
      entity = std::string(arabic ? kArabicFirstNames[rng.Below(std::size(kArabicFirstNames))]
                                  : kEnglishFirstNames[rng.Below(std::size(kEnglishFirstNames))]);
      entity.push_back(' ');
      entity.append(arabic ? kArabicFamilies[rng.Below(std::size(kArabicFamilies))]
                           : kEnglishFamilies[rng.Below(std::size(kEnglishFamilies))]);
    } else {
      entity = arabic ? ArabicWord(rng) : EnglishWord(rng);  // a place or an organisation
      if (!arabic) entity[0] = static_cast<char>(entity[0] - 'a' + 'A');
    }
    language.entities.push_back(std::move(entity));
  }
  for (std::string_view site : arabic ? std::span<const std::string_view>(kArabicSites)
                                      : std::span<const std::string_view>(kEnglishSites)) {
    language.sites.emplace_back(site);
  }
  language.boilerplate = arabic ? &kArabicBoilerplate : &kEnglishBoilerplate;
  language.comma = arabic ? "،" : ",";
  return language;
}

std::string Format(std::string_view pattern, std::string_view value) {
  std::string out;
  const std::size_t at = pattern.find("%s");
  out.append(pattern.substr(0, at));
  out.append(value);
  out.append(pattern.substr(at + 2));
  return out;
}

// Days since 2015-01-01 -> "YYYY-MM-DD" (civil_from_days, H. Hinnant).
std::string DateString(std::int64_t day) {
  const std::int64_t z = day + 16436 + 719468;  // 16436 = days from 1970-01-01 to 2015-01-01
  const std::int64_t era = z / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  char text[16];
  std::snprintf(text, sizeof(text), "%04d-%02d-%02d", static_cast<int>(y), static_cast<int>(m),
                static_cast<int>(d));
  return text;
}

struct Story {
  std::string origin_id;
  bool arabic = true;
  std::vector<std::uint32_t> entities;  // indices into Language::entities
  std::vector<std::uint32_t> topic;     // mid-frequency word ranks the story keeps using
  std::vector<std::vector<std::string>> paragraphs;  // body sentences of the original
  std::string title;
  int site = 0;
  std::int64_t day = 0;
};

}  // namespace

const char* SynthKindName(SynthKind kind) {
  switch (kind) {
    case SynthKind::kOriginal:
      return "original";
    case SynthKind::kCopy:
      return "copy";
    case SynthKind::kRereport:
      return "rereport";
  }
  return "original";
}

struct SynthCorpus::Impl {
  SynthConfig config;
  Rng rng;
  Language arabic = MakeLanguage(true);
  Language english = MakeLanguage(false);
  std::deque<Story> recent;
  std::string line;
  std::uint64_t bytes = 0;
  std::uint64_t documents = 0;
  std::int64_t day = 200;  // 2015-07-20, like the SaudiNewsNet dump

  explicit Impl(const SynthConfig& c) : config(c), rng(c.seed ^ 0x53796e7468436f72ull) {
    if (config.sites < 1 || config.sites > 16) throw Error("synthetic corpus: sites must be in 1..16");
    if (config.copy_share < 0 || config.rereport_share < 0 || config.copy_share + config.rereport_share > 0.95) {
      throw Error("synthetic corpus: copy and re-report shares must be >= 0 and sum to at most 0.95");
    }
    if (!(config.length_scale > 0)) throw Error("synthetic corpus: length_scale must be positive");
  }

  const Language& LanguageOf(bool is_arabic) const { return is_arabic ? arabic : english; }

  std::string Number(const Language& language) {
    const std::uint64_t value = rng.Chance(0.5) ? rng.Below(100) + 1 : rng.Below(100000);
    std::string text = std::to_string(value);
    if (language.arabic && rng.Chance(0.3)) {  // Arabic-Indic digits (U+0660..), folded by normalization
      std::string arabic_digits;
      for (char digit : text) {
        arabic_digits.append("\xD9");
        arabic_digits.push_back(static_cast<char>(0xA0 + (digit - '0')));
      }
      return arabic_digits;
    }
    return text;
  }

  // One sentence: Zipf words, with the story's entities and topic words mixed in at `focus`.
  std::string Sentence(const Language& language, const Story& story, double focus) {
    std::string out;
    const int words = rng.Between(4, 16) + rng.Between(0, 14);
    for (int i = 0; i < words; ++i) {
      if (i > 0) out.push_back(' ');
      const double pick = rng.Uniform();
      if (pick < 0.05 * focus && !story.entities.empty()) {
        out.append(language.entities[story.entities[rng.Below(story.entities.size())]]);
      } else if (pick < 0.17 * focus && !story.topic.empty()) {
        out.append(language.words[story.topic[rng.Below(story.topic.size())]]);
      } else if (pick < 0.17 * focus + 0.02) {
        out.append(Number(language));
      } else {
        const std::string& word = language.words[language.zipf->Draw(rng)];
        if (language.arabic && rng.Chance(0.01)) {
          // A word written with a diacritic (fatha after its first letter), which normalization drops.
          out.append(word.substr(0, 2));
          out.append("\xD9\x8E");
          out.append(word.substr(2));
        } else {
          out.append(word);
        }
      }
      if (i + 1 < words && rng.Chance(0.06)) out.append(language.comma);
    }
    if (!language.arabic && !out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 32);
    out.push_back('.');
    return out;
  }

  std::string Title(const Language& language, const Story& story) {
    std::string title;
    const int words = rng.Between(5, 10);
    for (int i = 0; i < words; ++i) {
      if (i > 0) title.push_back(' ');
      if (i == 1 && !story.entities.empty()) {
        title.append(language.entities[story.entities[0]]);
      } else if (rng.Chance(0.3) && !story.topic.empty()) {
        title.append(language.words[story.topic[rng.Below(story.topic.size())]]);
      } else {
        title.append(language.words[language.zipf->Draw(rng)]);
      }
    }
    return title;
  }

  std::vector<std::vector<std::string>> Body(const Language& language, const Story& story, double focus) {
    std::vector<std::vector<std::string>> paragraphs;
    const int count = std::max(1, static_cast<int>(std::lround(rng.Between(3, 12) * config.length_scale)));
    for (int p = 0; p < count; ++p) {
      std::vector<std::string> sentences;
      const int n = rng.Between(1, 3);
      for (int s = 0; s < n; ++s) sentences.push_back(Sentence(language, story, focus));
      paragraphs.push_back(std::move(sentences));
    }
    return paragraphs;
  }

  Story NewStory(const std::string& id) {
    Story story;
    story.origin_id = id;
    story.arabic = config.language == SynthLanguage::kArabic ||
                   (config.language == SynthLanguage::kMixed && rng.Chance(0.8));
    const Language& language = LanguageOf(story.arabic);
    const int entities = rng.Between(2, 5);
    for (int i = 0; i < entities; ++i) story.entities.push_back(static_cast<std::uint32_t>(rng.Below(kEntityCount)));
    const int topic = rng.Between(4, 10);
    for (int i = 0; i < topic; ++i) {
      story.topic.push_back(static_cast<std::uint32_t>(300 + rng.Below(language.words.size() - 300)));
    }
    story.site = static_cast<int>(rng.Below(static_cast<std::size_t>(config.sites)));
    story.day = day;
    story.title = Title(language, story);
    story.paragraphs = Body(language, story, 1.0);
    return story;
  }

  // A copy of `paragraphs` with the edits a re-publishing site makes: sentences dropped, words
  // swapped, a sentence added, the end cut.
  std::vector<std::vector<std::string>> Edit(const Language& language, const Story& story) {
    std::vector<std::vector<std::string>> out;
    if (rng.Chance(0.3)) return story.paragraphs;  // verbatim body
    for (const auto& paragraph : story.paragraphs) {
      std::vector<std::string> sentences;
      for (const std::string& sentence : paragraph) {
        if (rng.Chance(0.04)) continue;
        if (rng.Chance(0.10)) {
          std::string edited = sentence;
          const std::size_t space = edited.find(' ', rng.Below(edited.size()));
          if (space != std::string::npos) {
            edited.insert(space + 1, language.words[language.zipf->Draw(rng)] + " ");
          }
          sentences.push_back(std::move(edited));
        } else {
          sentences.push_back(sentence);
        }
        if (rng.Chance(0.02)) sentences.push_back(Sentence(language, story, 1.0));
      }
      if (!sentences.empty()) out.push_back(std::move(sentences));
    }
    if (out.size() > 2 && rng.Chance(0.2)) out.pop_back();
    if (out.empty()) out = story.paragraphs;
    return out;
  }

  // Site boilerplate around the body; each site has its own fixed choice of wordings.
  std::string Wrap(const Language& language, int site, const std::string& date,
                   const std::vector<std::vector<std::string>>& paragraphs, const std::string& byline_city) {
    const Boilerplate& b = *language.boilerplate;
    const std::string& site_name = language.sites[static_cast<std::size_t>(site)];
    const auto variant = static_cast<std::size_t>(site);
    std::string text;
    if (variant % 3 != 2) {
      text.append(b.menus[variant % 4]);
      text.push_back('\n');
    }
    if (variant % 2 == 0) {
      text.append(Format(b.published[variant % 3], date));
      text.push_back('\n');
    }
    text.append(byline_city);
    text.append(" - ");
    text.append(site_name);
    text.append(":\n");
    for (std::size_t p = 0; p < paragraphs.size(); ++p) {
      if (p > 0) text.append("\n\n");
      for (std::size_t s = 0; s < paragraphs[p].size(); ++s) {
        if (s > 0) text.push_back(' ');
        text.append(paragraphs[p][s]);
      }
      if (p == 1 && variant % 4 == 1 && !recent.empty()) {
        text.append("\n\n");
        text.append(b.read_also);
        text.push_back(' ');
        text.append(recent[rng.Below(recent.size())].title);
      }
    }
    text.push_back('\n');
    if (variant % 3 != 1) {
      text.append(b.shares[variant % 4]);
      text.push_back('\n');
    }
    if (variant % 5 != 4 && !recent.empty()) {
      text.append(b.related[variant % 3]);
      for (int i = 0; i < 3; ++i) {
        text.push_back('\n');
        text.append(recent[rng.Below(recent.size())].title);
      }
      text.push_back('\n');
    }
    text.append(Format(b.footers[variant % 4], site_name));
    return text;
  }

  bool Next(SynthDocument* doc) {
    if (bytes >= config.target_bytes) return false;
    doc->id = "syn-";
    char digits[24];
    std::snprintf(digits, sizeof(digits), "%08llu", static_cast<unsigned long long>(documents));
    doc->id.append(digits);
    if (rng.Chance(0.01)) ++day;  // about 100 documents a day
    const double pick = rng.Uniform();
    SynthKind kind = SynthKind::kOriginal;
    if (!recent.empty() && pick < config.copy_share) {
      kind = SynthKind::kCopy;
    } else if (!recent.empty() && pick < config.copy_share + config.rereport_share) {
      kind = SynthKind::kRereport;
    }
    const Story* story = nullptr;
    Story fresh;
    if (kind == SynthKind::kOriginal) {
      fresh = NewStory(doc->id);
      story = &fresh;
    } else {
      // Recent stories are re-published more often than old ones.
      const std::size_t back = std::min(recent.size() - 1, rng.Below(std::min<std::size_t>(recent.size(), 40)));
      story = &recent[recent.size() - 1 - back];
    }
    const Language& language = LanguageOf(story->arabic);
    int site = story->site;
    if (kind != SynthKind::kOriginal && config.sites > 1) {
      site = (story->site + 1 + static_cast<int>(rng.Below(static_cast<std::size_t>(config.sites - 1)))) % config.sites;
    }
    doc->kind = kind;
    doc->origin_id = story->origin_id;
    doc->lang = story->arabic ? "ar" : "en";
    doc->site = language.sites[static_cast<std::size_t>(site)];
    doc->date = DateString(kind == SynthKind::kOriginal ? day : std::min(day, story->day + rng.Between(0, 2)));
    const std::string& city = language.entities[story->entities.back()];
    switch (kind) {
      case SynthKind::kOriginal:
        doc->title = story->title;
        doc->text = Wrap(language, site, doc->date, story->paragraphs, city);
        break;
      case SynthKind::kCopy:
        doc->title = rng.Chance(0.7) ? story->title : Title(language, *story);
        doc->text = Wrap(language, site, doc->date, Edit(language, *story), city);
        break;
      case SynthKind::kRereport: {
        doc->title = Title(language, *story);
        auto paragraphs = Body(language, *story, 3.0);
        if (rng.Chance(0.5) && !story->paragraphs.empty()) {  // quotes the original's lead
          paragraphs.insert(paragraphs.begin(), story->paragraphs.front());
        }
        doc->text = Wrap(language, site, doc->date, paragraphs, city);
        break;
      }
    }
    doc->url = "https://site" + std::to_string(site) + ".example/news/" + doc->id;
    if (kind == SynthKind::kOriginal) {
      recent.push_back(std::move(fresh));
      if (recent.size() > kStoryWindow) recent.pop_front();
    }
    line.clear();
    AppendSynthJsonl(*doc, &line);
    bytes += line.size();
    ++documents;
    return true;
  }
};

SynthCorpus::SynthCorpus(const SynthConfig& config) : impl_(std::make_unique<Impl>(config)) {}
SynthCorpus::~SynthCorpus() = default;
bool SynthCorpus::Next(SynthDocument* doc) { return impl_->Next(doc); }
std::string_view SynthCorpus::line() const { return impl_->line; }
std::uint64_t SynthCorpus::bytes() const { return impl_->bytes; }
std::uint64_t SynthCorpus::documents() const { return impl_->documents; }

namespace {

void AppendMember(std::string* out, std::string_view key, std::string_view value) {
  out->push_back(',');
  AppendJsonString(out, key);
  out->push_back(':');
  AppendJsonString(out, value);
}

// The members after "text", as JsonlParser keeps them in Document::extra_fields.
void AppendExtraMembers(const SynthDocument& doc, std::string* out) {
  AppendMember(out, "title", doc.title);
  AppendMember(out, "lang", doc.lang);
  AppendMember(out, "source", doc.site);
  AppendMember(out, "url", doc.url);
  AppendMember(out, "date", doc.date);
  AppendMember(out, "synth_kind", SynthKindName(doc.kind));
  AppendMember(out, "synth_of", doc.origin_id);
}

}  // namespace

void AppendSynthJsonl(const SynthDocument& doc, std::string* out) {
  out->append("{\"id\":");
  AppendJsonString(out, doc.id);
  out->append(",\"text\":");
  AppendJsonString(out, doc.text);
  AppendExtraMembers(doc, out);
  out->append("}\n");
}

std::uint64_t WriteSynthCorpus(const SynthConfig& config, const std::string& path) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw Error(path + ": cannot create file");
  SynthCorpus corpus(config);
  SynthDocument doc;
  std::string buffer;
  while (corpus.Next(&doc)) {
    buffer.append(corpus.line());
    if (buffer.size() >= (1u << 20)) {
      out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
      buffer.clear();
    }
  }
  out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
  out.flush();
  if (!out) throw Error(path + ": write failed (disk full?)");
  return corpus.documents();
}

std::vector<Document> SynthDocuments(const SynthConfig& config) {
  std::vector<Document> docs;
  SynthCorpus corpus(config);
  SynthDocument synth;
  while (corpus.Next(&synth)) {
    Document doc;
    doc.ordinal = docs.size();
    doc.id = synth.id;
    doc.source = Location{"<synth>", doc.ordinal + 1};
    doc.text = std::move(synth.text);
    AppendExtraMembers(synth, &doc.extra_fields);
    docs.push_back(std::move(doc));
  }
  return docs;
}

}  // namespace neardup
