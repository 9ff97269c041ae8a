#include "neardup/sketch_weighted.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "neardup/hash.h"

namespace neardup {
namespace {

// A small, fast generator seeded per feature (wyrand, Wang Yi); the stream depends only on the
// seed, so every document draws the same values for the same feature.
class FeatureRandom {
 public:
  explicit FeatureRandom(std::uint64_t seed) : state_(seed) {}
  std::uint64_t Next() {
    state_ += 0xa0761d6478bd642full;
    const __uint128_t product = static_cast<__uint128_t>(state_) * (state_ ^ 0xe7037ed1a0b428dbull);
    return static_cast<std::uint64_t>(product >> 64) ^ static_cast<std::uint64_t>(product);
  }
  // Exp(1): -ln of a uniform in (0, 1] built from the top 53 bits.
  double Exponential() {
    const double u = (static_cast<double>(Next() >> 11) + 1.0) * 0x1.0p-53;
    return -std::log(u);
  }
  // Uniform in [0, range) (Lemire's multiply-shift; the bias is below 2^-32 for our ranges).
  std::uint32_t Below(std::uint32_t range) {
    return static_cast<std::uint32_t>((static_cast<__uint128_t>(Next()) * range) >> 64);
  }

 private:
  std::uint64_t state_;
};

constexpr double kInfinity = std::numeric_limits<double>::infinity();

// Sign's first-pass bound, in units of the expected maximum H_k / total weight. Tuned on news
// (generated and real Arabic): 1.4 generates the fewest values in all, second passes included,
// 35% fewer than one unbounded pass; 1.2 and 1.6 are within 3% of it.
constexpr double kFirstPassSlack = 1.4;

}  // namespace

WeightedMinHasher::WeightedMinHasher(int num_perm, std::uint64_t seed) : num_perm_(num_perm), seed_(seed) {
  for (int i = 1; i <= num_perm; ++i) harmonic_k_ += 1.0 / i;
}

void WeightedMinHasher::Sign(std::span<const WeightedTerm> terms, Scratch* scratch,
                             std::span<std::uint32_t> signature) const {
  const auto k = static_cast<std::uint32_t>(num_perm_);
  // Max-tracker: a complete binary tree whose leaves k..2k-1 hold the slot values and whose
  // inner nodes hold the max of their children; tree[1] is the signature's current maximum.
  std::vector<double>& tree = scratch->tree;
  tree.assign(2 * static_cast<std::size_t>(k), kInfinity);
  scratch->owner.assign(k, 0);
  if (scratch->permutation.size() != k) {
    scratch->permutation.assign(k, 0);
    scratch->stamp.assign(k, 0);
    scratch->epoch = 0;
  }
  // Heaviest features first (ProbMinHash's advice): their values are the smallest, so the
  // maximum drops early and lighter features stop after few values. The result does not depend
  // on the order: each slot gets the feature with the smallest value, ties to the smaller hash.
  std::vector<WeightedTerm>& order = scratch->order;
  order.clear();
  double total_weight = 0;
  for (const WeightedTerm& term : terms) {
    if (!(term.weight > 0)) continue;
    order.push_back(term);
    total_weight += static_cast<double>(term.weight);
  }
  std::sort(order.begin(), order.end(), [](const WeightedTerm& a, const WeightedTerm& b) {
    return a.weight != b.weight ? a.weight > b.weight : a.hash < b.hash;
  });
  // First pass: only values up to `bound`, so features stop near the final maximum instead of
  // the higher maxima of the first features. When every slot got a value, the maximum is <= bound,
  // so no value past the bound could have won or tied: the signature is final. Otherwise (a slot
  // value is Exp(total weight), so a slot stays empty with probability exp(-slack * H_k): about 6%
  // of signatures at k = 128, expected) a second pass without bound completes it, from the same
  // values.
  const double bound = kFirstPassSlack * harmonic_k_ / total_weight;
  for (const WeightedTerm& term : order) SignFeature(term, bound, scratch);
  if (k > 0 && !(tree[1] <= bound)) {
    for (const WeightedTerm& term : order) SignFeature(term, kInfinity, scratch);
  }
  for (std::uint32_t j = 0; j < k; ++j) {
    if (order.empty()) {
      signature[j] = std::numeric_limits<std::uint32_t>::max();
    } else {
      std::uint64_t state = scratch->owner[j];
      signature[j] = static_cast<std::uint32_t>(SplitMix64(state) >> 32);
    }
  }
}

void WeightedMinHasher::SignFeature(const WeightedTerm& term, double bound, Scratch* scratch) const {
  const auto k = static_cast<std::uint32_t>(num_perm_);
  if (++scratch->epoch == 0) {  // stamps wrapped: clear them once every 2^32 features
    std::fill(scratch->stamp.begin(), scratch->stamp.end(), 0);
    scratch->epoch = 1;
  }
  const std::uint32_t epoch = scratch->epoch;
  // Plain pointers: the compiler need not reload the vectors' data after every store.
  double* const tree = scratch->tree.data();
  std::uint64_t* const owner = scratch->owner.data();
  std::uint32_t* const permutation = scratch->permutation.data();
  std::uint32_t* const stamp = scratch->stamp.data();
  // permutation[j] is j unless stamped in this epoch (a lazily reset Fisher-Yates shuffle).
  auto slot_at = [&](std::uint32_t j) { return stamp[j] == epoch ? permutation[j] : j; };
  FeatureRandom random(term.hash ^ seed_ * 0x9e3779b97f4a7c15ull);
  const double rate = static_cast<double>(term.weight);
  double value = 0;
  for (std::uint32_t i = 0; i < k; ++i) {
    // The i-th smallest of k Exp(rate) values: spacings Exp(1) / (rate * (k - i)).
    value += random.Exponential() / (rate * static_cast<double>(k - i));
    // Later values are >= this one, so none can beat (or tie) a slot once it exceeds the max.
    if (value > std::min(bound, tree[1])) break;
    const std::uint32_t pick = i + random.Below(k - i);
    const std::uint32_t slot = slot_at(pick);
    permutation[pick] = slot_at(i);
    stamp[pick] = epoch;
    // position i now holds `slot`; no later step reads position i again
    std::size_t node = k + slot;
    if (value < tree[node] || (value == tree[node] && term.hash < owner[slot])) {
      tree[node] = value;
      owner[slot] = term.hash;
      for (node >>= 1; node >= 1; node >>= 1) {
        const double larger = std::max(tree[2 * node], tree[2 * node + 1]);
        if (tree[node] == larger) break;
        tree[node] = larger;
      }
    }
  }
}

void WeightedMinHasher::SignByDefinition(std::span<const WeightedTerm> terms,
                                         std::span<std::uint32_t> signature) const {
  const auto k = static_cast<std::uint32_t>(num_perm_);
  std::vector<double> best(k, kInfinity);
  std::vector<std::uint64_t> owner(k, 0);
  std::vector<std::uint32_t> slots(k);
  bool any = false;
  for (const WeightedTerm& term : terms) {
    if (!(term.weight > 0)) continue;
    any = true;
    for (std::uint32_t j = 0; j < k; ++j) slots[j] = j;
    FeatureRandom random(term.hash ^ seed_ * 0x9e3779b97f4a7c15ull);
    const double rate = static_cast<double>(term.weight);
    double value = 0;
    for (std::uint32_t i = 0; i < k; ++i) {
      value += random.Exponential() / (rate * static_cast<double>(k - i));
      const std::uint32_t pick = i + random.Below(k - i);
      std::swap(slots[i], slots[pick]);
      const std::uint32_t slot = slots[i];
      if (value < best[slot] || (value == best[slot] && term.hash < owner[slot])) {
        best[slot] = value;
        owner[slot] = term.hash;
      }
    }
  }
  for (std::uint32_t j = 0; j < k; ++j) {
    std::uint64_t state = owner[j];
    signature[j] = any ? static_cast<std::uint32_t>(SplitMix64(state) >> 32)
                       : std::numeric_limits<std::uint32_t>::max();
  }
}

double ExactProbabilityJaccard(std::span<const WeightedTerm> a, double total_a,
                               std::span<const WeightedTerm> b, double total_b,
                               std::vector<SharedWeights>* scratch, double skip_below) {
  // The same rounding whichever argument comes first: a is the vector with the smaller total.
  if (total_b < total_a) return ExactProbabilityJaccard(b, total_b, a, total_a, scratch, skip_below);
  using Shared = SharedWeights;
  std::vector<Shared> local;
  std::vector<Shared>& shared = scratch != nullptr ? *scratch : local;
  shared.clear();
  double shared_x = 0;
  double shared_y = 0;
  std::size_t i = 0;
  std::size_t j = 0;
  // Branch-light merge: advance the side(s) holding the smaller hash.
  while (i < a.size() && j < b.size()) {
    const std::uint64_t ha = a[i].hash;
    const std::uint64_t hb = b[j].hash;
    if (ha == hb && a[i].weight > 0 && b[j].weight > 0) {
      shared.push_back({a[i].weight, b[j].weight});
      shared_x += a[i].weight;
      shared_y += b[j].weight;
    }
    i += ha <= hb ? 1 : 0;
    j += hb <= ha ? 1 : 0;
  }
  if (shared.empty()) return 0;
  if (skip_below > 0 && total_a > 0 && total_b > 0) {
    double bound = 0;
    for (const Shared& t : shared) bound += std::min(t.x / total_a, t.y / total_b);
    if (bound < skip_below) return bound;
  }
  // For shared i: sum_j max(x_j/x_i, y_j/y_i) = (X_only + sum_{r_j <= r_i} x_j) / x_i
  //                                             + (Y_only + sum_{r_j > r_i} y_j) / y_i,
  // with r = y / x; terms only in a have r = 0, terms only in b have r = infinity.
  std::sort(shared.begin(), shared.end(), [](const Shared& p, const Shared& q) {
    const double lhs = p.y * q.x;
    const double rhs = q.y * p.x;
    if (lhs != rhs) return lhs < rhs;
    return p.x < q.x || (p.x == q.x && p.y < q.y);
  });
  const double x_only = std::max(0.0, total_a - shared_x);
  const double y_only = std::max(0.0, total_b - shared_y);
  double prefix_x = 0;
  double suffix_y = shared_y;
  double sum = 0;
  for (const Shared& s : shared) {
    prefix_x += s.x;
    suffix_y -= s.y;
    sum += 1.0 / ((x_only + prefix_x) / s.x + (y_only + std::max(0.0, suffix_y)) / s.y);
  }
  return std::min(1.0, sum);
}

double ProbabilityJaccardByDefinition(std::span<const WeightedTerm> a, std::span<const WeightedTerm> b) {
  std::map<std::uint64_t, std::pair<double, double>> union_terms;
  for (const WeightedTerm& t : a) union_terms[t.hash].first = t.weight;
  for (const WeightedTerm& t : b) union_terms[t.hash].second = t.weight;
  double result = 0;
  for (const auto& [hash, xi] : union_terms) {
    if (!(xi.first > 0 && xi.second > 0)) continue;
    double denominator = 0;
    for (const auto& [other, xj] : union_terms) {
      denominator += std::max(xj.first / xi.first, xj.second / xi.second);
    }
    result += 1.0 / denominator;
  }
  return result;
}

double WeightedJaccard(std::span<const WeightedTerm> a, std::span<const WeightedTerm> b) {
  double low = 0;
  double high = 0;
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < a.size() || j < b.size()) {
    if (j == b.size() || (i < a.size() && a[i].hash < b[j].hash)) {
      high += a[i++].weight;
    } else if (i == a.size() || b[j].hash < a[i].hash) {
      high += b[j++].weight;
    } else {
      low += std::min(a[i].weight, b[j].weight);
      high += std::max(a[i].weight, b[j].weight);
      ++i;
      ++j;
    }
  }
  return high > 0 ? low / high : 0;
}

double EstimateProbabilityJaccard(std::span<const std::uint32_t> a, std::span<const std::uint32_t> b) {
  if (a.empty() || a.size() != b.size()) return 0;
  std::size_t equal = 0;
  for (std::size_t i = 0; i < a.size(); ++i) equal += a[i] == b[i];
  return static_cast<double>(equal) / static_cast<double>(a.size());
}

}  // namespace neardup
