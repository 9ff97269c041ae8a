#include "neardup/eval_clusters.h"

#include <simdjson.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <vector>

#include "neardup/error.h"

namespace neardup {
namespace {

std::string ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(Location{path, 0}, "cannot open");
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) throw Error(Location{path, 0}, "cannot read");
  return content.str();
}

// A string or integer JSON value as a label; false for anything else.
bool LabelOf(simdjson::dom::element value, std::string* out) {
  std::string_view text;
  if (value.get_string().get(text) == simdjson::SUCCESS) {
    out->assign(text);
    return true;
  }
  std::int64_t number = 0;
  if (value.get_int64().get(number) == simdjson::SUCCESS) {
    *out = std::to_string(number);
    return true;
  }
  std::uint64_t unsigned_number = 0;
  if (value.get_uint64().get(unsigned_number) == simdjson::SUCCESS) {
    *out = std::to_string(unsigned_number);
    return true;
  }
  return false;
}

// The string or integer member `key` of an object as a label; false when absent or not usable.
bool FieldLabel(simdjson::dom::element object, const char* key, std::string* out) {
  simdjson::dom::element value;
  if (object[key].get(value) != simdjson::SUCCESS) return false;
  return LabelOf(value, out);
}

// Calls on_line(element, line_number) for every non-blank line of a JSON Lines text.
template <typename OnLine>
void ForEachJsonLine(const std::string& path, const std::string& content, OnLine&& on_line) {
  simdjson::dom::parser parser;
  std::uint64_t line_number = 0;
  std::size_t begin = 0;
  while (begin < content.size()) {
    std::size_t end = content.find('\n', begin);
    if (end == std::string::npos) end = content.size();
    ++line_number;
    const std::string_view line(content.data() + begin, end - begin);
    begin = end + 1;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    simdjson::dom::element element;
    if (parser.parse(line.data(), line.size()).get(element) != simdjson::SUCCESS || !element.is_object()) {
      throw Error(Location{path, line_number}, "not a JSON object");
    }
    on_line(element, line_number);
  }
}

void Insert(Partition* partition, const std::string& id, const std::string& label, const std::string& path,
            std::uint64_t line) {
  if (!partition->emplace(id, label).second) throw Error(Location{path, line}, "id '" + id + "' given twice");
}

}  // namespace

Partition ReadGoldClusters(const std::string& path) {
  const std::string content = ReadWholeFile(path);
  Partition gold;
  // A gold.json object with "clusters" (possibly spread over many lines).
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(content).get(root) == simdjson::SUCCESS && root.is_object()) {
    simdjson::dom::array clusters;
    if (root["clusters"].get_array().get(clusters) == simdjson::SUCCESS) {
      std::uint64_t number = 0;
      for (simdjson::dom::element cluster : clusters) {
        simdjson::dom::array docs;
        if (cluster["docs"].get_array().get(docs) != simdjson::SUCCESS) {
          throw Error(Location{path, 0}, "cluster " + std::to_string(number) + " has no \"docs\" array");
        }
        for (simdjson::dom::element doc : docs) {
          std::string id;
          if (!LabelOf(doc, &id)) throw Error(Location{path, 0}, "a document id is not a string or integer");
          Insert(&gold, id, "g" + std::to_string(number), path, 0);
        }
        ++number;
      }
      return gold;
    }
  }
  ForEachJsonLine(path, content, [&](simdjson::dom::element line, std::uint64_t line_number) {
    std::string id, label;
    if (!FieldLabel(line, "id", &id) || !FieldLabel(line, "cluster", &label)) {
      throw Error(Location{path, line_number}, "expected {\"id\", \"cluster\"} with string or integer values");
    }
    Insert(&gold, id, label, path, line_number);
  });
  return gold;
}

Partition ReadPredictedClusters(const std::string& path_in) {
  std::string path = path_in;
  if (std::filesystem::is_directory(path)) path = (std::filesystem::path(path) / "decisions.jsonl").string();
  const std::string content = ReadWholeFile(path);
  Partition predicted;
  ForEachJsonLine(path, content, [&](simdjson::dom::element line, std::uint64_t line_number) {
    std::string id, label;
    std::string_view decision;
    simdjson::dom::array docs;
    if (line["decision"].get_string().get(decision) == simdjson::SUCCESS) {  // decisions.jsonl
      if (decision == "rejected") return;
      if (!FieldLabel(line, "id", &id)) {
        throw Error(Location{path, line_number}, "decision without a usable \"id\"");
      }
      label = id;
      simdjson::dom::element of;
      if (line["duplicate_of"].get(of) == simdjson::SUCCESS && !of.is_null() && !LabelOf(of, &label)) {
        throw Error(Location{path, line_number}, "\"duplicate_of\" is not a string or integer");
      }
      Insert(&predicted, id, "d:" + label, path, line_number);
    } else if (line["docs"].get_array().get(docs) == simdjson::SUCCESS) {  // clusters.jsonl
      std::string cluster = std::to_string(line_number);
      FieldLabel(line, "cluster", &cluster);
      for (simdjson::dom::element doc : docs) {
        if (!LabelOf(doc, &id)) throw Error(Location{path, line_number}, "a document id is not a string or integer");
        Insert(&predicted, id, "c:" + cluster, path, line_number);
      }
    } else {  // {"id", "cluster"}
      if (!FieldLabel(line, "id", &id) || !FieldLabel(line, "cluster", &label)) {
        throw Error(Location{path, line_number},
                    "expected a decisions.jsonl or clusters.jsonl line, or {\"id\", \"cluster\"}");
      }
      Insert(&predicted, id, "l:" + label, path, line_number);
    }
  });
  return predicted;
}

