// The cluster stage (copy mode): candidate pairs -> exact-Jaccard verification -> union-find
// clusters. Before timing, the representatives must equal a reference: BFS components of the
// verified edges, each represented by its lowest ordinal.
#include <benchmark/benchmark.h>

#include <tbb/task_arena.h>

#include <queue>
#include <vector>

#include "bench_inputs.h"
#include "neardup/cluster_verify.h"
#include "neardup/index_lsh.h"
#include "neardup/normalize.h"
#include "neardup/shingle.h"
#include "neardup/sketch_minhash.h"

namespace neardup::bench {
namespace {

constexpr double kThreshold = 0.7;

struct Features {
  std::vector<std::vector<std::uint64_t>> sets;
  std::vector<CandidatePair> candidates;
};

Features Build(const std::vector<Document>& docs) {
  Features out;
  const LshParams lsh = ChooseBandsRows(kThreshold, 128);
  const MinHasher hasher(128, 1);
  Tokenizer tokenizer;
  std::vector<std::uint32_t> signature(128);
  std::vector<std::uint64_t> keys(docs.size() * static_cast<std::size_t>(lsh.bands));
  std::vector<std::uint8_t> eligible;
  for (std::size_t i = 0; i < docs.size(); ++i) {
    out.sets.emplace_back();
    Shingles(tokenizer.Tokenize(docs[i].text), ShingleKind::kWord, 5, &out.sets.back());
    eligible.push_back(out.sets.back().empty() ? 0 : 1);
    hasher.Sign(out.sets.back(), signature);
    BandKeys(signature, lsh, std::span(keys).subspan(i * lsh.bands, lsh.bands));
  }
  out.candidates = CandidatePairs(keys, lsh.bands, eligible);
  return out;
}

std::vector<std::uint32_t> ReferenceRepresentatives(const Features& features) {
  const std::size_t n = features.sets.size();
  std::vector<std::vector<std::uint32_t>> adjacent(n);
  for (const auto& [a, b] : features.candidates) {
    if (ExactJaccard(features.sets[a], features.sets[b]) >= kThreshold) {
      adjacent[a].push_back(b);
      adjacent[b].push_back(a);
    }
  }
  std::vector<std::uint32_t> representative(n, UINT32_MAX);
  for (std::uint32_t start = 0; start < n; ++start) {
    if (representative[start] != UINT32_MAX) continue;
    std::queue<std::uint32_t> queue;
    queue.push(start);
    representative[start] = start;  // visited in ordinal order: start is the component's lowest
    while (!queue.empty()) {
      const std::uint32_t doc = queue.front();
      queue.pop();
      for (std::uint32_t next : adjacent[doc]) {
        if (representative[next] == UINT32_MAX) {
          representative[next] = start;
          queue.push(next);
        }
      }
    }
  }
  return representative;
}

void BM_ClusterCopies(benchmark::State& state) {
  const std::vector<Document>* docs = CorpusOrSkip(state);
  if (docs == nullptr) return;
  const Features features = Build(*docs);
  tbb::task_arena arena(static_cast<int>(state.range(1)));
  ClusterResult result;
  arena.execute([&] { result = ClusterCopies(features.sets, features.candidates, kThreshold); });
  if (result.representative != ReferenceRepresentatives(features)) {
    state.SkipWithError("representatives differ from the BFS reference");
    return;
  }
  for (auto _ : state) {
    arena.execute([&] { result = ClusterCopies(features.sets, features.candidates, kThreshold); });
    benchmark::DoNotOptimize(result.representative.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * TextBytes(*docs)));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * docs->size()));
  state.counters["pairs"] = static_cast<double>(features.candidates.size());
  state.counters["verified"] = static_cast<double>(result.verified_pairs);
}
BENCHMARK(BM_ClusterCopies)->Apply(CorpusThreadArgs);

}  // namespace
}  // namespace neardup::bench
