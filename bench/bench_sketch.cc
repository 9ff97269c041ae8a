// The sketch stage: shingle sets -> 128-slot signatures. Variants in one binary, compared as
// ratios: k-permutation MinHash with 64-bit multiply-add-shift (the best kernel of the CPU, and
// the AVX2 and portable kernels; the clean stage signs 16 slots with it), with 32-bit multiply-add, and one-permutation hashing with optimal
// densification. Before timing, each variant is checked against its definition (bit-exact) or,
// for OPH, against exact Jaccard on random pairs; all variants must pass the statistical check.
#include <benchmark/benchmark.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "bench_inputs.h"
#include "neardup/hash.h"
#include "neardup/normalize.h"
#include "neardup/shingle.h"
#include "neardup/sketch_minhash.h"

namespace neardup::bench {
namespace {

constexpr int kNumPerm = 128;
constexpr std::uint64_t kSeed = 1;

enum class Variant { kKPerm64, kKPerm64Avx2, kKPerm64Portable, kKPerm32, kOnePermutation };

// Shingle sets of a corpus (word 5-grams), built once.
const std::vector<std::vector<std::uint64_t>>& ShingleSets(BenchCorpus corpus) {
  auto build = [](BenchCorpus c) {
    std::vector<std::vector<std::uint64_t>> sets;
    Tokenizer tokenizer;
    for (const Document& doc : BenchDocuments(c)) {
      sets.emplace_back();
      Shingles(tokenizer.Tokenize(doc.text), ShingleKind::kWord, 5, &sets.back());
    }
    return sets;
  };
  switch (corpus) {
    case BenchCorpus::kSynthArabic: {
      static const auto kSets = build(corpus);
      return kSets;
    }
    case BenchCorpus::kSynthEnglish: {
      static const auto kSets = build(corpus);
      return kSets;
    }
    case BenchCorpus::kSaudiNewsNet:
      break;
  }
  static const auto kSets = build(BenchCorpus::kSaudiNewsNet);
  return kSets;
}

class Signer {
 public:
  explicit Signer(Variant variant)
      : variant_(variant), k64_(kNumPerm, kSeed), k32_(kNumPerm, kSeed), oph_(kNumPerm, kSeed) {}
  void Sign(std::span<const std::uint64_t> set, std::span<std::uint32_t> out) const {
    switch (variant_) {
      case Variant::kKPerm64:
        k64_.Sign(set, out);
        return;
      case Variant::kKPerm64Avx2:
        k64_.SignWith(MinHasher::Kernel::kAvx2, set, out);
        return;
      case Variant::kKPerm64Portable:
        k64_.SignPortable(set, out);
        return;
      case Variant::kKPerm32:
        k32_.Sign(set, out);
        return;
      case Variant::kOnePermutation:
        oph_.Sign(set, out);
        return;
    }
  }
  int kernel() const { return static_cast<int>(k64_.kernel()); }