ClusterScores ScoreClusters(const Partition& gold, const Partition& predicted) {
  ClusterScores scores;
  // Dense labels over the scored (gold) ids; missing predictions become singletons.
  std::map<std::string, std::uint32_t> gold_ids, predicted_ids;
  std::vector<std::uint32_t> g, p;
  for (const auto& [id, label] : gold) {
    g.push_back(gold_ids.emplace(label, static_cast<std::uint32_t>(gold_ids.size())).first->second);
    auto it = predicted.find(id);
    const std::string predicted_label = it == predicted.end() ? "\x01missing:" + id : "\x02" + it->second;
    scores.missing += it == predicted.end() ? 1 : 0;
    p.push_back(predicted_ids.emplace(predicted_label, static_cast<std::uint32_t>(predicted_ids.size())).first->second);
  }
  for (const auto& entry : predicted) scores.extra += gold.count(entry.first) == 0 ? 1 : 0;
  const std::size_t n = g.size();
  scores.documents = n;
  scores.gold_clusters = gold_ids.size();
  scores.predicted_clusters = predicted_ids.size();
  std::vector<double> gold_size(gold_ids.size(), 0), predicted_size(predicted_ids.size(), 0);
  std::map<std::pair<std::uint32_t, std::uint32_t>, double> both;
  for (std::size_t i = 0; i < n; ++i) {
    ++gold_size[g[i]];
    ++predicted_size[p[i]];
    ++both[{g[i], p[i]}];
  }
  auto pairs = [](double m) { return m * (m - 1) / 2; };
  double same_both = 0, same_gold = 0, same_predicted = 0;
  for (const auto& [key, count] : both) same_both += pairs(count);
  for (double size : gold_size) same_gold += pairs(size);
  for (double size : predicted_size) same_predicted += pairs(size);
  auto f1 = [](double precision, double recall) {
    return precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0.0;
  };
  scores.pairwise_precision = same_predicted > 0 ? same_both / same_predicted : 1.0;
  scores.pairwise_recall = same_gold > 0 ? same_both / same_gold : 1.0;
  scores.pairwise_f1 = f1(scores.pairwise_precision, scores.pairwise_recall);
  // B-cubed: for document e, |C(e) n L(e)| / |C(e)| and / |L(e)|, averaged over documents.
  double precision_sum = 0, recall_sum = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double overlap = both[{g[i], p[i]}];
    precision_sum += overlap / predicted_size[p[i]];
    recall_sum += overlap / gold_size[g[i]];
  }
  scores.bcubed_precision = n > 0 ? precision_sum / static_cast<double>(n) : 1.0;
  scores.bcubed_recall = n > 0 ? recall_sum / static_cast<double>(n) : 1.0;
  scores.bcubed_f1 = f1(scores.bcubed_precision, scores.bcubed_recall);
  // Adjusted Rand index from the contingency table.
  const double all_pairs = pairs(static_cast<double>(n));
  const double expected = all_pairs > 0 ? same_gold * same_predicted / all_pairs : 0;
  const double maximum = (same_gold + same_predicted) / 2;
  if (maximum - expected != 0) {
    scores.adjusted_rand = (same_both - expected) / (maximum - expected);
  } else {
    // Both partitions all singletons or all one cluster: the index is 1 when they agree.
    scores.adjusted_rand = same_both == same_gold && same_both == same_predicted ? 1.0 : 0.0;
  }
  return scores;
}

std::string FormatClusterScores(const ClusterScores& s, bool json) {
  char buffer[1024];
  if (json) {
    std::snprintf(buffer, sizeof buffer,
                  "{\"documents\":%llu,\"gold_clusters\":%llu,\"predicted_clusters\":%llu,\"missing\":%llu,"
                  "\"extra\":%llu,\"pairwise\":{\"precision\":%.6f,\"recall\":%.6f,\"f1\":%.6f},"
                  "\"bcubed\":{\"precision\":%.6f,\"recall\":%.6f,\"f1\":%.6f},\"adjusted_rand\":%.6f}\n",
                  static_cast<unsigned long long>(s.documents), static_cast<unsigned long long>(s.gold_clusters),
                  static_cast<unsigned long long>(s.predicted_clusters), static_cast<unsigned long long>(s.missing),
                  static_cast<unsigned long long>(s.extra), s.pairwise_precision, s.pairwise_recall, s.pairwise_f1,
                  s.bcubed_precision, s.bcubed_recall, s.bcubed_f1, s.adjusted_rand);
    return buffer;
  }
  std::snprintf(buffer, sizeof buffer,
                "documents %llu (gold clusters %llu, predicted clusters %llu; missing %llu, extra %llu)\n"
                "metric      precision  recall    f1\n"
                "pairwise    %.6f   %.6f  %.6f\n"
                "b-cubed     %.6f   %.6f  %.6f\n"
                "adjusted Rand index  %.6f\n",
                static_cast<unsigned long long>(s.documents), static_cast<unsigned long long>(s.gold_clusters),
                static_cast<unsigned long long>(s.predicted_clusters), static_cast<unsigned long long>(s.missing),
                static_cast<unsigned long long>(s.extra), s.pairwise_precision, s.pairwise_recall, s.pairwise_f1,
                s.bcubed_precision, s.bcubed_recall, s.bcubed_f1, s.adjusted_rand);
  return buffer;
}

}  // namespace neardup
