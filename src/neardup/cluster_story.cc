#include "neardup/cluster_story.h"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_sort.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <limits>
#include <queue>
#include <unordered_map>

#include "neardup/index_lsh.h"
#include "neardup/sketch_weighted.h"
#include "neardup/story_terms.h"

namespace neardup {
namespace {

constexpr double kUndated = std::numeric_limits<double>::quiet_NaN();

// Pairs below kEdgeFloor * threshold are left out of the clustering graph (they count 0 in a
// cluster's mean, as unverified pairs do); this keeps the graph sparse on large dumps. At 0.5 the
// generated labelled sets lost 0.03-0.04 B-cubed F1 at thresholds 0.17-0.18 (weak re-report pairs
// dropped out of the means) against 0.35; story wall time on 5,000 news articles did not change
// measurably.
constexpr double kEdgeFloor = 0.35;

// LSH for story mode is tuned at the edge floor, not at --threshold: every pair from there up
// adds to a cluster's mean, and a missed pair can never be recovered, while a false candidate only
// costs a signature compare. Tuned at 0.75 x threshold the choice jumped from 21x1 to 64x2
// between 0.10 and 0.11, lost re-report pairs at J_P 0.06-0.08, and B-cubed F1 on the generated
// sets fell from 0.98 to 0.88 there (a cliff of the index, not of the similarity). Costs ~2% of
// story wall time on 5,000 news articles.
constexpr double kLshThresholdFraction = kEdgeFloor;

// Document frequency per term hash: an open-addressing table (0 marks an empty slot; hash 0 is
// stored as 1) counting how many documents hold each term; it grows at half load.
class DfTable {
 public:
  void Add(std::uint64_t key) {
    if (2 * (size_ + 1) > keys_.size()) Grow();
    const std::size_t i = Find(key == 0 ? 1 : key);
    if (keys_[i] == 0) {
      keys_[i] = key == 0 ? 1 : key;
      ++size_;
    }
    ++values_[i];
  }
  std::uint32_t Get(std::uint64_t key) const {
    if (keys_.empty()) return 0;
    const std::size_t i = Find(key == 0 ? 1 : key);
    return keys_[i] == 0 ? 0 : values_[i];
  }

