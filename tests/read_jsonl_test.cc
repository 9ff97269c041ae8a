// JsonlParser: a line the DOM parser accepts is read from its DOM plus a scan of the line for the
// raw text of passed-through members; ParseReference reads every member with the on-demand
// parser. The two must give the same Document on every line, valid or not: generated objects
// with every kind of member, and the same lines with bytes deleted, inserted or replaced.
#include "neardup/read_jsonl.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace neardup {
namespace {

std::string Describe(const Document& doc) {
  std::string out = "id=" + doc.id + (doc.id_is_number ? " (number)" : "") + " text=" + doc.text +
                    " extra=" + doc.extra_fields + " time=" + doc.time +
                    " repairs=" + std::to_string(doc.utf8_repairs);
  if (doc.rejected) out += " rejected=" + std::string(RejectReasonName(*doc.rejected)) + ": " + doc.reject_detail;
  return out;
}

Document ParseWith(JsonlParser& parser, std::string_view line, bool reference) {
  Document doc;
  doc.source = Location{"test.jsonl", 7};
  if (reference) {
    parser.ParseReference(line, &doc);
  } else {
    parser.Parse(line, &doc);
  }
  return doc;
}

// A random JSON value; `depth` limits nesting.
std::string RandomValue(std::mt19937_64& random, int depth) {
  static const std::vector<std::string> kStrings = {
      "\"\"", "\"plain\"", "\"quote \\\" inside\"", "\"backslash at end \\\\\"", "\"\\\\\\\"\"",
      "\"brackets } ] { [ , : inside\"", "\"\\u00e9t\\u00C9 \\ud83d\\ude00 \\n\\t\\/\"",
      "\"\xD8\xA7\xD9\x84\xD8\xAE\xD8\xA8\xD8\xB1 \xE6\x96\xB0\xE9\x97\xBB\"", "\"2024-03-12T10:30:00Z\""};
  static const std::vector<std::string> kAtoms = {
      "0", "-0", "42", "-17", "1.5", "-2.25e-3", "6E+10", "18446744073709551615",
      "18446744073709551617", "123456789012345678901234567890", "true", "false", "null"};
  const int kind = static_cast<int>(random() % (depth > 0 ? 5 : 3));
  if (kind == 0) return kStrings[random() % kStrings.size()];
  if (kind == 1 || kind == 2) return kAtoms[random() % kAtoms.size()];
  const std::string space = random() % 3 == 0 ? " \t " : "";
  std::string out;
  const int members = static_cast<int>(random() % 4);
  if (kind == 3) {
    out = "[" + space;
    for (int i = 0; i < members; ++i) out += (i ? "," + space : "") + RandomValue(random, depth - 1) + space;
    return out + "]";
  }
  out = "{" + space;
  for (int i = 0; i < members; ++i) {
    out += (i ? "," + space : "") + kStrings[random() % kStrings.size()] + space + ":" + space +
           RandomValue(random, depth - 1) + space;
  }
  return out + "}";
}

// A random object line with text, id and time members (sometimes repeated, of other types, with
// escaped keys) and passed-through ones.
std::string RandomLine(std::mt19937_64& random) {
  static const std::vector<std::string> kKeys = {
      "\"text\"", "\"id\"", "\"time\"", "\"lang\"", "\"meta\"", "\"te\\u0078t\"", "\"i\\u0064\"",
      "\"\xD8\xB9\xD9\x86\xD9\x88\xD8\xA7\xD9\x86\"", "\"\"", "\"url\""};
  const std::string space = random() % 2 ? " " : "";
  std::string line = random() % 4 == 0 ? " {" : "{";
  const int members = static_cast<int>(random() % 6);
  for (int i = 0; i < members; ++i) {
    if (i) line += "," + space;
    line += kKeys[random() % kKeys.size()] + space + ":" + space + RandomValue(random, 2);
  }
  return line + (random() % 4 == 0 ? "} \r" : "}");
}

std::string Mutate(std::string line, std::mt19937_64& random) {
  static const std::string kBytes = "{}[]\",:\\ 0e-.tnu\x01\xC3\xA9\xFF";
  const int edits = 1 + static_cast<int>(random() % 3);
  for (int e = 0; e < edits && !line.empty(); ++e) {
    const std::size_t at = random() % line.size();
    const char byte = kBytes[random() % kBytes.size()];
    switch (random() % 3) {
      case 0: line.erase(at, 1); break;
      case 1: line.insert(line.begin() + static_cast<std::ptrdiff_t>(at), byte); break;
      default: line[at] = byte; break;
    }
  }
  return line;
}

void ExpectSameAsReference(JsonlParser& parser, const std::string& line) {
  const Document fast = ParseWith(parser, line, false);
  const Document reference = ParseWith(parser, line, true);
  ASSERT_EQ(Describe(fast), Describe(reference)) << "line: " << line;
}

TEST(JsonlParser, HandMadeLinesReadAsTheOnDemandReferenceReadsThem) {
  ReadConfig config;
  config.time_field = "time";
  JsonlParser parser(config);
  const std::vector<std::string> lines = {
      R"({"id":"a","text":"x","lang":"en"})",
      R"(  {"id" : 7 , "text" : "x\"y\\" , "meta" : {"a":[1,{"b":"}]\""}]} , "n" : -1.5e3 } )",
      R"({"text":1,"text":"second text","id":[1,2],"id":"later"})",
      R"({"te\u0078t":"escaped key","time":"2024-01-02","time":5})",
      R"({"id":18446744073709551617,"text":"big","extra":[1,2,3]})",
      R"({"id":{"a":1},"text":"object id"})",
      R"({"text":"\ud800"})",
      R"({"text":"a"} trailing)",
      R"({"text":"a",})",
      "{\"text\":\"\xD8\xB3\xD9\x84\xD8\xA7\xD9\x85 \xFF\",\"k\":\"\xFE\"}",
      R"({})",
      R"([1])",
  };
  for (const std::string& line : lines) ExpectSameAsReference(parser, line);
  // The scan must find each member's end: the passed-through members are exactly as written.
  const Document doc = ParseWith(parser, lines[1], false);
  EXPECT_EQ(doc.id, "7");
  EXPECT_EQ(doc.text, "x\"y\\");
  EXPECT_EQ(doc.extra_fields, R"(,"meta":{"a":[1,{"b":"}]\""}]},"n":-1.5e3)");
  const Document repeated = ParseWith(parser, lines[2], false);
  EXPECT_EQ(repeated.text, "second text");
  EXPECT_EQ(*repeated.rejected, RejectReason::kBadId);
}

TEST(JsonlParser, GeneratedAndMutatedLinesReadAsTheOnDemandReferenceReadsThem) {
  ReadConfig config;
  config.time_field = "time";
  JsonlParser parser(config);
  std::mt19937_64 random(20261207);
  int accepted = 0;   // kept, or rejected for a reason other than malformed JSON
  int malformed = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string line = RandomLine(random);
    if (i % 2 == 1) line = Mutate(line, random);
    ExpectSameAsReference(parser, line);
    const Document doc = ParseWith(parser, line, false);
    if (doc.rejected == RejectReason::kMalformedJson) {
      ++malformed;
    } else {
      ++accepted;
    }
  }
  // Both kinds of line were exercised in numbers.
  EXPECT_GT(accepted, 5000);
  EXPECT_GT(malformed, 5000);
}

}  // namespace
}  // namespace neardup
