// The index stage: signatures -> band keys -> candidate pairs (LSH banding). Before timing, the
// candidate pairs must equal a reference built from the definition in index_lsh.h with a plain
// std::map of buckets (every pair inside a bucket of at most kMaxBucketPairs documents).
#include <benchmark/benchmark.h>

#include <tbb/task_arena.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <vector>

#include "bench_inputs.h"
#include "neardup/index_lsh.h"
#include "neardup/normalize.h"
#include "neardup/shingle.h"
#include "neardup/sketch_minhash.h"

namespace neardup::bench {
namespace {

struct Signatures {
  LshParams lsh;
  std::vector<std::uint32_t> slots;  // n rows of 128
  std::vector<std::uint8_t> eligible;
};

Signatures Sign(const std::vector<Document>& docs) {
  Signatures out;
  out.lsh = ChooseBandsRows(0.7, 128);
  const MinHasher hasher(128, 1);
  Tokenizer tokenizer;
  std::vector<std::uint64_t> shingles;
  out.slots.resize(docs.size() * 128);
  for (std::size_t i = 0; i < docs.size(); ++i) {
    Shingles(tokenizer.Tokenize(docs[i].text), ShingleKind::kWord, 5, &shingles);
    out.eligible.push_back(shingles.empty() ? 0 : 1);
    hasher.Sign(shingles, std::span(out.slots).subspan(i * 128, 128));
  }
  return out;
}

std::vector<CandidatePair> ReferencePairs(std::span<const std::uint64_t> keys, int bands,
                                          const std::vector<std::uint8_t>& eligible) {
  std::set<CandidatePair> pairs;
  for (int band = 0; band < bands; ++band) {
    std::map<std::uint64_t, std::vector<std::uint32_t>> buckets;
    for (std::size_t doc = 0; doc < eligible.size(); ++doc) {
      if (eligible[doc] != 0) buckets[keys[doc * bands + band]].push_back(static_cast<std::uint32_t>(doc));
    }
    for (const auto& [key, members] : buckets) {
      if (members.size() > kMaxBucketPairs) return {};  // the star-and-chain case: not checked here
      for (std::size_t i = 0; i < members.size(); ++i) {
        for (std::size_t j = i + 1; j < members.size(); ++j) pairs.emplace(members[i], members[j]);
      }
    }
  }
  return {pairs.begin(), pairs.end()};
}

void BM_Index(benchmark::State& state) {
  const std::vector<Document>* docs = CorpusOrSkip(state);
  if (docs == nullptr) return;
  const Signatures signatures = Sign(*docs);
  const LshParams& lsh = signatures.lsh;
  const std::size_t n = docs->size();
  std::vector<std::uint64_t> keys(n * static_cast<std::size_t>(lsh.bands));
  tbb::task_arena arena(static_cast<int>(state.range(1)));
  auto run = [&] {
    for (std::size_t i = 0; i < n; ++i) {
      BandKeys(std::span(signatures.slots).subspan(i * 128, 128), lsh,
               std::span(keys).subspan(i * lsh.bands, lsh.bands));
    }
    std::vector<CandidatePair> pairs;
    arena.execute([&] { pairs = CandidatePairs(keys, lsh.bands, signatures.eligible); });
    return pairs;
  };
  const std::vector<CandidatePair> pairs = run();
  const std::vector<CandidatePair> expected = ReferencePairs(keys, lsh.bands, signatures.eligible);
  if (!expected.empty() && pairs != expected) {
    state.SkipWithError("candidate pairs differ from the reference");
    return;
  }
  for (auto _ : state) benchmark::DoNotOptimize(run().data());
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * TextBytes(*docs)));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
  state.counters["pairs"] = static_cast<double>(pairs.size());
  state.counters["bands"] = lsh.bands;
  state.counters["rows"] = lsh.rows;
}
BENCHMARK(BM_Index)->Apply(CorpusThreadArgs);

// Story mode's shape at 1 GB: 250,000 documents, 28 bands of one row, buckets of about 18
// documents, so about 60 million pairs (story mode's index at 1 GB finds 62 million). Checked
// against every bucket's pairs collected, std::sorted and made unique.
void BM_IndexManyPairs(benchmark::State& state) {
  constexpr std::size_t kDocs = 250'000;
  constexpr int kBands = 28;
  std::mt19937_64 random(29);
  std::vector<std::uint64_t> keys(kDocs * kBands);
  for (std::uint64_t& key : keys) key = random() % (kDocs / 18);
  const std::vector<std::uint8_t> eligible(kDocs, 1);
  tbb::task_arena arena(static_cast<int>(state.range(0)));
  std::vector<CandidatePair> pairs;
  arena.execute([&] { pairs = CandidatePairs(keys, kBands, eligible); });
  std::vector<CandidatePair> expected;
  for (int band = 0; band < kBands; ++band) {
    std::vector<std::pair<std::uint64_t, std::uint32_t>> entries;
    for (std::uint32_t doc = 0; doc < kDocs; ++doc) entries.emplace_back(keys[doc * kBands + band], doc);
    std::sort(entries.begin(), entries.end());
    for (std::size_t begin = 0, end = 0; begin < entries.size(); begin = end) {
      while (end < entries.size() && entries[end].first == entries[begin].first) ++end;
      if (end - begin > kMaxBucketPairs) continue;  // star and chain: none at this bucket size
      for (std::size_t i = begin; i < end; ++i) {
        for (std::size_t j = i + 1; j < end; ++j) expected.emplace_back(entries[i].second, entries[j].second);
      }
    }
  }
  std::sort(expected.begin(), expected.end());
  expected.erase(std::unique(expected.begin(), expected.end()), expected.end());
  if (pairs != expected) {
    state.SkipWithError("candidate pairs differ from the reference");
    return;
  }
  std::vector<CandidatePair>().swap(expected);
  for (auto _ : state) {
    std::vector<CandidatePair>().swap(pairs);
    arena.execute([&] { pairs = CandidatePairs(keys, kBands, eligible); });
    benchmark::DoNotOptimize(pairs.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * pairs.size()));
  state.counters["pairs"] = static_cast<double>(pairs.size());
}
BENCHMARK(BM_IndexManyPairs)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace neardup::bench
