#include "neardup/report_html.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include <simdjson.h>

#include "neardup/error.h"
#include "neardup/hash.h"
#include "neardup/normalize.h"
#include "neardup/read_compressed.h"
#include "neardup/read_inputs.h"
#include "neardup/write_atomic.h"
#include "neardup/write_jsonl.h"

namespace neardup {
namespace {

namespace fs = std::filesystem;

// ---------------------------------------------------------------------------------------------
// What the report reads from OUTDIR.

struct DecisionRow {
  std::string id;
  std::string source;
  std::string decision;  // kept | duplicate | rejected
  std::int64_t cluster = -1;
  std::optional<double> similarity;
  std::string reason;
  std::string detail;
  std::vector<RemovedSpan> removed;
};

struct ClusterInfo {
  std::string representative;
  double min_similarity = 0;
  bool has_shared_terms = false;
  std::vector<std::string> shared_terms;
};

struct StageRow {
  std::string name;
  double seconds = 0;
  double mb_per_s = 0;
  std::uint64_t bytes = 0;
  std::uint64_t items = 0;
};

struct RunSummary {
  std::vector<std::pair<std::string, std::string>> counts;  // in report.json order
  std::vector<std::pair<std::string, std::string>> rejected_by_reason;
  std::vector<std::pair<std::string, std::string>> removed_lines_by_reason;
  std::vector<std::pair<std::string, std::string>> parameters;
  std::vector<std::pair<std::string, std::string>> input_stats;
  std::vector<std::string> input_paths;
  std::string text_field = "text";
  std::string id_field = "id";
  std::vector<StageRow> stages;
  std::optional<double> total_seconds;
  std::uint64_t read = 0;
  std::uint64_t input_bytes = 0;
  std::string shingle = "word";
  int ngram = 5;
};

std::string ReadFile(const std::string& path) {
  if (!fs::exists(path)) {
    throw Error(Location{path, 0}, "missing; is the folder an output folder of `neardup dedup`?");
  }
  auto source = OpenByteSource(path);
  return ReadAll(*source);
}

// The JSON text of a scalar element as shown to a person: strings without quotes.
std::string ScalarText(simdjson::dom::element value) {
  std::string_view text;
  if (value.get_string().get(text) == simdjson::SUCCESS) return std::string(text);
  return simdjson::minify(value);
}

std::vector<std::pair<std::string, std::string>> ObjectMembers(simdjson::dom::element value) {
  std::vector<std::pair<std::string, std::string>> members;
  simdjson::dom::object object;
  if (value.get_object().get(object) != simdjson::SUCCESS) return members;
  for (auto [key, member] : object) members.emplace_back(std::string(key), ScalarText(member));
  return members;
}

double NumberOr(simdjson::dom::element value, double fallback) {
  double number = 0;
  if (value.get_double().get(number) == simdjson::SUCCESS) return number;
  return fallback;
}

RunSummary ParseReportJson(const std::string& path) {
  const std::string text = ReadFile(path);
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (auto error = parser.parse(text.data(), text.size()).get(root); error != simdjson::SUCCESS) {
    throw Error(Location{path, 0},
                std::string("malformed JSON: ") + simdjson::error_message(error));
  }
  simdjson::dom::object object;
  if (root.get_object().get(object) != simdjson::SUCCESS)
    throw Error(Location{path, 0}, "not a JSON object");
  RunSummary summary;
  simdjson::dom::element member;
  if (object["counts"].get(member) == simdjson::SUCCESS) {
    summary.counts = ObjectMembers(member);
    simdjson::dom::element read;
    if (member["read"].get(read) == simdjson::SUCCESS)
      summary.read = static_cast<std::uint64_t>(NumberOr(read, 0));
  }
  if (object["rejected_by_reason"].get(member) == simdjson::SUCCESS) {
    summary.rejected_by_reason = ObjectMembers(member);
  }
  if (object["removed_lines_by_reason"].get(member) == simdjson::SUCCESS) {
    summary.removed_lines_by_reason = ObjectMembers(member);
  }
  if (object["parameters"].get(member) == simdjson::SUCCESS) {
    summary.parameters = ObjectMembers(member);
    for (const auto& [key, value] : summary.parameters) {
      if (key == "shingle") summary.shingle = value;
      if (key == "ngram") {
        int ngram = 0;
        auto result = std::from_chars(value.data(), value.data() + value.size(), ngram);
        if (result.ec == std::errc() && ngram >= 1 && ngram <= 64) summary.ngram = ngram;
      }
    }
  }
  if (object["input"].get(member) == simdjson::SUCCESS) {
    simdjson::dom::object input;
    if (member.get_object().get(input) == simdjson::SUCCESS) {
      for (auto [key, value] : input) {
        if (key == "paths") {
          simdjson::dom::array paths;
          if (value.get_array().get(paths) == simdjson::SUCCESS) {
            for (simdjson::dom::element input_path : paths)
              summary.input_paths.push_back(ScalarText(input_path));
          }
        } else if (key == "text_field") {
          summary.text_field = ScalarText(value);
        } else if (key == "id_field") {
          summary.id_field = ScalarText(value);
        } else {
          if (key == "bytes") summary.input_bytes = static_cast<std::uint64_t>(NumberOr(value, 0));
          summary.input_stats.emplace_back(std::string(key), ScalarText(value));
        }
      }
    }
  }
  if (object["stages"].get(member) == simdjson::SUCCESS) {
    simdjson::dom::array stages;
    if (member.get_array().get(stages) == simdjson::SUCCESS) {
      for (simdjson::dom::element stage : stages) {
        StageRow row;
        simdjson::dom::element field;
        if (stage["stage"].get(field) == simdjson::SUCCESS) row.name = ScalarText(field);
        if (stage["seconds"].get(field) == simdjson::SUCCESS) row.seconds = NumberOr(field, 0);
        if (stage["mb_per_s"].get(field) == simdjson::SUCCESS) row.mb_per_s = NumberOr(field, 0);
        if (stage["bytes"].get(field) == simdjson::SUCCESS)
          row.bytes = static_cast<std::uint64_t>(NumberOr(field, 0));
        if (stage["items"].get(field) == simdjson::SUCCESS)
          row.items = static_cast<std::uint64_t>(NumberOr(field, 0));
        summary.stages.push_back(std::move(row));
      }
    }
  }
  if (object["total_seconds"].get(member) == simdjson::SUCCESS)
    summary.total_seconds = NumberOr(member, 0);
  for (const char* key : {"threads", "peak_rss_bytes"}) {
    if (object[key].get(member) == simdjson::SUCCESS)
      summary.input_stats.emplace_back(key, ScalarText(member));
  }
  return summary;
}

// Calls `each(line_number, line)` for every non-blank line of a JSON Lines file.
template <typename Each>
void ForEachJsonLine(const std::string& text, Each each) {
  std::size_t begin = 0;
  std::uint64_t line_number = 0;
  while (begin < text.size()) {
    std::size_t end = text.find('\n', begin);
    if (end == std::string::npos) end = text.size();
    ++line_number;
    std::string_view line(text.data() + begin, end - begin);
    if (line.find_first_not_of(" \t\r") != std::string_view::npos) each(line_number, line);
    begin = end + 1;
  }
}

// The id's exact text: strings as they are, integers with all their digits. Our writers put the
// id first (`{"id":...`), so an integer too large for 64 bits is taken from the raw line.
std::string IdText(simdjson::dom::element value, std::string_view line) {
  std::string_view text;
  if (value.get_string().get(text) == simdjson::SUCCESS) return std::string(text);
  constexpr std::string_view kPrefix = "{\"id\":";
  if (line.substr(0, kPrefix.size()) == kPrefix) {
    std::string_view raw = line.substr(kPrefix.size());
    std::size_t end = 0;
    while (end < raw.size() && (raw[end] == '-' || (raw[end] >= '0' && raw[end] <= '9'))) ++end;
    if (end > 0) return std::string(raw.substr(0, end));
  }
  std::int64_t signed_id = 0;
  if (value.get_int64().get(signed_id) == simdjson::SUCCESS) return std::to_string(signed_id);
  std::uint64_t unsigned_id = 0;
  if (value.get_uint64().get(unsigned_id) == simdjson::SUCCESS) return std::to_string(unsigned_id);
  return simdjson::minify(value);
}

std::vector<DecisionRow> ParseDecisions(const std::string& path) {
  const std::string text = ReadFile(path);
  std::vector<DecisionRow> rows;
  simdjson::dom::parser parser;
  ForEachJsonLine(text, [&](std::uint64_t line_number, std::string_view line) {
    simdjson::dom::element root;
    if (auto error = parser.parse(line.data(), line.size()).get(root); error != simdjson::SUCCESS) {
      throw Error(Location{path, line_number},
                  std::string("malformed JSON: ") + simdjson::error_message(error));
    }
    DecisionRow row;
    simdjson::dom::element field;
    if (root["id"].get(field) != simdjson::SUCCESS)
      throw Error(Location{path, line_number}, "no \"id\"");
    row.id = IdText(field, line);
    if (root["source"].get(field) == simdjson::SUCCESS) row.source = ScalarText(field);
    if (root["decision"].get(field) == simdjson::SUCCESS) row.decision = ScalarText(field);
    std::int64_t cluster = 0;
    if (root["cluster"].get(field) == simdjson::SUCCESS &&
        field.get_int64().get(cluster) == simdjson::SUCCESS) {
      row.cluster = cluster;
    }
    double similarity = 0;
    if (root["similarity"].get(field) == simdjson::SUCCESS &&
        field.get_double().get(similarity) == simdjson::SUCCESS) {
      row.similarity = similarity;
    }
    if (root["reason"].get(field) == simdjson::SUCCESS && !field.is_null())
      row.reason = ScalarText(field);
    if (root["detail"].get(field) == simdjson::SUCCESS && !field.is_null())
      row.detail = ScalarText(field);
    simdjson::dom::array removed;
    if (root["removed"].get(field) == simdjson::SUCCESS &&
        field.get_array().get(removed) == simdjson::SUCCESS) {
      for (simdjson::dom::element span : removed) {
        RemovedSpan removed_span;
        std::uint64_t first = 0;
        std::uint64_t last = 0;
        if (span["first_line"].get_uint64().get(first) != simdjson::SUCCESS ||
            span["last_line"].get_uint64().get(last) != simdjson::SUCCESS || first == 0 ||
            last < first || last > UINT32_MAX) {
          throw Error(Location{path, line_number},
                      "a \"removed\" span without valid first_line/last_line");
        }
        removed_span.first_line = static_cast<std::uint32_t>(first);
        removed_span.last_line = static_cast<std::uint32_t>(last);
        if (span["reason"].get(field) == simdjson::SUCCESS) removed_span.reason = ScalarText(field);
        row.removed.push_back(std::move(removed_span));
      }
    }
    std::sort(
        row.removed.begin(), row.removed.end(),
        [](const RemovedSpan& a, const RemovedSpan& b) { return a.first_line < b.first_line; });
    rows.push_back(std::move(row));
  });
  return rows;
}

std::map<std::int64_t, ClusterInfo> ParseClusters(const std::string& path) {
  const std::string text = ReadFile(path);
  std::map<std::int64_t, ClusterInfo> clusters;
  simdjson::dom::parser parser;
  ForEachJsonLine(text, [&](std::uint64_t line_number, std::string_view line) {
    simdjson::dom::element root;
    if (auto error = parser.parse(line.data(), line.size()).get(root); error != simdjson::SUCCESS) {
      throw Error(Location{path, line_number},
                  std::string("malformed JSON: ") + simdjson::error_message(error));
    }
    std::int64_t number = 0;
    if (root["cluster"].get_int64().get(number) != simdjson::SUCCESS) {
      throw Error(Location{path, line_number}, "no integer \"cluster\"");
    }
    ClusterInfo info;
    simdjson::dom::element field;
    if (root["representative"].get(field) == simdjson::SUCCESS)
      info.representative = IdText(field, {});
    if (root["min_similarity"].get(field) == simdjson::SUCCESS)
      info.min_similarity = NumberOr(field, 0);
    simdjson::dom::array terms;
    if (root["shared_terms"].get(field) == simdjson::SUCCESS &&
        field.get_array().get(terms) == simdjson::SUCCESS) {
      info.has_shared_terms = true;
      for (simdjson::dom::element term : terms) info.shared_terms.push_back(ScalarText(term));
    }
    clusters[number] = std::move(info);
  });
  return clusters;
}

// id -> cleaned text, for the listed ids only (used when an original is not available).
std::unordered_map<std::string, std::string> ParseCleaned(
    const std::string& path, const std::unordered_set<std::string>& wanted) {
  std::unordered_map<std::string, std::string> texts;
  if (wanted.empty() || !fs::exists(path)) return texts;
  const std::string text = ReadFile(path);
  simdjson::dom::parser parser;
  ForEachJsonLine(text, [&](std::uint64_t line_number, std::string_view line) {
    simdjson::dom::element root;
    if (auto error = parser.parse(line.data(), line.size()).get(root); error != simdjson::SUCCESS) {
      throw Error(Location{path, line_number},
                  std::string("malformed JSON: ") + simdjson::error_message(error));
    }
    simdjson::dom::element field;
    if (root["id"].get(field) != simdjson::SUCCESS) return;
    std::string id = IdText(field, line);
    if (wanted.count(id) == 0) return;
    std::string_view cleaned;
    if (root["text"].get_string().get(cleaned) == simdjson::SUCCESS)
      texts[id] = std::string(cleaned);
  });
  return texts;
}

// ---------------------------------------------------------------------------------------------
// Text helpers.

void AppendEscaped(std::string* out, std::string_view text) {
  for (char c : text) {
    switch (c) {
      case '&':
        out->append("&amp;");
        break;
      case '<':
        out->append("&lt;");
        break;
      case '>':
        out->append("&gt;");
        break;
      case '"':
        out->append("&quot;");
        break;
      case '\'':
        out->append("&#39;");
        break;
      default:
        out->push_back(c);
    }
  }
}

// Decodes one code point of valid UTF-8 at text[*i] and advances *i.
char32_t NextCodePoint(std::string_view text, std::size_t* i) {
  const auto lead = static_cast<unsigned char>(text[*i]);
  int length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
  if (*i + static_cast<std::size_t>(length) > text.size()) length = 1;
  char32_t code_point = length == 1   ? lead
                        : length == 2 ? (lead & 0x1F)
                        : length == 3 ? (lead & 0x0F)
                                      : (lead & 0x07);
  for (int k = 1; k < length; ++k)
    code_point = (code_point << 6) | (static_cast<unsigned char>(text[*i + k]) & 0x3F);
  *i += static_cast<std::size_t>(length);
  return code_point;
}

// Bidi class of a code point, reduced to what rule P2 needs: 'R' (R or AL), 'L', or 0 (neither).
// Ranges from the Unicode Character Database's default Bidi_Class values; digits, punctuation,
// symbols and marks are not strong.
char StrongClass(char32_t c) {
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) return 'L';
  if (c < 0xC0 || c == 0xD7 || c == 0xF7) return 0;
  if ((c >= 0x0660 && c <= 0x0669) || (c >= 0x06F0 && c <= 0x06F9)) return 0;  // Arabic digits
  if ((c >= 0x064B && c <= 0x065F) || c == 0x0670 || (c >= 0x06D6 && c <= 0x06ED))
    return 0;  // marks
  if ((c >= 0x0590 && c <= 0x08FF) || (c >= 0xFB1D && c <= 0xFDFF) ||
      (c >= 0xFE70 && c <= 0xFEFF) || (c >= 0x10800 && c <= 0x10FFF) ||
      (c >= 0x1E800 && c <= 0x1EFFF)) {
    return 'R';
  }
  if ((c >= 0x0300 && c <= 0x036F) || (c >= 0x2000 && c <= 0x2BFF) ||
      (c >= 0x3000 && c <= 0x303F) || (c >= 0xFE00 && c <= 0xFE6F) ||
      (c >= 0xFF00 && c <= 0xFF20) || (c >= 0xFFF0 && c <= 0xFFFF)) {
    return 0;
  }
  return 'L';
}

// Lines of a text; "\r\n", "\r" and "\n" each end a line (as the clean stage counts them).
std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t begin = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\n' && text[i] != '\r') continue;
    lines.push_back(text.substr(begin, i - begin));
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
    begin = i + 1;
  }
  if (begin < text.size()) lines.push_back(text.substr(begin));
  return lines;
}

