#include "testing/story_corpus.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <random>
#include <set>

#include "neardup/write_jsonl.h"

namespace neardup::testing {
namespace {

using Random = std::mt19937_64;
using Words = std::vector<std::string>;

std::size_t Pick(Random& random, std::size_t size) { return static_cast<std::size_t>(random() % size); }
const std::string& PickOf(Random& random, const Words& words) { return words[Pick(random, words.size())]; }

struct Language {
  Words general;                 // general news nouns (filler of every story)
  Words domain;                  // topic vocabularies are drawn from here
  Words connectors;              // function words of filler sentences
  std::vector<Words> events;     // synonym groups: a story's event words
  Words first_names;
  Words syllables;               // for generated names of entities, people, places, outlets
  Words months;
  Words units;
  std::vector<std::array<std::string, 2>> templates;  // fact sentences, two phrasings each
  std::string outlet_prefix;     // "the" / "صحيفة"
  bool arabic = false;
};

Language English() {
  Language l;
  l.general = {"market", "officials", "government", "industry", "analysts", "growth", "plan", "sector",
               "investment", "policy", "economy", "demand", "prices", "costs", "project", "program", "region",
               "countries", "leaders", "system", "services", "development", "future", "change", "support",
               "pressure", "competition", "strategy", "decision", "meeting", "statement", "results", "quarter",
               "customers", "workers", "network", "production", "supply", "exports", "rules", "law", "public",
               "media", "experts", "research", "capacity", "energy", "trade", "funding", "partners", "risks"};
  l.domain = {"chips", "servers", "software", "batteries", "vehicles", "factories", "airlines", "flights",
              "banks", "loans", "crops", "harvest", "hospitals", "patients", "vaccines", "schools", "students",
              "oil", "refineries", "pipelines", "ports", "shipping", "rail", "trains", "satellites", "launches",
              "telecom", "towers", "mines", "copper", "steel", "housing", "mortgages", "tourism", "hotels",
              "football", "stadium", "players", "drones", "defense", "water", "dams", "wheat", "fisheries"};
  l.connectors = {"the", "of", "and", "in", "to", "for", "with", "on", "is", "are", "has", "will", "that", "as", "by"};
  l.events = {{"delayed", "postponed", "deferred"}, {"recall", "withdrawal"}, {"strike", "walkout"},
              {"fire", "blaze"}, {"merger", "acquisition", "takeover"}, {"lawsuit", "litigation"},
              {"outage", "disruption", "breakdown"}, {"fine", "penalty"}, {"launch", "release", "unveiling"},
              {"layoffs", "redundancies"}, {"investigation", "probe", "inquiry"}, {"flood", "flooding"},
              {"sanctions", "restrictions"}, {"resignation", "departure"}, {"explosion", "blast"},
              {"protest", "demonstration", "rally"}, {"contract", "deal"}, {"shortage", "scarcity"},
              {"hack", "cyberattack", "breach"}, {"ban", "prohibition"}, {"subsidy", "grant"},
              {"crash", "collapse", "plunge"}, {"election", "vote", "ballot"}, {"tariff", "levy"}};
  l.first_names = {"Daniel", "Maria", "Omar", "Lena", "Victor", "Sara", "Jonas", "Priya", "Kenji", "Ana",
                   "Tomas", "Leila", "Grace", "Hugo", "Irene", "Felix"};
  l.syllables = {"ka", "ve", "lor", "tri", "men", "sa", "dor", "qui", "pel", "rax", "no", "zi", "ta", "gor",
                 "bel", "fin", "mar", "tho", "lin", "ras", "ko", "du", "wen", "sel"};
  l.months = {"January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December"};
  l.units = {"million", "billion", "percent", "tons", "people", "kilometers"};
  l.templates = {
      {"{S} reported that {E} faced a {EV0} in {PL} in {M}.", "{E} was hit by a {EV0} in {PL} this {M}, {S} said."},
      {"The {EV0} at {E} in {PL} was confirmed by {P1}, who leads its {T} unit.",
       "{P1}, head of {T} at {E}, confirmed the {EV0} near {PL}."},
      {"{P1} told reporters that the {EV1} would affect {N}.", "As many as {N} could be touched by the {EV1}, {P1} warned."},
      {"According to {S}, the {EV1} involves the {C} {T} line.", "The {C} is at the heart of the {EV1}, {S} wrote."},
      {"{P2} said the {C} was central to the {EV2}.", "Critics led by {P2} tied the {EV2} to the {C}."},
      {"Authorities in {PL} said {N} were linked to the {EV2}.", "{N} in {PL} are connected with the {EV2}, local officials said."},
      {"{E} declined to comment on the {EV0}, but {P2} called it serious.",
       "{P2} described the {EV0} as grave; {E} gave no comment."},
      {"The {EV2} follows weeks of {T} and {T} worries in {PL}.", "Before the {EV2}, {PL} had seen {T} trouble and {T} doubts."},
      {"In {M}, {E} and {P1} discussed the {EV1} over the {C}.", "{P1} met {E} in {M} about the {EV1} and the {C}."}};
  l.outlet_prefix = "the";
  return l;
}

Language Arabic() {
  Language l;
  l.arabic = true;
  l.general = {"السوق", "المسؤولين", "الحكومة", "القطاع", "المحللين", "النمو", "الخطة", "الاستثمار",
               "السياسة", "الاقتصاد", "الطلب", "الأسعار", "التكاليف", "المشروع", "البرنامج", "المنطقة",
               "الدول", "القادة", "النظام", "الخدمات", "التنمية", "المستقبل", "التغيير", "الدعم",
               "الضغوط", "المنافسة", "الاستراتيجية", "القرار", "الاجتماع", "البيان", "النتائج",
               "العملاء", "العمال", "الشبكة", "الإنتاج", "الإمدادات", "الصادرات", "القواعد", "القانون",
               "الجمهور", "الإعلام", "الخبراء", "البحث", "الطاقة", "التجارة", "التمويل", "الشركاء",
               "المخاطر", "الموظفين", "المستثمرين", "الأرباح"};
  l.domain = {"الرقائق", "الخوادم", "البرمجيات", "البطاريات", "السيارات", "المصانع", "الطيران", "الرحلات",
              "المصارف", "القروض", "المحاصيل", "الحصاد", "المستشفيات", "المرضى", "اللقاحات", "المدارس",
              "الطلاب", "النفط", "المصافي", "الأنابيب", "الموانئ", "الشحن", "القطارات", "الأقمار",
              "الاتصالات", "الأبراج", "المناجم", "النحاس", "الصلب", "الإسكان", "السياحة", "الفنادق",
              "الملاعب", "اللاعبين", "الطائرات المسيرة", "الدفاع", "المياه", "السدود", "القمح", "الأسماك"};
  l.connectors = {"في", "من", "على", "إلى", "أن", "مع", "عن", "التي", "الذي", "قد", "كما", "وقال", "وأضاف"};
  l.events = {{"تأجيل", "تأخير", "إرجاء"}, {"سحب", "استدعاء"}, {"إضراب", "توقف"}, {"حريق", "نيران"},
              {"اندماج", "استحواذ"}, {"دعوى", "قضية"}, {"انقطاع", "تعطل", "عطل"}, {"غرامة", "عقوبة"},
              {"إطلاق", "طرح", "كشف"}, {"تسريح", "فصل"}, {"تحقيق", "استجواب"}, {"فيضان", "سيول"},
              {"عقوبات", "قيود"}, {"استقالة", "تنحي"}, {"انفجار", "تفجير"}, {"احتجاج", "مظاهرة", "اعتصام"},
              {"صفقة", "عقد", "اتفاقية"}, {"نقص", "شح"}, {"اختراق", "قرصنة"}, {"حظر", "منع"},
              {"منحة", "إعانة"}, {"انهيار", "هبوط"}, {"انتخابات", "اقتراع", "تصويت"}, {"تعريفة", "جمارك"}};
  l.first_names = {"محمد", "أحمد", "خالد", "سارة", "ليلى", "عمر", "يوسف", "نورة", "فهد", "ريم", "سلمان",
                   "هند", "ماجد", "دانة", "طارق", "منى"};
  l.syllables = {"كا", "فو", "لي", "را", "سن", "تو", "مي", "دا", "نو", "بر", "شا", "زي", "غو", "لا", "قم",
                 "هر", "جو", "طا", "صو", "ني"};
  l.months = {"يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر",
              "نوفمبر", "ديسمبر"};
  l.units = {"مليون", "مليار", "بالمئة", "طن", "شخصا", "كيلومتر"};
  l.templates = {
      {"ذكرت {S} أن {E} واجهت {EV0} في {PL} خلال شهر {M}.", "تعرضت {E} إلى {EV0} في {PL} في {M} بحسب {S}."},
      {"وأكد {P1} مسؤول {T} في {E} وقوع {EV0} في {PL}.", "أعلن {P1} المشرف على {T} لدى {E} حدوث {EV0} قرب {PL}."},
      {"وقال {P1} للصحفيين إن {EV1} سيطال {N}.", "وحذر {P1} من أن {EV1} قد يشمل {N}."},
      {"وبحسب {S} فإن {EV1} يتعلق بمنتج {C} ضمن {T}.", "وأوضحت {S} أن {C} يقع في صلب {EV1}."},
      {"وأشار {P2} إلى أن {C} كان محور {EV2}.", "وربط منتقدون بينهم {P2} بين {EV2} و{C}."},
      {"وأفادت السلطات في {PL} بأن {N} مرتبطون ب{EV2}.", "وقال مسؤولون محليون إن {N} في {PL} لهم صلة ب{EV2}."},
      {"ورفضت {E} التعليق على {EV0} لكن {P2} وصفه بالخطير.", "واعتبر {P2} أن {EV0} بالغ الخطورة فيما لم تعلق {E}."},
      {"ويأتي {EV2} بعد أسابيع من {T} و{T} في {PL}.", "وسبق {EV2} في {PL} قلق بشأن {T} وشكوك حول {T}."},
      {"وفي {M} ناقشت {E} و{P1} مسألة {EV1} المتعلقة ب{C}.", "والتقى {P1} مع {E} في {M} لبحث {EV1} و{C}."}};
  l.outlet_prefix = "صحيفة";
  return l;
}

std::string Capitalize(std::string word) {
  if (!word.empty() && word[0] >= 'a' && word[0] <= 'z') word[0] = static_cast<char>(word[0] - 'a' + 'A');
  return word;
}

std::string MakeName(Random& random, const Language& l, int syllables) {
  std::string name;
  for (int i = 0; i < syllables; ++i) name += PickOf(random, l.syllables);
  return l.arabic ? name : Capitalize(name);
}

// Arabic clitics and article variation that a light stemmer must undo ("and", "the", "by the").
std::string Inflect(Random& random, const Language& l, const std::string& word) {
  if (!l.arabic) return word;
  const std::string article = "ال";
  const bool defined = word.rfind(article, 0) == 0;
  switch (random() % 6) {
    case 0:
      return "و" + word;
    case 1:
      return defined ? "ب" + word : word;
    case 2:
      return defined ? word.substr(article.size()) : word;
    default:
      return word;
  }
}

struct Story {
  int language = 0;
  int topic = 0;
  std::string entity, person1, person2, place, code, number, month, source;
  std::vector<int> events;  // indexes into Language::events
  int day = 0;              // days after 2024-01-01
};

struct Topic {
  std::string entity;
  Words vocabulary;
};

std::string Date(int day) {
  static constexpr std::array<int, 12> kDays = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};  // 2024
  int month = 0;
  while (month < 11 && day >= kDays[static_cast<std::size_t>(month)]) day -= kDays[static_cast<std::size_t>(month++)];
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "2024-%02d-%02d", month + 1, day + 1);
  return buffer;
}