 private:
  // The slot holding `key`, or the empty slot where it would go.
  std::size_t Find(std::uint64_t key) const {
    std::size_t i = key & mask_;
    while (keys_[i] != 0 && keys_[i] != key) i = (i + 1) & mask_;
    return i;
  }
  void Grow() {
    std::vector<std::uint64_t> keys(std::max<std::size_t>(16, 2 * keys_.size()), 0);
    std::vector<std::uint32_t> values(keys.size(), 0);
    keys.swap(keys_);
    values.swap(values_);
    mask_ = keys_.size() - 1;
    for (std::size_t j = 0; j < keys.size(); ++j) {
      if (keys[j] == 0) continue;
      const std::size_t i = Find(keys[j]);
      keys_[i] = keys[j];
      values_[i] = values[j];
    }
  }
  std::vector<std::uint64_t> keys_;
  std::vector<std::uint32_t> values_;
  std::size_t size_ = 0;
  std::size_t mask_ = 0;
};

struct TermWorker {
  explicit TermWorker(const StoryLexicon* lexicon) : extractor(*lexicon) {}
  StoryTermExtractor extractor;
};

struct SketchWorker {
  WeightedMinHasher::Scratch scratch;
};

// The fewest equal slots (of k) that a pair at J_P = threshold shows with probability >= 99.5%:
// candidates below it are dropped before the exact check (they are almost surely below the
// threshold; the loss at the threshold is at most 0.5%, less above it).
std::size_t MinEqualSlots(double threshold, std::size_t k) {
  const double p = std::clamp(threshold, 0.0, 1.0);
  double cdf = 0;
  for (std::size_t c = 0; c <= k; ++c) {
    // P[X = c] for X ~ Binomial(k, p), through logs.
    const double log_pmf = std::lgamma(static_cast<double>(k) + 1) - std::lgamma(static_cast<double>(c) + 1) -
                           std::lgamma(static_cast<double>(k - c) + 1) +
                           (c > 0 ? static_cast<double>(c) * std::log(p) : 0.0) +
                           (k > c ? static_cast<double>(k - c) * std::log1p(-p) : 0.0);
    cdf += std::exp(log_pmf);
    if (cdf > 0.005) return c;
  }
  return k;
}

template <typename T>
void Prefetch(const T* data, std::size_t count) {
  constexpr std::size_t kCacheLine = 64;
  const auto* bytes = reinterpret_cast<const char*>(data);
  for (std::size_t i = 0; i < count * sizeof(T); i += kCacheLine) __builtin_prefetch(bytes + i);
}

// Slots equal in two signatures of k slots. Counted in lanes as wide as a slot (so the loop
// vectorizes without widening), in blocks too short for a lane to overflow.
template <typename Slot>
std::size_t EqualSlots(const Slot* x, const Slot* y, std::size_t k) {
  constexpr std::size_t kBlock = std::numeric_limits<Slot>::max();
  std::size_t equal = 0;
  for (std::size_t begin = 0; begin < k; begin += kBlock) {
    const std::size_t end = std::min(k, begin + kBlock);
    Slot count = 0;
    for (std::size_t j = begin; j < end; ++j) count = static_cast<Slot>(count + (x[j] == y[j] ? 1 : 0));
    equal += count;
  }
  return equal;
}

bool WithinWindow(double a, double b, double window_days) {
  if (window_days <= 0 || std::isnan(a) || std::isnan(b)) return true;
  return std::abs(a - b) <= window_days;
}

// What verify reads: candidate pairs (sorted by (a, b)), signatures with the low byte of each
// slot kept apart (`signature_bytes`), and the weighted vectors.
struct VerifyInputs {
  std::span<const CandidatePair> candidates;
  std::span<const std::uint32_t> signatures;
  std::span<const std::uint8_t> signature_bytes;
  std::size_t k = 0;
  std::size_t min_equal = 0;  // fewest equal slots of a pair worth the exact check
  const std::vector<std::vector<WeightedTerm>>* vectors = nullptr;
  const std::vector<double>* totals = nullptr;
  const std::vector<double>* days = nullptr;
  double window_days = 0;
  double floor = 0;  // edges below this similarity are dropped
};

struct VerifyWorker {
  std::vector<SharedWeights> scratch;
  std::vector<std::size_t> screened;
  std::vector<StoryEdge> kept;  // edges at or above the floor, in candidate order per range
};

// Verifies candidates [begin, end) into worker->kept, in chunks of two passes. The screen: the
// time window, then the low bytes of the slots (equal slots have equal low bytes, so too few
// equal bytes proves too few equal slots); it reads 2 cache lines per signature instead of 8 and
// drops most LSH candidates. Then, for the few left: the equal slots, then the exact J_P. Pairs
// are sorted by a, so b's data is what misses the cache: each pass prefetches a few pairs ahead.
void VerifyRange(const VerifyInputs& in, std::size_t begin, std::size_t end, VerifyWorker* worker) {
  constexpr std::size_t kChunk = 256;
  constexpr std::size_t kAhead = 8;  // screen: pairs ahead, enough to cover a memory latency
  constexpr std::size_t kCheckAhead = 2;  // exact check: each takes longer, fewer are enough
  const std::size_t k = in.k;
  const std::vector<std::vector<WeightedTerm>>& vectors = *in.vectors;
  for (std::size_t chunk = begin; chunk < end; chunk += kChunk) {
    const std::size_t chunk_end = std::min(end, chunk + kChunk);
    worker->screened.clear();
    for (std::size_t c = chunk; c < chunk_end; ++c) {
      if (c + kAhead < end) Prefetch(in.signature_bytes.data() + in.candidates[c + kAhead].second * k, k);
      const auto [a, b] = in.candidates[c];
      const std::uint8_t* bytes = in.signature_bytes.data();
      if (WithinWindow((*in.days)[a], (*in.days)[b], in.window_days) &&
          EqualSlots(bytes + a * k, bytes + b * k, k) >= in.min_equal) {
        worker->screened.push_back(c);
      }
    }
    const std::vector<std::size_t>& screened = worker->screened;
    for (std::size_t s = 0; s < screened.size(); ++s) {
      if (s + 2 * kCheckAhead < screened.size()) {
        const std::uint32_t b = in.candidates[screened[s + 2 * kCheckAhead]].second;
        Prefetch(in.signatures.data() + b * k, k);
        Prefetch(&vectors[b], 1);
      }
      if (s + kCheckAhead < screened.size()) {
        const std::vector<WeightedTerm>& ahead = vectors[in.candidates[screened[s + kCheckAhead]].second];
        Prefetch(ahead.data(), ahead.size());
      }
      const auto [a, b] = in.candidates[screened[s]];
      if (EqualSlots(in.signatures.data() + a * k, in.signatures.data() + b * k, k) < in.min_equal) continue;
      const std::vector<double>& totals = *in.totals;
      const double similarity =
          ExactProbabilityJaccard(vectors[a], totals[a], vectors[b], totals[b], &worker->scratch, in.floor);
      if (similarity >= in.floor) worker->kept.push_back(StoryEdge{a, b, similarity});
    }
  }
}

// The cluster's top terms: in most members first, then by summed weight; hash breaks ties.
std::vector<std::uint64_t> TopSharedTerms(const std::vector<std::uint32_t>& members,
                                          const std::vector<std::vector<WeightedTerm>>& vectors) {
  std::unordered_map<std::uint64_t, std::pair<std::uint32_t, double>> tally;
  for (std::uint32_t member : members) {
    for (const WeightedTerm& term : vectors[member]) {
      auto& [count, weight] = tally[term.hash];
      ++count;
      weight += term.weight;
    }
  }
  std::vector<std::tuple<std::uint32_t, double, std::uint64_t>> ranked;
  for (const auto& [hash, entry] : tally) {
    if (entry.first >= 2) ranked.emplace_back(entry.first, entry.second, hash);
  }
  std::sort(ranked.begin(), ranked.end(), [](const auto& x, const auto& y) {
    if (std::get<0>(x) != std::get<0>(y)) return std::get<0>(x) > std::get<0>(y);
    if (std::get<1>(x) != std::get<1>(y)) return std::get<1>(x) > std::get<1>(y);
    return std::get<2>(x) < std::get<2>(y);
  });
  std::vector<std::uint64_t> top;
  for (std::size_t i = 0; i < ranked.size() && i < kStorySharedTerms; ++i) top.push_back(std::get<2>(ranked[i]));
  return top;
}

}  // namespace

double ParseStoryDate(const std::string& value) {
  auto digits = [&](std::size_t at, std::size_t count, int* out) {
    if (value.size() < at + count) return false;
    int result = 0;
    for (std::size_t i = at; i < at + count; ++i) {
      if (value[i] < '0' || value[i] > '9') return false;
      result = result * 10 + (value[i] - '0');
    }
    *out = result;
    return true;
  };
  int year = 0, month = 0, day = 0;
  if (!digits(0, 4, &year) || value.size() < 10 || value[4] != '-' || !digits(5, 2, &month) ||
      value[7] != '-' || !digits(8, 2, &day)) {
    return kUndated;
  }
  const std::chrono::year_month_day date{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                                         std::chrono::day{static_cast<unsigned>(day)}};
  if (!date.ok()) return kUndated;
  double days = static_cast<double>(std::chrono::sys_days(date).time_since_epoch().count());
  int hour = 0, minute = 0;
  if (value.size() >= 16 && (value[10] == 'T' || value[10] == ' ') && digits(11, 2, &hour) && value[13] == ':' &&
      digits(14, 2, &minute) && hour < 24 && minute < 60) {
    days += (hour * 60 + minute) / 1440.0;
  }
  return days;
}

std::vector<std::uint32_t> AverageLinkClusters(std::size_t n, const std::vector<StoryEdge>& edges,
                                               double threshold, const std::vector<double>& days,
                                               double window_days) {
  struct Cluster {
    std::uint32_t size = 1;
    std::uint32_t version = 0;
    double first_day = kUndated;
    double last_day = kUndated;
    std::unordered_map<std::uint32_t, double> links;  // neighbour cluster -> sum of cross similarities
    std::vector<std::uint32_t> members;
  };
  struct Candidate {
    double linkage;
    std::uint32_t a, b, version_a, version_b;
  };
  auto worse = [](const Candidate& x, const Candidate& y) {  // priority_queue: top = best
    if (x.linkage != y.linkage) return x.linkage < y.linkage;
    if (x.a != y.a) return x.a > y.a;
    return x.b > y.b;
  };
  std::vector<Cluster> clusters(n);
  std::vector<std::uint32_t> owner(n);
  for (std::uint32_t i = 0; i < n; ++i) {
    owner[i] = i;
    clusters[i].members = {i};
    if (i < days.size()) clusters[i].first_day = clusters[i].last_day = days[i];
  }
  for (const StoryEdge& edge : edges) {
    if (edge.a == edge.b || !(edge.similarity > 0)) continue;
    clusters[edge.a].links[edge.b] += edge.similarity;
    clusters[edge.b].links[edge.a] += edge.similarity;
  }
  std::priority_queue<Candidate, std::vector<Candidate>, decltype(worse)> queue(worse);
  auto push = [&](std::uint32_t a, std::uint32_t b, double sum) {
    if (a > b) std::swap(a, b);
    const double linkage = sum / (static_cast<double>(clusters[a].size) * clusters[b].size);
    if (linkage >= threshold) queue.push({linkage, a, b, clusters[a].version, clusters[b].version});
  };
  for (std::uint32_t a = 0; a < n; ++a) {
    for (const auto& [b, sum] : clusters[a].links) {
      if (a < b) push(a, b, sum);
    }
  }
  auto span_ok = [&](const Cluster& x, const Cluster& y) {
    if (window_days <= 0) return true;
    double first = x.first_day, last = x.last_day;
    for (double d : {y.first_day, y.last_day}) {
      if (std::isnan(d)) continue;
      first = std::isnan(first) ? d : std::min(first, d);
      last = std::isnan(last) ? d : std::max(last, d);
    }
    return std::isnan(first) || last - first <= window_days;
  };
  while (!queue.empty()) {
    const Candidate top = queue.top();
    queue.pop();
    Cluster& keep = clusters[top.a];
    Cluster& gone = clusters[top.b];
    if (keep.size == 0 || gone.size == 0 || keep.version != top.version_a || gone.version != top.version_b) continue;
    if (!span_ok(keep, gone)) continue;
    // Merge b into a (a < b, so the kept id stays the smallest member).
    keep.links.erase(top.b);
    for (const auto& [c, sum] : gone.links) {
      if (c == top.a) continue;
      keep.links[c] += sum;
      Cluster& other = clusters[c];
      other.links.erase(top.b);
      other.links[top.a] += sum;
    }
    gone.links.clear();
    for (std::uint32_t member : gone.members) owner[member] = top.a;
    keep.members.insert(keep.members.end(), gone.members.begin(), gone.members.end());
    gone.members.clear();
    keep.size += gone.size;
    gone.size = 0;
    for (double d : {gone.first_day, gone.last_day}) {
      if (std::isnan(d)) continue;
      keep.first_day = std::isnan(keep.first_day) ? d : std::min(keep.first_day, d);
      keep.last_day = std::isnan(keep.last_day) ? d : std::max(keep.last_day, d);
    }
    ++keep.version;
    for (const auto& [c, sum] : keep.links) push(top.a, c, sum);
  }
  return owner;
}

StoryVectors BuildStoryVectors(std::vector<Document>* docs, RunReport* report) {
  const std::size_t n = docs->size();
  const StoryLexicon lexicon;
  tbb::enumerable_thread_specific<TermWorker> term_workers(&lexicon);
  std::uint64_t text_bytes = 0;
  for (const Document& doc : *docs) text_bytes += doc.rejected ? 0 : doc.text.size();

  // 1. Story terms of every document.
  std::vector<std::vector<TermCount>> counts(n);
  {
    StageTimer timer(report, "story_terms");
    timer.set_bytes(text_bytes);
    timer.set_items(n);
    tbb::parallel_for(std::size_t{0}, n, [&](std::size_t i) {
      Document& doc = (*docs)[i];
      if (doc.rejected) return;
      term_workers.local().extractor.Extract(doc.text, &counts[i]);
      if (counts[i].empty()) {
        doc.rejected = RejectReason::kEmpty;
        doc.reject_detail = "no story term (content word, name or number) left after cleaning and stopwords";
      }
    });
  }

  // 2. Document frequencies over the dump, then weights (cluster_story.h: idf with a background
  // prior; the kStoryTopTerms heaviest terms). A term of one document only is kept (at the
  // highest idf): it cannot be shared, but it measures how much of the document is its own.
  StoryVectors out;
  out.terms.resize(n);
  out.totals.assign(n, 0);
  StageTimer timer(report, "idf");
  timer.set_items(n);
  std::uint64_t documents = 0;
  DfTable df;
  for (std::size_t i = 0; i < n; ++i) {
    documents += (*docs)[i].rejected ? 0 : 1;
    for (const TermCount& term : counts[i]) df.Add(term.hash);  // a document lists a term once
  }
  // idf per document frequency (df <= documents), and ln of small term counts: computed once
  // instead of per term (the same expressions, so the same values).
  std::vector<double> idf_of_df(documents + 1);
  for (std::uint64_t d = 0; d <= documents; ++d) idf_of_df[d] = StoryIdf(d, documents + kStoryIdfPriorDocuments);
  std::array<double, 64> log_count{};
  for (std::size_t c = 1; c < log_count.size(); ++c) log_count[c] = std::log(static_cast<double>(c));
  tbb::parallel_for(std::size_t{0}, n, [&](std::size_t i) {
    std::vector<WeightedTerm>& vector = out.terms[i];
    vector.reserve(counts[i].size());
    double total = 0;
    for (const TermCount& term : counts[i]) {
      const double ln_count = term.count < log_count.size() ? log_count[term.count]
                                                            : std::log(static_cast<double>(term.count));
      vector.push_back(WeightedTerm{term.hash, StoryWeightOfLog(term.boost, ln_count, idf_of_df[df.Get(term.hash)])});
    }
    if (vector.size() > kStoryTopTerms) {
      // The heaviest terms; ties go to the smaller hash, so the choice is order-independent.
      auto heavier = [](const WeightedTerm& x, const WeightedTerm& y) {
        return x.weight != y.weight ? x.weight > y.weight : x.hash < y.hash;
      };
      std::nth_element(vector.begin(), vector.begin() + static_cast<std::ptrdiff_t>(kStoryTopTerms), vector.end(),
                       heavier);
      vector.resize(kStoryTopTerms);
      std::sort(vector.begin(), vector.end(),
                [](const WeightedTerm& x, const WeightedTerm& y) { return x.hash < y.hash; });
    }
    for (const WeightedTerm& term : vector) total += term.weight;
    out.totals[i] = total;
    std::vector<TermCount>().swap(counts[i]);
  });
  return out;
}

ClusterResult ClusterStories(std::vector<Document>* docs, const PipelineConfig& config, RunReport* report) {
  const std::size_t n = docs->size();
  ClusterResult result;
  result.representative.resize(n);
  result.similarity.assign(n, 1.0);
  for (std::size_t i = 0; i < n; ++i) result.representative[i] = static_cast<std::uint32_t>(i);
  StoryVectors story = BuildStoryVectors(docs, report);
  const std::vector<std::vector<WeightedTerm>>& vectors = story.terms;
  const std::vector<double>& totals = story.totals;

  // 3. P-MinHash signatures and LSH band keys.
  const LshParams lsh = config.bands > 0 && config.rows > 0
                            ? LshParams{config.bands, config.rows, 0, 0}
                            : ChooseBandsRows(config.threshold * kLshThresholdFraction, config.num_perm);
  report->lsh = lsh;
  const auto k = static_cast<std::size_t>(config.num_perm);
  std::vector<std::uint64_t> band_keys(n * static_cast<std::size_t>(lsh.bands));
  std::vector<std::uint32_t> signatures(n * k);
  std::vector<std::uint8_t> signature_bytes(n * k);  // low byte of each slot (verify's pre-check)
  std::vector<std::uint8_t> eligible(n, 0);
  {
    StageTimer timer(report, "sketch");
    timer.set_items(n);
    const WeightedMinHasher hasher(config.num_perm, config.seed);
    tbb::enumerable_thread_specific<SketchWorker> sketch_workers;
    tbb::parallel_for(std::size_t{0}, n, [&](std::size_t i) {
      if (vectors[i].empty()) return;
      SketchWorker& worker = sketch_workers.local();
      const std::span<std::uint32_t> signature = std::span(signatures).subspan(i * k, k);
      hasher.Sign(vectors[i], &worker.scratch, signature);
      for (std::size_t j = 0; j < k; ++j) {
        signature_bytes[i * k + j] = static_cast<std::uint8_t>(signature[j]);
      }
      BandKeys(signature, lsh, std::span(band_keys).subspan(i * lsh.bands, lsh.bands));
      eligible[i] = 1;
    });
  }
  std::vector<CandidatePair> candidates;
  {
    StageTimer timer(report, "index");
    timer.set_items(n);
    candidates = CandidatePairs(band_keys, lsh.bands, eligible);
  }
  std::vector<std::uint64_t>().swap(band_keys);

  // 4. Exact J_P of every candidate pair, within the time window.
  std::vector<double> days(n, kUndated);
  if (config.window_days > 0) {
    for (std::size_t i = 0; i < n; ++i) days[i] = ParseStoryDate((*docs)[i].time);
  }
  std::vector<StoryEdge> edges;
  {
    StageTimer timer(report, "verify");
    timer.set_items(candidates.size());
    VerifyInputs inputs;
    inputs.candidates = candidates;
    inputs.signatures = signatures;
    inputs.signature_bytes = signature_bytes;
    inputs.k = k;
    inputs.min_equal = MinEqualSlots(config.threshold, k);
    inputs.vectors = &vectors;
    inputs.totals = &totals;
    inputs.days = &days;
    inputs.window_days = config.window_days;
    inputs.floor = kEdgeFloor * config.threshold;
    tbb::enumerable_thread_specific<VerifyWorker> workers;
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, candidates.size()), [&](const auto& range) {
      VerifyRange(inputs, range.begin(), range.end(), &workers.local());
    });
    for (VerifyWorker& worker : workers) edges.insert(edges.end(), worker.kept.begin(), worker.kept.end());
    // Candidate order (candidates are sorted by (a, b) without repeats), whatever the threads did.
    std::sort(edges.begin(), edges.end(),
              [](const StoryEdge& x, const StoryEdge& y) { return x.a != y.a ? x.a < y.a : x.b < y.b; });
  }
  result.candidate_pairs = candidates.size();
  for (const StoryEdge& edge : edges) result.verified_pairs += edge.similarity >= config.threshold ? 1 : 0;

  // 5. Average-link clusters; similarity of each member to its representative.
  std::vector<std::vector<std::uint32_t>> members(n);
  {
    StageTimer timer(report, "cluster");
    timer.set_items(edges.size());
    const std::vector<std::uint32_t> owner =
        AverageLinkClusters(n, edges, config.threshold, days, config.window_days);
    for (std::size_t i = 0; i < n; ++i) {
      if ((*docs)[i].rejected) continue;
      result.representative[i] = owner[i];
      members[owner[i]].push_back(static_cast<std::uint32_t>(i));
    }
    tbb::parallel_for(std::size_t{0}, n, [&](std::size_t i) {
      const std::uint32_t rep = result.representative[i];
      if (rep != i) {
        result.similarity[i] = ExactProbabilityJaccard(vectors[i], totals[i], vectors[rep], totals[rep]);
      }
    });
  }

  // 6. Explanations: the top shared terms of every cluster, in their surface forms.
  {
    StageTimer timer(report, "explain");
    const StoryLexicon lexicon;
    tbb::enumerable_thread_specific<TermWorker> term_workers(&lexicon);
    std::vector<std::uint32_t> reps;
    for (std::uint32_t i = 0; i < n; ++i) {
      if (members[i].size() >= 2) reps.push_back(i);
    }
    timer.set_items(reps.size());
    std::vector<std::vector<std::string>> explained(reps.size());
    tbb::parallel_for(std::size_t{0}, reps.size(), [&](std::size_t r) {
      const std::vector<std::uint32_t>& group = members[reps[r]];
      const std::vector<std::uint64_t> top = TopSharedTerms(group, vectors);
      std::vector<std::string> surface(top.size());
      std::size_t found = 0;
      for (std::uint32_t member : group) {
        if (found == top.size()) break;
        for (const auto& [hash, text] : term_workers.local().extractor.Surfaces((*docs)[member].text, top)) {
          auto it = std::find(top.begin(), top.end(), hash);
          if (it == top.end()) continue;
          std::string& slot = surface[static_cast<std::size_t>(it - top.begin())];
          if (slot.empty()) {
            slot = text;
            ++found;
          }
        }
      }
      explained[r] = std::move(surface);
    });
    for (std::size_t r = 0; r < reps.size(); ++r) result.shared_terms[reps[r]] = std::move(explained[r]);
  }
  return result;
}

}  // namespace neardup