 private:
  Variant variant_;
  MinHasher k64_;
  MinHasher32 k32_;
  OnePermutationHasher oph_;
};

// The definitions of the k-permutation families, slot by slot, with the constants drawn as the
// header documents them.
std::vector<std::uint32_t> ReferenceSignature(Variant variant, std::span<const std::uint64_t> set) {
  std::vector<std::uint32_t> out(kNumPerm, UINT32_MAX);
  std::uint64_t state = kSeed;
  for (int i = 0; i < kNumPerm; ++i) {
    const std::uint64_t a = SplitMix64(state) | 1u;
    const std::uint64_t b = SplitMix64(state);
    for (const std::uint64_t x : set) {
      std::uint32_t value = 0;
      if (variant == Variant::kKPerm32) {
        const auto x32 = static_cast<std::uint32_t>(x ^ (x >> 32));
        value = static_cast<std::uint32_t>(a) * x32 + static_cast<std::uint32_t>(b);
      } else {
        value = static_cast<std::uint32_t>((a * x + b) >> 32);
      }
      out[i] = std::min(out[i], value);
    }
  }
  return out;
}

// Estimates on 1000 random pairs: at most 2% outside 3 sd of exact Jaccard, mean error < 0.01.
std::string StatisticalCheck(const Signer& signer) {
  std::mt19937_64 random(42);
  std::vector<std::uint32_t> sig_a(kNumPerm), sig_b(kNumPerm);
  int outside = 0;
  double total_error = 0;
  const int pairs = 1000;
  for (int trial = 0; trial < pairs; ++trial) {
    std::vector<std::uint64_t> a, b;
    const std::size_t common = 1 + random() % 400;
    for (std::size_t i = 0; i < common; ++i) {
      const std::uint64_t x = random();
      a.push_back(x);
      b.push_back(x);
    }
    for (std::size_t i = random() % 300; i > 0; --i) a.push_back(random());
    for (std::size_t i = random() % 300; i > 0; --i) b.push_back(random());
    SortUnique(&a);
    SortUnique(&b);
    const double exact = ExactJaccard(a, b);
    signer.Sign(a, sig_a);
    signer.Sign(b, sig_b);
    const double error = EstimateJaccard(sig_a, sig_b) - exact;
    const double sd = std::sqrt(std::max(exact * (1 - exact), 1e-4) / kNumPerm);
    if (std::abs(error) > 3 * sd + 0.5 / kNumPerm) ++outside;
    total_error += error;
  }
  if (outside > pairs / 50) return std::to_string(outside) + " of 1000 estimates outside 3 sd";
  if (std::abs(total_error / pairs) > 0.01) return "biased: mean error " + std::to_string(total_error / pairs);
  return {};
}

template <Variant kVariant>
void BM_Sign(benchmark::State& state) {
  const std::vector<Document>* docs = CorpusOrSkip(state);
  if (docs == nullptr) return;
  const auto& sets = ShingleSets(static_cast<BenchCorpus>(state.range(0)));
  if (kVariant == Variant::kKPerm64Avx2 && !MinHasher::HasKernel(MinHasher::Kernel::kAvx2)) {
    state.SkipWithError("this CPU has no AVX2");
    return;
  }
  const Signer signer(kVariant);
  std::vector<std::uint32_t> signature(kNumPerm);
  if (kVariant != Variant::kOnePermutation) {
    for (std::size_t i = 0; i < std::min<std::size_t>(sets.size(), 100); ++i) {
      signer.Sign(sets[i], signature);
      if (signature != ReferenceSignature(kVariant, sets[i])) {
        state.SkipWithError("signature differs from the definition");
        return;
      }
    }
  }
  if (const std::string failure = StatisticalCheck(signer); !failure.empty()) {
    state.SkipWithError(failure.c_str());
    return;
  }
  std::uint64_t shingles = 0;
  for (const auto& set : sets) shingles += set.size();
  for (auto _ : state) {
    for (const auto& set : sets) {
      signer.Sign(set, signature);
      benchmark::DoNotOptimize(signature.data());
    }
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * TextBytes(*docs)));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * shingles));
  state.counters["docs/s"] = benchmark::Counter(static_cast<double>(state.iterations() * sets.size()),
                                                benchmark::Counter::kIsRate);
  // The kernel of Sign(): 0 portable, 1 AVX2, 2 AVX-512.
  state.counters["kernel"] = signer.kernel();
}

BENCHMARK_TEMPLATE(BM_Sign, Variant::kKPerm64)->Apply(CorpusArgs);
BENCHMARK_TEMPLATE(BM_Sign, Variant::kKPerm64Avx2)->Apply(CorpusArgs);
BENCHMARK_TEMPLATE(BM_Sign, Variant::kKPerm64Portable)->Apply(CorpusArgs);
BENCHMARK_TEMPLATE(BM_Sign, Variant::kKPerm32)->Apply(CorpusArgs);
BENCHMARK_TEMPLATE(BM_Sign, Variant::kOnePermutation)->Apply(CorpusArgs);

}  // namespace
}  // namespace neardup::bench