std::string Render(Random& random, const Language& l, const Story& s, const Topic& topic, const std::string& pattern,
                   const std::vector<std::string>& event_words) {
  std::string out;
  for (std::size_t i = 0; i < pattern.size();) {
    if (pattern[i] != '{') {
      out.push_back(pattern[i++]);
      continue;
    }
    const std::size_t end = pattern.find('}', i);
    const std::string slot = pattern.substr(i + 1, end - i - 1);
    i = end + 1;
    if (slot == "S") out += s.source;
    else if (slot == "E") out += s.entity;
    else if (slot == "P1") out += s.person1;
    else if (slot == "P2") out += s.person2;
    else if (slot == "PL") out += s.place;
    else if (slot == "C") out += s.code;
    else if (slot == "N") out += s.number;
    else if (slot == "M") out += s.month;
    else if (slot == "T") out += Inflect(random, l, PickOf(random, topic.vocabulary));
    else if (slot.rfind("EV", 0) == 0) out += Inflect(random, l, event_words[static_cast<std::size_t>(slot[2] - '0')]);
  }
  return out;
}

// A filler sentence: function words, the topic's vocabulary, general news words, and words of this
// report's own commentary (`own`, which no other document uses), like the unshared part of a real
// article.
std::string Filler(Random& random, const Language& l, const Topic& topic, const Words& own) {
  const std::size_t words = 8 + Pick(random, 8);
  std::string out;
  for (std::size_t w = 0; w < words; ++w) {
    if (w > 0) out += ' ';
    const std::uint64_t kind = random() % 20;
    if (kind < 7) out += PickOf(random, l.connectors);
    else if (kind < 9) out += Inflect(random, l, PickOf(random, topic.vocabulary));
    else if (kind < 13) out += Inflect(random, l, PickOf(random, random() % 2 ? l.general : l.domain));
    else out += PickOf(random, own);
  }
  if (!l.arabic) out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
  return out + ".";
}

}  // namespace