bool IsBlankLine(std::string_view line) {
  return line.find_first_not_of(" \t\f\v") == std::string_view::npos;
}

// The longest prefix of at most `bytes` bytes that ends on a code point boundary.
std::string_view Utf8Prefix(std::string_view text, std::size_t bytes) {
  if (text.size() <= bytes) return text;
  std::size_t end = bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

std::string FormatNumber(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%.*f", decimals, value);
  return buffer;
}

std::string FormatBytes(std::uint64_t bytes) {
  if (bytes >= (1ull << 20)) return FormatNumber(static_cast<double>(bytes) / (1 << 20), 1) + " MB";
  if (bytes >= (1ull << 10)) return FormatNumber(static_cast<double>(bytes) / (1 << 10), 1) + " KB";
  return std::to_string(bytes) + " B";
}

// JSON for a <script type="application/json"> block: '<', '>' and '&' only ever occur inside
// strings there, and as \u escapes they cannot end the block (`</script>`) or open a comment.
void AppendScriptSafeJson(std::string* out, std::string_view json) {
  for (char c : json) {
    switch (c) {
      case '<':
        out->append("\\u003c");
        break;
      case '>':
        out->append("\\u003e");
        break;
      case '&':
        out->append("\\u0026");
        break;
      default:
        out->push_back(c);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The page model: clusters of documents, each text cut into blocks of lines, each line into
// segments that alternate plain and highlighted (even index plain, odd index highlighted).

using Line = std::vector<std::string>;

struct Block {
  std::uint32_t first_line = 0;
  std::uint32_t last_line = 0;
  std::string removed_reason;  // empty: kept text
  bool removed = false;
  std::vector<Line> lines;
};

struct DocView {
  const DecisionRow* row = nullptr;
  bool representative = false;
  std::string title;
  std::string dir = "auto";
  std::vector<std::string> notes;
  std::vector<Block> blocks;
};

struct ClusterView {
  std::int64_t number = 0;
  double min_similarity = 0;
  bool has_shared_terms = false;
  std::vector<std::string> shared_terms;
  std::string highlight;  // what <mark> means in this cluster
  std::vector<DocView> docs;
  std::vector<const DecisionRow*> more;  // members not shown side by side
  std::size_t more_total = 0;
  std::size_t size = 0;
};

// A document's display text split into lines and words, with each word's normalized tokens.
struct WordedText {
  struct Word {
    std::uint32_t line = 0;
    std::string_view text;
    std::size_t first_token = 0;
    std::size_t token_count = 0;
  };
  std::vector<std::string_view> lines;
  std::vector<bool> line_removed;
  std::vector<Word> words;
  std::vector<std::string> tokens;      // of kept lines only, in order
  std::vector<std::size_t> token_word;  // word of each token
  std::vector<bool> marked_words;
};

bool IsSpaceAt(std::string_view text, std::size_t i, std::size_t* length) {
  const auto c = static_cast<unsigned char>(text[i]);
  if (c == ' ' || c == '\t' || c == '\f' || c == '\v') {
    *length = 1;
    return true;
  }
  if (c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0xA0) {
    *length = 2;
    return true;
  }
  return false;
}

WordedText SplitWords(std::string_view text, const std::vector<RemovedSpan>& removed,
                      Tokenizer* tokenizer) {
  WordedText worded;
  worded.lines = SplitLines(text);
  worded.line_removed.assign(worded.lines.size(), false);
  for (const RemovedSpan& span : removed) {
    for (std::uint32_t line = span.first_line;
         line <= span.last_line && line <= worded.lines.size(); ++line) {
      worded.line_removed[line - 1] = true;
    }
  }
  for (std::uint32_t line = 0; line < worded.lines.size(); ++line) {
    std::string_view text_line = worded.lines[line];
    std::size_t i = 0;
    while (i < text_line.size()) {
      std::size_t space = 0;
      if (IsSpaceAt(text_line, i, &space)) {
        i += space;
        continue;
      }
      std::size_t end = i;
      while (end < text_line.size() && !IsSpaceAt(text_line, end, &space)) ++end;
      WordedText::Word word;
      word.line = line;
      word.text = text_line.substr(i, end - i);
      word.first_token = worded.tokens.size();
      if (!worded.line_removed[line]) {
        for (std::string_view token : tokenizer->Tokenize(word.text)) {
          worded.tokens.emplace_back(token);
          worded.token_word.push_back(worded.words.size());
        }
      }
      word.token_count = worded.tokens.size() - word.first_token;
      worded.words.push_back(word);
      i = end;
    }
  }
  worded.marked_words.assign(worded.words.size(), false);
  return worded;
}

// Hash of the n tokens starting at `begin`.
std::uint64_t NgramHash(const std::vector<std::string>& tokens, std::size_t begin, int n) {
  std::uint64_t hash = kShingleSeed;
  for (int k = 0; k < n; ++k) {
    const std::string& token = tokens[begin + static_cast<std::size_t>(k)];
    hash = Hash64(token.data(), token.size(), hash);
  }
  return hash;
}

std::unordered_set<std::uint64_t> NgramSet(const WordedText& worded, int n) {
  std::unordered_set<std::uint64_t> set;
  const std::size_t count = worded.tokens.size();
  for (std::size_t i = 0; i + static_cast<std::size_t>(n) <= count; ++i)
    set.insert(NgramHash(worded.tokens, i, n));
  return set;
}

void MarkSharedNgrams(WordedText* worded,
                      const std::vector<const std::unordered_set<std::uint64_t>*>& others, int n) {
  const std::size_t count = worded->tokens.size();
  for (std::size_t i = 0; i + static_cast<std::size_t>(n) <= count; ++i) {
    const std::uint64_t hash = NgramHash(worded->tokens, i, n);
    const bool shared = std::any_of(
        others.begin(), others.end(),
        [&](const std::unordered_set<std::uint64_t>* set) { return set->count(hash) > 0; });
    if (!shared) continue;
    for (int k = 0; k < n; ++k)
      worded->marked_words[worded->token_word[i + static_cast<std::size_t>(k)]] = true;
  }
}

// A term of one token matches a token equal to it or, when it is at least 6 bytes (three Arabic
// letters), a token containing it (terms may be stems; Arabic clitics attach before and after).
// A term of several tokens matches that exact token sequence.
void MarkTerms(WordedText* worded, const std::vector<std::vector<std::string>>& terms) {
  const std::vector<std::string>& tokens = worded->tokens;
  for (const std::vector<std::string>& term : terms) {
    if (term.empty()) continue;
    for (std::size_t i = 0; i + term.size() <= tokens.size(); ++i) {
      bool match = true;
      if (term.size() == 1) {
        match = tokens[i] == term[0] ||
                (term[0].size() >= 6 && tokens[i].find(term[0]) != std::string::npos);
      } else {
        for (std::size_t k = 0; k < term.size() && match; ++k) match = tokens[i + k] == term[k];
      }
      if (!match) continue;
      for (std::size_t k = 0; k < term.size(); ++k)
        worded->marked_words[worded->token_word[i + k]] = true;
    }
  }
}

// Builds a line's segments from its words; spaces between two marked words stay marked.
Line LineSegments(const WordedText& worded, std::uint32_t line, std::size_t* next_word,
                  std::string_view shown) {
  Line segments(1);
  std::string_view text = worded.lines[line];
  std::size_t position = 0;
  const char* base = text.data();
  while (*next_word < worded.words.size() && worded.words[*next_word].line == line) {
    const WordedText::Word& word = worded.words[*next_word];
    const std::size_t begin = static_cast<std::size_t>(word.text.data() - base);
    const std::size_t end = begin + word.text.size();
    ++*next_word;
    if (begin >= shown.size()) continue;
    const bool marked = worded.marked_words[*next_word - 1];
    const bool in_mark = segments.size() % 2 == 0;
    const std::string_view gap = shown.substr(position, begin - position);
    if (marked && in_mark) {
      segments.back().append(gap);
    } else if (marked) {
      segments.back().append(gap);
      segments.emplace_back();
    } else if (in_mark) {
      segments.emplace_back(gap);
    } else {
      segments.back().append(gap);
    }
    segments.back().append(shown.substr(begin, std::min(end, shown.size()) - begin));
    position = std::min(end, shown.size());
  }
  if (segments.size() % 2 == 0) segments.emplace_back();
  segments.back().append(shown.substr(std::min(position, shown.size())));
  while (segments.size() > 1 && segments.back().empty()) segments.pop_back();
  if (segments.size() == 1 && segments[0].empty()) segments.clear();
  return segments;
}

std::string Title(const WordedText& worded) {
  for (int pass = 0; pass < 2; ++pass) {
    for (std::size_t line = 0; line < worded.lines.size(); ++line) {
      if (IsBlankLine(worded.lines[line]) || (pass == 0 && worded.line_removed[line])) continue;
      std::string_view title = worded.lines[line];
      const std::size_t begin = title.find_first_not_of(" \t");
      title = title.substr(begin);
      std::string shown(Utf8Prefix(title, 200));
      if (shown.size() < title.size()) shown.append("…");
      return shown;
    }
  }
  return "(no text)";
}

// Cuts the text of `view` into blocks of kept and removed lines, within a byte budget.
void BuildBlocks(const WordedText& worded, const std::vector<RemovedSpan>& removed,
                 std::size_t budget, DocView* view) {
  std::vector<const RemovedSpan*> span_of_line(worded.lines.size(), nullptr);
  for (const RemovedSpan& span : removed) {
    for (std::uint32_t line = span.first_line;
         line <= span.last_line && line <= worded.lines.size(); ++line) {
      span_of_line[line - 1] = &span;
    }
  }
  std::size_t used = 0;
  std::size_t next_word = 0;
  const RemovedSpan* previous = nullptr;
  for (std::uint32_t line = 0; line < worded.lines.size(); ++line) {
    const RemovedSpan* span = span_of_line[line];
    std::string_view shown = worded.lines[line];
    const bool cut = used + shown.size() > budget;
    if (cut) shown = Utf8Prefix(shown, budget - used);
    used += shown.size();
    if (view->blocks.empty() || span != previous) {
      Block block;
      block.first_line = line + 1;
      block.removed = span != nullptr;
      if (span != nullptr) block.removed_reason = span->reason;
      view->blocks.push_back(std::move(block));
    }
    previous = span;
    view->blocks.back().last_line = line + 1;
    view->blocks.back().lines.push_back(LineSegments(worded, line, &next_word, shown));
    if (cut) {
      view->notes.push_back(
          "Text cut after " + FormatBytes(budget) + " (in line " + std::to_string(line + 1) +
          " of " + std::to_string(worded.lines.size()) + "); the full text is in the input.");
      break;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Rendering, static HTML (mirrored by the page's script, kScript, for pages after the first).

void AppendLineHtml(std::string* out, const Line& line, std::uint32_t line_number) {
  out->append(line.empty() ? "<div class=\"line blank\" dir=\"auto\" data-line=\""
                           : "<div class=\"line\" dir=\"auto\" data-line=\"");
  out->append(std::to_string(line_number));
  out->append("\">");
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (i % 2 == 1) out->append("<mark>");
    AppendEscaped(out, line[i]);
    if (i % 2 == 1) out->append("</mark>");
  }
  out->append("</div>");
}

std::string LinesLabel(std::uint32_t first, std::uint32_t last) {
  return first == last ? "line " + std::to_string(first)
                       : "lines " + std::to_string(first) + "–" + std::to_string(last);
}

std::string SimilarityText(const DocView& doc) {
  if (doc.representative) return "representative";
  if (!doc.row->similarity) return "similarity n/a";
  return "similarity " + FormatNumber(*doc.row->similarity, 3);
}

void AppendDocHtml(std::string* out, const DocView& doc) {
  out->append("<article class=\"doc");
  out->append(doc.representative ? " rep" : " dup");
  out->append("\" dir=\"");
  out->append(doc.dir);
  out->append("\" data-id=\"");
  AppendEscaped(out, doc.row->id);
  out->append("\"><header><h3 class=\"title\" dir=\"auto\">");
  AppendEscaped(out, doc.title);
  out->append("</h3><div class=\"meta\" dir=\"ltr\"><code class=\"id\">");
  AppendEscaped(out, doc.row->id);
  out->append("</code> <span class=\"badge ");
  out->append(doc.representative ? "rep\">" : "sim\">");
  out->append(SimilarityText(doc));
  out->append("</span>");
  if (!doc.representative && doc.row->similarity) {
    out->append("<span class=\"bar\"><span style=\"width:");
    out->append(FormatNumber(std::clamp(*doc.row->similarity, 0.0, 1.0) * 100, 1));
    out->append("%\"></span></span>");
  }
  out->append(" <span class=\"dec\">");
  AppendEscaped(out, doc.row->decision);
  out->append("</span> <span class=\"src\">");
  AppendEscaped(out, doc.row->source);
  out->append("</span></div></header>");
  for (const std::string& note : doc.notes) {
    out->append("<p class=\"note\" dir=\"ltr\">");
    AppendEscaped(out, note);
    out->append("</p>");
  }
  out->append("<div class=\"text\">");
  for (const Block& block : doc.blocks) {
    if (block.removed) {
      out->append("<del class=\"removed\" data-reason=\"");
      AppendEscaped(out, block.removed_reason);
      out->append("\" data-first=\"" + std::to_string(block.first_line) + "\" data-last=\"" +
                  std::to_string(block.last_line) +
                  "\"><span class=\"reason\" dir=\"ltr\">removed: ");
      AppendEscaped(out, block.removed_reason);
      out->append(" · " + LinesLabel(block.first_line, block.last_line) + "</span>");
    }
    for (std::size_t i = 0; i < block.lines.size(); ++i) {
      AppendLineHtml(out, block.lines[i], block.first_line + static_cast<std::uint32_t>(i));
    }
    if (block.removed) out->append("</del>");
  }
  out->append("</div></article>");
}

std::string ClusterSubtitle(const ClusterView& cluster) {
  return std::to_string(cluster.size) + " documents · min similarity " +
         FormatNumber(cluster.min_similarity, 3);
}

void AppendClusterHtml(std::string* out, const ClusterView& cluster) {
  const std::string number = std::to_string(cluster.number);
  out->append("<section class=\"cluster\" id=\"cluster-" + number + "\" data-cluster=\"" + number +
              "\"><h2>Cluster " + number + " <span class=\"sub\">" + ClusterSubtitle(cluster) +
              "</span></h2>");
  out->append("<div class=\"terms\"><span class=\"label\">");
  AppendEscaped(out, cluster.highlight);
  out->append("</span>");
  for (const std::string& term : cluster.shared_terms) {
    out->append(" <span class=\"term\" dir=\"auto\">");
    AppendEscaped(out, term);
    out->append("</span>");
  }
  out->append("</div><div class=\"docs\">");
  for (const DocView& doc : cluster.docs) AppendDocHtml(out, doc);
  out->append("</div>");
  if (cluster.more_total > 0) {
    out->append("<details class=\"more\"><summary>" + std::to_string(cluster.more_total) +
                " more members</summary><ul>");
    for (const DecisionRow* row : cluster.more) {
      out->append("<li><code>");
      AppendEscaped(out, row->id);
      out->append("</code> ");
      out->append(row->similarity ? FormatNumber(*row->similarity, 3) : "");
      out->append("</li>");
    }
    if (cluster.more.size() < cluster.more_total) {
      out->append("<li>… and " + std::to_string(cluster.more_total - cluster.more.size()) +
                  " more (see decisions.jsonl)</li>");
    }
    out->append("</ul></details>");
  }
  out->append("</section>");
}

// ---------------------------------------------------------------------------------------------
// The embedded JSON the script renders from (same model as the static HTML).

void AppendLineJson(std::string* out, const Line& line) {
  out->push_back('[');
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (i > 0) out->push_back(',');
    AppendJsonString(out, line[i]);
  }
  out->push_back(']');
}

// Notes repeat across thousands of documents, so the data holds each once and documents index them.
void AppendClusterJson(std::string* out, const ClusterView& cluster,
                       std::map<std::string, std::size_t>* note_ids) {
  out->append("{\"n\":");
  AppendJsonNumber(out, static_cast<std::uint64_t>(cluster.number));
  out->append(",\"size\":");
  AppendJsonNumber(out, static_cast<std::uint64_t>(cluster.size));
  out->append(",\"min\":");
  AppendJsonSimilarity(out, cluster.min_similarity);
  out->append(",\"hl\":");
  AppendJsonString(out, cluster.highlight);
  out->append(",\"terms\":[");
  for (std::size_t i = 0; i < cluster.shared_terms.size(); ++i) {
    if (i > 0) out->push_back(',');
    AppendJsonString(out, cluster.shared_terms[i]);
  }
  out->append("],\"docs\":[");
  for (std::size_t d = 0; d < cluster.docs.size(); ++d) {
    const DocView& doc = cluster.docs[d];
    if (d > 0) out->push_back(',');
    out->append("{\"id\":");
    AppendJsonString(out, doc.row->id);
    out->append(doc.representative ? ",\"rep\":true" : ",\"rep\":false");
    out->append(",\"sim\":");
    if (doc.row->similarity) {
      AppendJsonSimilarity(out, *doc.row->similarity);
    } else {
      out->append("null");
    }
    out->append(",\"dec\":");
    AppendJsonString(out, doc.row->decision);
    out->append(",\"src\":");
    AppendJsonString(out, doc.row->source);
    out->append(",\"title\":");
    AppendJsonString(out, doc.title);
    out->append(",\"dir\":");
    AppendJsonString(out, doc.dir);
    out->append(",\"notes\":[");
    for (std::size_t i = 0; i < doc.notes.size(); ++i) {
      if (i > 0) out->push_back(',');
      const std::size_t id = note_ids->emplace(doc.notes[i], note_ids->size()).first->second;
      AppendJsonNumber(out, static_cast<std::uint64_t>(id));
    }
    out->append("],\"b\":[");
    for (std::size_t b = 0; b < doc.blocks.size(); ++b) {
      const Block& block = doc.blocks[b];
      if (b > 0) out->push_back(',');
      out->append("{\"a\":");
      AppendJsonNumber(out, std::uint64_t{block.first_line});
      if (block.removed) {
        out->append(",\"r\":");
        AppendJsonString(out, block.removed_reason);
      }
      out->append(",\"l\":[");
      for (std::size_t i = 0; i < block.lines.size(); ++i) {
        if (i > 0) out->push_back(',');
        AppendLineJson(out, block.lines[i]);
      }
      out->append("]}");
    }
    out->append("]}");
  }
  out->append("],\"more\":[");
  for (std::size_t i = 0; i < cluster.more.size(); ++i) {
    if (i > 0) out->push_back(',');
    out->push_back('[');
    AppendJsonString(out, cluster.more[i]->id);
    out->push_back(',');
    if (cluster.more[i]->similarity) {
      AppendJsonSimilarity(out, *cluster.more[i]->similarity);
    } else {
      out->append("null");
    }
    out->push_back(']');
  }
  out->append("],\"more_total\":");
  AppendJsonNumber(out, static_cast<std::uint64_t>(cluster.more_total));
  out->push_back('}');
}

// ---------------------------------------------------------------------------------------------
// Summary and charts.

void AppendTable(std::string* out, const char* caption,
                 const std::vector<std::pair<std::string, std::string>>& rows) {
  out->append("<table class=\"kv\"><caption>");
  out->append(caption);
  out->append("</caption>");
  if (rows.empty()) out->append("<tr><td colspan=\"2\" class=\"none\">none</td></tr>");
  for (const auto& [key, value] : rows) {
    out->append("<tr><th>");
    AppendEscaped(out, key);
    out->append("</th><td>");
    AppendEscaped(out, value);
    out->append("</td></tr>");
  }
  out->append("</table>");
}

struct Bar {
  std::string label;
  std::uint64_t count = 0;
};

// A bar chart as inline SVG; each bar has a <title> with its exact count.
void AppendBarChart(std::string* out, const char* title, const char* x_label,
                    const std::vector<Bar>& bars) {
  constexpr int kWidth = 420;
  constexpr int kHeight = 170;
  constexpr int kTop = 24;
  constexpr int kBottom = 36;
  constexpr int kLeft = 8;
  std::uint64_t max_count = 1;
  for (const Bar& bar : bars) max_count = std::max(max_count, bar.count);
  const double slot = static_cast<double>(kWidth - 2 * kLeft) /
                      static_cast<double>(std::max<std::size_t>(bars.size(), 1));
  out->append(
      "<figure class=\"chart\"><svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"" +
      std::to_string(kWidth) + "\" height=\"" + std::to_string(kHeight) + "\" viewBox=\"0 0 " +
      std::to_string(kWidth) + " " + std::to_string(kHeight) + "\"><title>");
  AppendEscaped(out, title);
  out->append("</title>");
  const double plot_height = kHeight - kTop - kBottom;
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const double height =
        plot_height * static_cast<double>(bars[i].count) / static_cast<double>(max_count);
    const double x = kLeft + slot * static_cast<double>(i) + slot * 0.12;
    const double y = kTop + plot_height - height;
    out->append("<g><title>");
    AppendEscaped(out, bars[i].label + ": " + std::to_string(bars[i].count));
    out->append("</title><rect x=\"" + FormatNumber(x, 1) + "\" y=\"" + FormatNumber(y, 1) +
                "\" width=\"" + FormatNumber(slot * 0.76, 1) + "\" height=\"" +
                FormatNumber(std::max(height, 0.5), 1) + "\" rx=\"2\"/>");
    out->append("<text class=\"count\" x=\"" + FormatNumber(x + slot * 0.38, 1) + "\" y=\"" +
                FormatNumber(y - 4, 1) + "\">" + std::to_string(bars[i].count) + "</text>");
    out->append("<text class=\"tick\" x=\"" + FormatNumber(x + slot * 0.38, 1) + "\" y=\"" +
                std::to_string(kHeight - kBottom + 14) + "\">");
    AppendEscaped(out, bars[i].label);
    out->append("</text></g>");
  }
  out->append("<text class=\"axis\" x=\"" + std::to_string(kWidth / 2) + "\" y=\"" +
              std::to_string(kHeight - 4) + "\">");
  AppendEscaped(out, x_label);
  out->append("</text></svg><figcaption>");
  AppendEscaped(out, title);
  out->append("</figcaption></figure>");
}

std::vector<Bar> ClusterSizeBars(
    const std::map<std::int64_t, std::vector<const DecisionRow*>>& members) {
  std::vector<Bar> bars = {{"2", 0},    {"3", 0},      {"4", 0},   {"5", 0},
                           {"6–10", 0}, {"11–100", 0}, {">100", 0}};
  for (const auto& [number, rows] : members) {
    const std::size_t size = rows.size();
    const std::size_t index = size <= 2     ? 0
                              : size <= 5   ? size - 2
                              : size <= 10  ? 4
                              : size <= 100 ? 5
                                            : 6;
    ++bars[index].count;
  }
  return bars;
}

std::vector<Bar> SimilarityBars(const std::vector<DecisionRow>& rows) {
  std::vector<Bar> bars;
  for (int i = 0; i < 10; ++i) bars.push_back({FormatNumber(i / 10.0, 1), 0});
  for (const DecisionRow& row : rows) {
    if (row.decision != "duplicate" || !row.similarity) continue;
    const int index = std::clamp(static_cast<int>(*row.similarity * 10), 0, 9);
    ++bars[static_cast<std::size_t>(index)].count;
  }
  return bars;
}

constexpr const char* kStyle = R"CSS(
:root{--fg:#1d232b;--muted:#5b6573;--line:#d9dee5;--bg:#f6f7f9;--card:#fff;--accent:#2f6fb3;--del:#a33a3a;--delbg:#fdf1f1;--mark:#ffe27a}
*{box-sizing:border-box}
body{margin:0;font:15px/1.55 system-ui,"DejaVu Sans","Noto Sans","Noto Naskh Arabic","Liberation Sans",sans-serif;color:var(--fg);background:var(--bg)}
header.top{padding:18px 28px;background:#24303f;color:#fff}
header.top h1{margin:0;font-size:22px}
header.top p{margin:4px 0 0;color:#c8d2de;font-size:13px}
main{padding:16px 28px 40px}
h2{font-size:18px;margin:22px 0 10px}
h2 .sub{font-weight:normal;color:var(--muted);font-size:14px}
.summary{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}
table.kv{border-collapse:collapse;background:var(--card);border:1px solid var(--line);font-size:13px}
table.kv caption{text-align:start;font-weight:600;padding:4px 0}
table.kv th,table.kv td{padding:3px 10px;border-top:1px solid var(--line);text-align:start;vertical-align:top}
table.kv td{font-variant-numeric:tabular-nums}
table.kv th{font-weight:500;color:var(--muted)}
.none{color:var(--muted)}
figure.chart{margin:0;background:var(--card);border:1px solid var(--line);padding:6px}
figure.chart rect{fill:var(--accent)}
figure.chart text{font-size:11px;text-anchor:middle;fill:var(--fg)}
figure.chart text.axis{fill:var(--muted)}
figcaption{font-size:13px;font-weight:600;padding:2px 4px}
.notice{background:#fff8e1;border:1px solid #f0d98c;padding:8px 12px;margin:8px 0;font-size:14px}
.pager{display:flex;gap:8px;align-items:center;margin:10px 0;flex-wrap:wrap;font-size:14px}
.pager button,.pager select,.pager input{font:inherit;padding:2px 8px}
.cluster{background:var(--card);border:1px solid var(--line);border-radius:6px;margin:14px 0;padding:4px 14px 12px}
.terms{font-size:13px;margin-bottom:8px}
.terms .label{color:var(--muted)}
.term{display:inline-block;background:var(--mark);border-radius:3px;padding:0 5px;margin:2px}
.docs{display:grid;grid-auto-flow:column;grid-auto-columns:minmax(340px,1fr);gap:12px;overflow-x:auto}
.doc{border:1px solid var(--line);border-radius:5px;padding:8px 10px;min-width:0;background:#fcfcfd}
.doc.rep{border-color:var(--accent);box-shadow:inset 0 3px 0 var(--accent)}
.doc h3{font-size:16px;margin:2px 0 4px;unicode-bidi:plaintext}
.meta{font-size:12px;color:var(--muted);display:flex;flex-wrap:wrap;gap:6px;align-items:center;margin-bottom:6px}
.badge{border-radius:3px;padding:0 6px;color:#fff;background:#6b7684}
.badge.rep{background:var(--accent)}
.dec{font-weight:600}
.bar{display:inline-block;width:70px;height:7px;background:#e3e7ec;border-radius:4px;overflow:hidden}
.bar span{display:block;height:100%;background:#3f9a5b}
.note{font-size:12px;color:#7a5a00;background:#fff8e1;padding:3px 6px;margin:4px 0}
.text{font-size:14px;max-height:900px;overflow-y:auto;position:relative}
.line{unicode-bidi:plaintext;white-space:pre-wrap;overflow-wrap:anywhere;min-height:1.2em}
.line.blank{min-height:.6em}
mark{background:var(--mark);color:inherit;padding:0 1px;border-radius:2px}
del.removed{display:block;text-decoration:line-through;text-decoration-color:var(--del);color:var(--del);background:var(--delbg);border-inline-start:3px solid var(--del);padding:2px 6px;margin:3px 0}
del.removed .reason{display:inline-block;text-decoration:none;font-size:11px;font-weight:600;background:var(--del);color:#fff;border-radius:3px;padding:0 5px;margin-bottom:2px}
details.more{font-size:13px;margin-top:8px}
table.others{border-collapse:collapse;font-size:13px;background:var(--card)}
table.others td,table.others th{border-top:1px solid var(--line);padding:2px 8px;text-align:start}
)CSS";

// Renders clusters page by page from the embedded JSON, with DOM calls only (textContent), so
// document text is never parsed as HTML. Mirrors AppendClusterHtml and AppendDocHtml.
constexpr const char* kScript = R"JS(
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('neardup-data').textContent);
  var container = document.getElementById('clusters');
  var state = { page: 1, order: 'number', filter: '' };
  var view = [];
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function fmt(x) { return x === null ? '' : x.toFixed(3); }
  function linesLabel(a, b) { return a === b ? 'line ' + a : 'lines ' + a + '\u2013' + b; }
  function renderLine(segs, n) {
    var d = el('div', segs.length ? 'line' : 'line blank');
    d.setAttribute('dir', 'auto');
    d.setAttribute('data-line', String(n));
    for (var i = 0; i < segs.length; ++i) {
      if (i % 2) d.appendChild(el('mark', null, segs[i]));
      else if (segs[i]) d.appendChild(document.createTextNode(segs[i]));
    }
    return d;
  }
  function renderDoc(doc) {
    var a = el('article', 'doc ' + (doc.rep ? 'rep' : 'dup'));
    a.setAttribute('dir', doc.dir);
    a.setAttribute('data-id', doc.id);
    var h = el('header');
    var t = el('h3', 'title', doc.title);
    t.setAttribute('dir', 'auto');
    h.appendChild(t);
    var m = el('div', 'meta');
    m.setAttribute('dir', 'ltr');
    m.appendChild(el('code', 'id', doc.id));
    m.appendChild(document.createTextNode(' '));
    m.appendChild(el('span', 'badge ' + (doc.rep ? 'rep' : 'sim'),
                     doc.rep ? 'representative' : (doc.sim === null ? 'similarity n/a' : 'similarity ' + fmt(doc.sim))));
    if (!doc.rep && doc.sim !== null) {
      var bar = el('span', 'bar'), fill = el('span');
      fill.style.width = (Math.max(0, Math.min(1, doc.sim)) * 100).toFixed(1) + '%';
      bar.appendChild(fill);
      m.appendChild(bar);
    }
    m.appendChild(document.createTextNode(' '));
    m.appendChild(el('span', 'dec', doc.dec));
    m.appendChild(document.createTextNode(' '));
    m.appendChild(el('span', 'src', doc.src));
    h.appendChild(m);
    a.appendChild(h);
    doc.notes.forEach(function (n) { var p = el('p', 'note', data.notes[n]); p.setAttribute('dir', 'ltr'); a.appendChild(p); });
    var text = el('div', 'text');
    doc.b.forEach(function (block) {
      var parent = text;
      if (block.r !== undefined) {
        parent = el('del', 'removed');
        parent.setAttribute('data-reason', block.r);
        parent.setAttribute('data-first', String(block.a));
        parent.setAttribute('data-last', String(block.a + block.l.length - 1));
        var r = el('span', 'reason', 'removed: ' + block.r + ' \u00b7 ' + linesLabel(block.a, block.a + block.l.length - 1));
        r.setAttribute('dir', 'ltr');
        parent.appendChild(r);
        text.appendChild(parent);
      }
      block.l.forEach(function (segs, i) { parent.appendChild(renderLine(segs, block.a + i)); });
    });
    a.appendChild(text);
    return a;
  }
  function renderCluster(c) {
    var s = el('section', 'cluster');
    s.id = 'cluster-' + c.n;
    s.setAttribute('data-cluster', String(c.n));
    var h = el('h2', null, 'Cluster ' + c.n + ' ');
    h.appendChild(el('span', 'sub', c.size + ' documents \u00b7 min similarity ' + fmt(c.min)));
    s.appendChild(h);
    var terms = el('div', 'terms');
    terms.appendChild(el('span', 'label', c.hl));
    c.terms.forEach(function (term) {
      terms.appendChild(document.createTextNode(' '));
      var t = el('span', 'term', term);
      t.setAttribute('dir', 'auto');
      terms.appendChild(t);
    });
    s.appendChild(terms);
    var docs = el('div', 'docs');
    c.docs.forEach(function (d) { docs.appendChild(renderDoc(d)); });
    s.appendChild(docs);
    if (c.more_total > 0) {
      var det = el('details', 'more');
      det.appendChild(el('summary', null, c.more_total + ' more members'));
      var ul = el('ul');
      c.more.forEach(function (m) {
        var li = el('li');
        li.appendChild(el('code', null, m[0]));
        li.appendChild(document.createTextNode(' ' + fmt(m[1])));
        ul.appendChild(li);
      });
      if (c.more.length < c.more_total) ul.appendChild(el('li', null, '\u2026 and ' + (c.more_total - c.more.length) + ' more (see decisions.jsonl)'));
      det.appendChild(ul);
      s.appendChild(det);
    }
    return s;
  }
  function pages() { return Math.max(1, Math.ceil(view.length / data.page_size)); }
  function buildView() {
    var q = state.filter.trim();
    view = data.clusters.filter(function (c) {
      return !q || c.docs.some(function (d) { return d.id.indexOf(q) >= 0; }) ||
             c.more.some(function (m) { return m[0].indexOf(q) >= 0; });
    });
    if (state.order === 'size') view.sort(function (x, y) { return y.size - x.size || x.n - y.n; });
    if (state.order === 'similarity') view.sort(function (x, y) { return x.min - y.min || x.n - y.n; });
  }
  function render() {
    state.page = Math.min(Math.max(1, state.page), pages());
    var start = (state.page - 1) * data.page_size;
    var frag = document.createDocumentFragment();
    view.slice(start, start + data.page_size).forEach(function (c) { frag.appendChild(renderCluster(c)); });
    if (!view.length) frag.appendChild(el('p', 'none', 'No cluster matches.'));
    container.replaceChildren(frag);
    document.querySelectorAll('.pager-label').forEach(function (l) {
      l.textContent = 'Page ' + state.page + ' of ' + pages() + ' \u00b7 clusters ' +
        (view.length ? start + 1 : 0) + '\u2013' + Math.min(start + data.page_size, view.length) + ' of ' + view.length;
    });
    var hash = '#page=' + state.page;
    if (location.hash !== hash && !(state.page === 1 && !location.hash)) history.replaceState(null, '', hash);
  }
  function go(delta) { state.page += delta; render(); window.scrollTo(0, container.offsetTop - 60); }
  document.querySelectorAll('.pager').forEach(function (p) {
    p.hidden = false;
    p.querySelector('.prev').addEventListener('click', function () { go(-1); });
    p.querySelector('.next').addEventListener('click', function () { go(1); });
  });
  var order = document.getElementById('order');
  if (order) order.addEventListener('change', function () { state.order = order.value; state.page = 1; buildView(); render(); });
  var filter = document.getElementById('filter');
  if (filter) filter.addEventListener('input', function () { state.filter = filter.value; state.page = 1; buildView(); render(); });
  var staticNote = document.getElementById('static-note');
  if (staticNote) staticNote.hidden = true;
  var match = /page=(\d+)/.exec(location.hash);
  if (match) state.page = parseInt(match[1], 10);
  // #show=ID:LINE scrolls that document's text (not the page) to the line, e.g. to a removed block.
  var show = /show=([^&]+)/.exec(location.hash);
  buildView();
  render();
  if (show) {
    var target = decodeURIComponent(show[1]), colon = target.lastIndexOf(':');
    var id = target.slice(0, colon), line = target.slice(colon + 1);
    container.querySelectorAll('article.doc').forEach(function (a) {
      if (a.getAttribute('data-id') !== id) return;
      a.querySelectorAll('.line').forEach(function (l) {
        if (l.getAttribute('data-line') === line) { var t = a.querySelector('.text'); t.scrollTop = l.offsetTop - 8; }
      });
    });
  }
  var othersButton = document.getElementById('show-others');
  if (othersButton) {
    othersButton.hidden = false;
    othersButton.addEventListener('click', function () {
      var box = document.getElementById('others');
      if (!box.hidden) { box.hidden = true; return; }
      box.hidden = false;
      if (box.childNodes.length) return;
      var shown = 0;
      var table = el('table', 'others');
      var head = el('tr');
      ['id', 'decision', 'reason', 'detail', 'removed lines'].forEach(function (h) { head.appendChild(el('th', null, h)); });
      table.appendChild(head);
      function more() {
        data.others.slice(shown, shown + 500).forEach(function (o) {
          var tr = el('tr');
          o.forEach(function (v) { var td = el('td', null, v); td.setAttribute('dir', 'auto'); tr.appendChild(td); });
          table.appendChild(tr);
        });
        shown = Math.min(shown + 500, data.others.length);
        moreButton.hidden = shown >= data.others.length;
      }
      var moreButton = el('button', null, 'Show 500 more');
      moreButton.addEventListener('click', more);
      box.appendChild(table);
      box.appendChild(moreButton);
      more();
    });
  }
})();
)JS";

}  // namespace

std::string EscapeHtml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  AppendEscaped(&out, text);
  return out;
}

const char* TextDirection(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const char strong = StrongClass(NextCodePoint(text, &i));
    if (strong == 'R') return "rtl";
    if (strong == 'L') return "ltr";
  }
  return "auto";
}

std::string HtmlReport(const std::string& outdir, const HtmlReportLimits& limits) {
  const fs::path dir(outdir);
  const RunSummary summary = ParseReportJson((dir / "report.json").string());
  const std::vector<DecisionRow> decisions = ParseDecisions((dir / "decisions.jsonl").string());
  const std::map<std::int64_t, ClusterInfo> cluster_info =
      ParseClusters((dir / "clusters.jsonl").string());

  std::map<std::int64_t, std::vector<const DecisionRow*>> members;
  for (const DecisionRow& row : decisions) {
    if (row.cluster >= 0 && row.decision != "rejected") members[row.cluster].push_back(&row);
  }

  // Original texts: re-read the inputs that still exist; match by ordinal when the ids agree,
  // else by id.
  std::vector<std::string> notices;
  std::vector<std::string> present;
  for (const std::string& path : summary.input_paths) {
    if (path == "-") {
      notices.push_back(
          "Input - (stdin) cannot be read again: its documents show their cleaned text.");
    } else if (!fs::exists(path)) {
      notices.push_back("Input " + path +
                        " is gone (or was relative to another folder): its documents show their "
                        "cleaned text, and duplicates show none.");
    } else {
      present.push_back(path);
    }
  }
  std::vector<Document> originals;
  if (!present.empty()) {
    ReadConfig read_config;
    read_config.text_field = summary.text_field;
    read_config.id_field = summary.id_field;
    ReadStats stats;
    try {
      originals = ReadInputs(present, read_config, &stats);
    } catch (const Error& error) {
      // The report is still useful without the originals, and the page says why they are missing.
      notices.push_back(std::string("The inputs could not be read again (") + error.what() +
                        "): documents show their cleaned text.");
      originals.clear();
    }
  }
  const bool all_inputs = present.size() == summary.input_paths.size() && !originals.empty();
  std::unordered_map<std::string_view, const Document*> original_by_id;
  for (const Document& doc : originals) original_by_id.emplace(doc.id, &doc);
  auto original_of = [&](const DecisionRow& row) -> const Document* {
    const std::size_t ordinal = static_cast<std::size_t>(&row - decisions.data());
    if (all_inputs && ordinal < originals.size() && originals[ordinal].id == row.id)
      return &originals[ordinal];
    auto found = original_by_id.find(row.id);
    return found == original_by_id.end() ? nullptr : found->second;
  };

  std::unordered_set<std::string> need_cleaned;
  for (const auto& [number, rows] : members) {
    for (std::size_t i = 0; i < rows.size() && i < limits.docs_shown_per_cluster; ++i) {
      if (original_of(*rows[i]) == nullptr) need_cleaned.insert(rows[i]->id);
    }
  }
  const std::unordered_map<std::string, std::string> cleaned =
      ParseCleaned((dir / "cleaned.jsonl").string(), need_cleaned);

  // Build every cluster's view.
  Tokenizer tokenizer;
  const int ngram = summary.shingle == "word" ? summary.ngram : 3;
  std::uint64_t total_text = 0;
  std::vector<ClusterView> clusters;
  for (const auto& [number, rows] : members) {
    ClusterView cluster;
    cluster.number = number;
    cluster.size = rows.size();
    auto info = cluster_info.find(number);
    std::string representative;
    if (info != cluster_info.end()) {
      representative = info->second.representative;
      cluster.min_similarity = info->second.min_similarity;
      cluster.has_shared_terms = info->second.has_shared_terms;
      cluster.shared_terms = info->second.shared_terms;
    } else {
      cluster.min_similarity = 1;
      for (const DecisionRow* row : rows) {
        if (row->similarity)
          cluster.min_similarity = std::min(cluster.min_similarity, *row->similarity);
      }
    }
    cluster.highlight = cluster.has_shared_terms ? "Shared terms (highlighted):"
                                                 : "Highlighted: word " + std::to_string(ngram) +
                                                       "-grams shared with the representative";
    // The representative (clusters.jsonl's, else the first kept member) first, then the others in
    // input order. In story mode several members of a cluster may be kept.
    if (representative.empty()) {
      auto kept = std::find_if(rows.begin(), rows.end(),
                               [](const DecisionRow* row) { return row->decision == "kept"; });
      representative = kept == rows.end() ? rows.front()->id : (*kept)->id;
    }
    std::vector<const DecisionRow*> ordered(rows.begin(), rows.end());
    std::stable_partition(ordered.begin(), ordered.end(),
                          [&](const DecisionRow* row) { return row->id == representative; });
    const std::size_t shown = std::min(ordered.size(), limits.docs_shown_per_cluster);
    std::vector<WordedText> texts(shown);
    std::vector<std::string> text_storage(shown);
    for (std::size_t i = 0; i < shown; ++i) {
      const DecisionRow& row = *ordered[i];
      DocView doc;
      doc.row = &row;
      doc.representative = row.id == representative;
      std::string_view text;
      bool original = false;
      if (const Document* source = original_of(row); source != nullptr) {
        text = source->text;
        original = true;
      } else if (auto found = cleaned.find(row.id); found != cleaned.end()) {
        text = found->second;
        doc.notes.push_back(
            "Original text not available: showing the cleaned text (removed lines are not shown).");
      } else {
        doc.notes.push_back(
            doc.representative
                ? "Text not available: the input is gone and cleaned.jsonl has no entry."
                : "Text not available: the input is gone, and cleaned.jsonl holds kept "
                  "documents only.");
      }
      if (total_text >= limits.total_text_bytes && !text.empty()) {
        doc.notes.push_back("Text omitted: the page's text budget (" +
                            FormatBytes(limits.total_text_bytes) +
                            ") is used up; see cleaned.jsonl and the inputs.");
        text = {};
      }
      const std::vector<RemovedSpan> no_spans;
      const std::vector<RemovedSpan>& spans = original ? row.removed : no_spans;
      texts[i] = SplitWords(text, spans, &tokenizer);
      for (const RemovedSpan& span : spans) {
        if (span.last_line > texts[i].lines.size()) {
          doc.notes.push_back("The input has changed since the run: removed " +
                              LinesLabel(span.first_line, span.last_line) + " is beyond its " +
                              std::to_string(texts[i].lines.size()) + " lines.");
          break;
        }
      }
      doc.title = text.empty() ? "(no text)" : Title(texts[i]);
      doc.dir = TextDirection(text.empty() ? std::string_view(row.id) : text);
      cluster.docs.push_back(std::move(doc));
    }
    if (cluster.has_shared_terms) {
      std::vector<std::vector<std::string>> terms;
      for (const std::string& term : cluster.shared_terms) {
        std::vector<std::string> tokens;
        for (std::string_view token : tokenizer.Tokenize(term)) tokens.emplace_back(token);
        terms.push_back(std::move(tokens));
      }
      for (WordedText& worded : texts) MarkTerms(&worded, terms);
    } else if (shown >= 2) {
      std::vector<std::unordered_set<std::uint64_t>> sets;
      for (const WordedText& worded : texts) sets.push_back(NgramSet(worded, ngram));
      for (std::size_t i = 0; i < shown; ++i) {
        std::vector<const std::unordered_set<std::uint64_t>*> others;
        if (cluster.docs[i].representative) {
          for (std::size_t k = 0; k < shown; ++k) {
            if (k != i) others.push_back(&sets[k]);
          }
        } else {
          for (std::size_t k = 0; k < shown; ++k) {
            if (cluster.docs[k].representative) others.push_back(&sets[k]);
          }
        }
        MarkSharedNgrams(&texts[i], others, ngram);
      }
    }
    for (std::size_t i = 0; i < shown; ++i) {
      const std::size_t budget = static_cast<std::size_t>(std::min<std::uint64_t>(
          limits.doc_text_bytes,
          limits.total_text_bytes - std::min(total_text, limits.total_text_bytes)));
      const std::vector<RemovedSpan> no_spans;
      const bool original = original_of(*cluster.docs[i].row) != nullptr;
      BuildBlocks(texts[i], original ? cluster.docs[i].row->removed : no_spans, budget,
                  &cluster.docs[i]);
      for (const Block& block : cluster.docs[i].blocks) {
        for (const Line& line : block.lines) {
          for (const std::string& segment : line) total_text += segment.size();
        }
      }
    }
    cluster.more_total = ordered.size() - shown;
    for (std::size_t i = shown; i < ordered.size() && cluster.more.size() < limits.members_listed;
         ++i) {
      cluster.more.push_back(ordered[i]);
    }
    clusters.push_back(std::move(cluster));
  }

  // The page.
  std::string html;
  html.append(
      "<!DOCTYPE html>\n<html lang=\"en\" dir=\"ltr\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src "
      "'unsafe-inline'; "
      "script-src 'unsafe-inline'; img-src data:\">"
      "<title>neardup report: ");
  AppendEscaped(&html, outdir);
  html.append("</title><style>");
  html.append(kStyle);
  html.append("</style></head><body><header class=\"top\"><h1>neardup cluster report</h1><p>");
  AppendEscaped(&html, outdir);
  html.append("</p></header><main>");
  for (const std::string& notice : notices) {
    html.append("<p class=\"notice\">");
    AppendEscaped(&html, notice);
    html.append("</p>");
  }

  // Summary.
  html.append("<h2 id=\"summary\">Run summary</h2><div class=\"summary\">");
  AppendTable(&html, "Documents", summary.counts);
  AppendTable(&html, "Boilerplate lines removed, by reason", summary.removed_lines_by_reason);
  AppendTable(&html, "Rejected, by reason", summary.rejected_by_reason);
  AppendTable(&html, "Parameters", summary.parameters);
  std::vector<std::pair<std::string, std::string>> throughput;
  for (const StageRow& stage : summary.stages) {
    throughput.emplace_back(stage.name, FormatNumber(stage.seconds, 3) + " s · " +
                                            FormatNumber(stage.mb_per_s, 1) + " MB/s · " +
                                            std::to_string(stage.items) + " items");
  }
  if (summary.total_seconds) {
    const double seconds = std::max(*summary.total_seconds, 1e-9);
    throughput.emplace_back(
        "total", FormatNumber(*summary.total_seconds, 3) + " s · " +
                     FormatNumber(static_cast<double>(summary.input_bytes) / 1e6 / seconds, 1) +
                     " MB/s · " + FormatNumber(static_cast<double>(summary.read) / seconds, 0) +
                     " docs/s");
  }
  AppendTable(&html, "Throughput", throughput);
  std::vector<std::pair<std::string, std::string>> input_rows;
  for (const std::string& path : summary.input_paths) input_rows.emplace_back("path", path);
  input_rows.emplace_back("text_field", summary.text_field);
  input_rows.emplace_back("id_field", summary.id_field);
  for (const auto& row : summary.input_stats) input_rows.push_back(row);
  AppendTable(&html, "Input", input_rows);
  AppendBarChart(&html, "Cluster sizes", "documents per cluster", ClusterSizeBars(members));
  AppendBarChart(&html, "Similarity of duplicates to their representative",
                 "similarity (bin start)", SimilarityBars(decisions));
  html.append("</div>");

  // Clusters: page 1 as static HTML; the script re-renders from the JSON below.
  const std::size_t page_size = std::max<std::size_t>(limits.clusters_per_page, 1);
  html.append("<h2 id=\"clusters-heading\">Clusters <span class=\"sub\">" +
              std::to_string(clusters.size()) + " clusters of two or more documents</span></h2>");
  html.append(
      "<div class=\"pager\" hidden><button class=\"prev\" type=\"button\">◀ Previous</button>"
      "<span class=\"pager-label\"></span><button class=\"next\" type=\"button\">Next ▶</button>"
      "<label>Order <select id=\"order\"><option value=\"number\">input order</option>"
      "<option value=\"size\">largest first</option><option value=\"similarity\">lowest similarity "
      "first"
      "</option></select></label><label>Find id <input id=\"filter\" type=\"search\" "
      "size=\"18\"></label></div>");
  html.append(
      "<p class=\"notice\" id=\"static-note\">Showing clusters 1–" +
      std::to_string(std::min(page_size, clusters.size())) + " of " +
      std::to_string(clusters.size()) +
      (clusters.size() > page_size ? "; turn on JavaScript to page through the rest." : ".") +
      "</p>");
  html.append("<div id=\"clusters\">");
  for (std::size_t i = 0; i < clusters.size() && i < page_size; ++i)
    AppendClusterHtml(&html, clusters[i]);
  if (clusters.empty()) html.append("<p class=\"none\">No cluster: every document is unique.</p>");
  html.append(
      "</div><div class=\"pager\" hidden><button class=\"prev\" type=\"button\">◀ Previous</button>"
      "<span class=\"pager-label\"></span><button class=\"next\" type=\"button\">Next "
      "▶</button></div>");

  // Unclustered documents: listed on request only.
  std::size_t others_total = 0;
  std::string others_json = "[";
  for (const DecisionRow& row : decisions) {
    if (row.cluster >= 0 && row.decision != "rejected") continue;
    ++others_total;
    if (others_total > limits.others_listed) continue;
    if (others_total > 1) others_json.push_back(',');
    std::uint64_t removed_lines = 0;
    for (const RemovedSpan& span : row.removed)
      removed_lines += span.last_line - span.first_line + 1;
    others_json.push_back('[');
    for (const std::string* field : {&row.id, &row.decision, &row.reason, &row.detail}) {
      AppendJsonString(&others_json, *field);
      others_json.push_back(',');
    }
    AppendJsonNumber(&others_json, removed_lines);
    others_json.push_back(']');
  }
  others_json.push_back(']');
  html.append(
      "<h2 id=\"others-heading\">Unclustered documents <span class=\"sub\">" +
      std::to_string(others_total) + " kept alone or rejected" +
      (others_total > limits.others_listed
           ? "; the first " + std::to_string(limits.others_listed) + " are listed"
           : std::string()) +
      "</span></h2><button id=\"show-others\" type=\"button\" hidden>Show or hide the list</button>"
      "<noscript><p>Turn on JavaScript to list them, or read decisions.jsonl.</p></noscript>"
      "<div id=\"others\" hidden></div>");

  html.append("</main><script type=\"application/json\" id=\"neardup-data\">");
  std::string json = "{\"page_size\":" + std::to_string(page_size) + ",\"clusters\":[";
  std::map<std::string, std::size_t> note_ids;
  for (std::size_t i = 0; i < clusters.size(); ++i) {
    if (i > 0) json.push_back(',');
    AppendClusterJson(&json, clusters[i], &note_ids);
  }
  std::vector<const std::string*> notes(note_ids.size());
  for (const auto& [note, id] : note_ids) notes[id] = &note;
  json.append("],\"notes\":[");
  for (std::size_t i = 0; i < notes.size(); ++i) {
    if (i > 0) json.push_back(',');
    AppendJsonString(&json, *notes[i]);
  }
  json.append("],\"others\":");
  json.append(others_json);
  json.append("}");
  AppendScriptSafeJson(&html, json);
  html.append("</script><script>");
  html.append(kScript);
  html.append("</script></body></html>\n");
  return html;
}

void WriteHtmlReport(const std::string& outdir, const std::string& html_path,
                     const HtmlReportLimits& limits) {
  const std::string html = HtmlReport(outdir, limits);
  AtomicFile file(html_path);
  file.Write(html);
  file.Commit();
}

}  // namespace neardup