std::vector<StoryDocument> MakeStoryCorpus(const StoryCorpusConfig& config) {
  Random random(config.seed);
  const std::array<Language, 2> languages = {English(), Arabic()};
  std::vector<StoryDocument> docs;
  int story_number = 0;
  for (std::size_t li = 0; li < languages.size(); ++li) {
    const Language& l = languages[li];
    for (int t = 0; t < config.topics_per_language; ++t) {
      Topic topic;
      topic.entity = MakeName(random, l, 3);
      std::set<std::string> vocabulary;
      while (vocabulary.size() < 16) vocabulary.insert(PickOf(random, l.domain));
      topic.vocabulary.assign(vocabulary.begin(), vocabulary.end());
      const int topic_day = static_cast<int>(Pick(random, 300));
      for (int st = 0; st < config.stories_per_topic; ++st) {
        Story s;
        s.entity = topic.entity;
        s.person1 = PickOf(random, l.first_names) + " " + MakeName(random, l, 3);
        s.person2 = PickOf(random, l.first_names) + " " + MakeName(random, l, 3);
        s.place = MakeName(random, l, 2) + (l.arabic ? "" : "ville");
        s.code = std::string(1, static_cast<char>('A' + Pick(random, 26))) +
                 std::string(1, static_cast<char>('A' + Pick(random, 26))) + std::to_string(2 + Pick(random, 98));
        s.number = std::to_string(2 + Pick(random, 900)) + " " + PickOf(random, l.units);
        s.month = PickOf(random, l.months);
        s.source = l.arabic ? "«" + l.outlet_prefix + " " + MakeName(random, l, 2) + "»"
                            : l.outlet_prefix + " \"" + MakeName(random, l, 2) + " Times\"";
        std::set<int> events;
        while (events.size() < 3) events.insert(static_cast<int>(Pick(random, l.events.size())));
        s.events.assign(events.begin(), events.end());
        std::shuffle(s.events.begin(), s.events.end(), random);
        s.day = topic_day + static_cast<int>(Pick(random, 40));
        const bool single = std::uniform_real_distribution<double>(0, 1)(random) < config.single_report_fraction;
        const int reports =
            single ? 1 : config.min_reports + static_cast<int>(Pick(random, static_cast<std::size_t>(
                                                                                config.max_reports - config.min_reports + 1)));
        for (int r = 0; r < reports; ++r) {
          // One paraphrase: its own synonym per event, 4-7 of the 9 fact sentences in its own
          // order and phrasing, and 3-6 filler sentences in between.
          std::vector<std::string> event_words;
          for (int e : s.events) event_words.push_back(PickOf(random, l.events[static_cast<std::size_t>(e)]));
          std::vector<std::size_t> order(l.templates.size());
          for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
          std::shuffle(order.begin(), order.end(), random);
          order.resize(4 + Pick(random, 4));
          std::vector<std::string> sentences;
          for (std::size_t index : order) {
            sentences.push_back(Render(random, l, s, topic, l.templates[index][random() % 2], event_words));
          }
          Words own;
          for (int w = 0; w < 40; ++w) own.push_back(MakeName(random, l, 3 + static_cast<int>(random() % 2)));
          if (!l.arabic) {
            for (std::string& word : own) word[0] = static_cast<char>(word[0] - 'A' + 'a');
          }
          const std::size_t fillers = 6 + Pick(random, 5);
          for (std::size_t f = 0; f < fillers; ++f) {
            sentences.insert(sentences.begin() + static_cast<std::ptrdiff_t>(Pick(random, sentences.size() + 1)),
                             Filler(random, l, topic, own));
          }
          StoryDocument doc;
          for (std::size_t i = 0; i < sentences.size(); ++i) doc.text += sentences[i] + (i % 3 == 2 ? "\n" : " ");
          doc.date = Date(std::clamp(s.day + static_cast<int>(Pick(random, 3)), 0, 365));
          doc.story = story_number;
          docs.push_back(std::move(doc));
        }
        ++story_number;
      }
    }
  }
  std::shuffle(docs.begin(), docs.end(), random);
  for (std::size_t i = 0; i < docs.size(); ++i) {
    char id[32];
    std::snprintf(id, sizeof id, "n%04zu", i);
    docs[i].id = id;
  }
  return docs;
}

std::string StoryCorpusJsonl(const std::vector<StoryDocument>& docs) {
  std::string out;
  for (const StoryDocument& doc : docs) {
    out += "{\"id\":";
    AppendJsonString(&out, doc.id);
    out += ",\"text\":";
    AppendJsonString(&out, doc.text);
    out += ",\"date\":";
    AppendJsonString(&out, doc.date);
    out += "}\n";
  }
  return out;
}

std::string StoryGoldJsonl(const std::vector<StoryDocument>& docs) {
  std::string out;
  for (const StoryDocument& doc : docs) {
    out += "{\"id\":";
    AppendJsonString(&out, doc.id);
    out += ",\"cluster\":" + std::to_string(doc.story) + "}\n";
  }
  return out;
}

}  // namespace neardup::testing
