// The shingle stage: tokens -> sorted shingle hashes (word 5-grams and character 5-grams), and
// the small-key hash under it (XXH3 on token-sized keys of random length), measured for
// throughput and for latency (each hash feeds the next key's offset, xxHash's benchLatency).
// Before timing, word shingles are checked against the definition in shingle.h.
// Word shingles and the clean stage's scan hash words and 5-grams with HashWords and HashWordGram:
// three ways to do it (XXH3 of each word and of each 5-gram's word hashes, as both did before;
// HashWords with AVX-512; HashWords' portable path) are compared on the corpus's words, after the
// two HashWords paths are checked to agree.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <bit>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "bench_inputs.h"
#include "neardup/hash.h"
#include "neardup/normalize.h"
#include "neardup/shingle.h"

namespace neardup::bench {
namespace {

// Tokens of every document, owned (the tokenizer's views do not outlive the next call).
struct TokenizedCorpus {
  std::vector<std::vector<std::string>> owned;
  std::vector<std::vector<std::string_view>> tokens;
  std::uint64_t text_bytes = 0;
};

TokenizedCorpus Tokenize(const std::vector<Document>& docs) {
  TokenizedCorpus corpus;
  Tokenizer tokenizer;
  for (const Document& doc : docs) {
    const auto& tokens = tokenizer.Tokenize(doc.text);
    corpus.owned.emplace_back(tokens.begin(), tokens.end());
    corpus.text_bytes += doc.text.size();
  }
  for (const auto& owned : corpus.owned) corpus.tokens.emplace_back(owned.begin(), owned.end());
  return corpus;
}

// shingle.h's definition, spelled out: each window's token hashes rotated by 13 bits a position,
// xor-ed and finalized (XXH3 over them for windows of over 64 tokens).
std::vector<std::uint64_t> ReferenceWordShingles(const std::vector<std::string_view>& tokens, int n) {
  std::vector<std::uint64_t> out;
  if (tokens.empty()) return out;
  const std::size_t width = std::min<std::size_t>(static_cast<std::size_t>(n), tokens.size());
  std::vector<std::uint64_t> token_hashes(tokens.size());
  HashWordsPortable(tokens, kTokenSeed, token_hashes.data());
  for (std::size_t i = 0; i + width <= tokens.size(); ++i) {
    if (width > 64) {
      out.push_back(Hash64(token_hashes.data() + i, width * sizeof(std::uint64_t), kShingleSeed));
      continue;
    }
    std::uint64_t rotated = 0;
    for (std::size_t j = 0; j < width; ++j) rotated ^= std::rotl(token_hashes[i + j], static_cast<int>(13 * j));
    out.push_back(Fmix64(rotated));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

template <ShingleKind kKind>
void BM_Shingles(benchmark::State& state) {
  const std::vector<Document>* docs = CorpusOrSkip(state);
  if (docs == nullptr) return;
  const TokenizedCorpus corpus = Tokenize(*docs);
  std::vector<std::uint64_t> out;
  std::uint64_t shingles = 0;
  for (const auto& tokens : corpus.tokens) {
    Shingles(tokens, kKind, 5, &out);
    if (kKind == ShingleKind::kWord && out != ReferenceWordShingles(tokens, 5)) {
      state.SkipWithError("word shingles differ from the definition");
      return;
    }
    shingles += out.size();
  }
  for (auto _ : state) {
    for (const auto& tokens : corpus.tokens) {
      Shingles(tokens, kKind, 5, &out);
      benchmark::DoNotOptimize(out.data());
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * corpus.text_bytes));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * docs->size()));
  state.counters["shingles/s"] = benchmark::Counter(static_cast<double>(state.iterations() * shingles),
                                                    benchmark::Counter::kIsRate);
}

BENCHMARK_TEMPLATE(BM_Shingles, ShingleKind::kWord)->Apply(CorpusArgs);
BENCHMARK_TEMPLATE(BM_Shingles, ShingleKind::kChar)->Apply(CorpusArgs);

enum class WordHashing { kXxh3, kHashWords, kHashWordsPortable };

// A document's word hashes and word 5-gram hashes, unsorted (kXxh3: by XXH3).
template <WordHashing kHashing>
void HashWordsAndGrams(std::span<const std::string_view> words, std::vector<std::uint64_t>* word_hashes,
                       std::vector<std::uint64_t>* grams) {
  word_hashes->resize(words.size());
  grams->resize(words.size() < 5 ? 0 : words.size() - 4);
  if constexpr (kHashing == WordHashing::kXxh3) {
    for (std::size_t w = 0; w < words.size(); ++w) (*word_hashes)[w] = Hash64(words[w], kTokenSeed);
    for (std::size_t g = 0; g < grams->size(); ++g) {
      (*grams)[g] = Hash64(word_hashes->data() + g, 5 * sizeof(std::uint64_t), kShingleSeed);
    }
    return;
  } else if constexpr (kHashing == WordHashing::kHashWords) {
    HashWords(words, kTokenSeed, word_hashes->data());
  } else {
    HashWordsPortable(words, kTokenSeed, word_hashes->data());
  }
  for (std::size_t g = 0; g < grams->size(); ++g) (*grams)[g] = HashWordGram(word_hashes->data() + g, 5);
}

template <WordHashing kHashing>
void BM_ScanWordHashing(benchmark::State& state) {
  const std::vector<Document>* docs = CorpusOrSkip(state);
  if (docs == nullptr) return;
  const TokenizedCorpus corpus = Tokenize(*docs);
  std::vector<std::uint64_t> word_hashes, grams, expected_words, expected_grams;
  std::uint64_t words = 0;
  for (const auto& tokens : corpus.tokens) {
    HashWordsAndGrams<kHashing>(tokens, &word_hashes, &grams);
    HashWordsAndGrams<WordHashing::kHashWordsPortable>(tokens, &expected_words, &expected_grams);
    if (kHashing != WordHashing::kXxh3 && (word_hashes != expected_words || grams != expected_grams)) {
      state.SkipWithError("HashWords differs from its portable path");
      return;
    }
    words += tokens.size();
  }
  for (auto _ : state) {
    for (const auto& tokens : corpus.tokens) {
      HashWordsAndGrams<kHashing>(tokens, &word_hashes, &grams);
      benchmark::DoNotOptimize(grams.data());
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * corpus.text_bytes));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * words));
  state.counters["avx512"] = HashWordsUsesAvx512() ? 1 : 0;
}

BENCHMARK_TEMPLATE(BM_ScanWordHashing, WordHashing::kXxh3)->Apply(CorpusArgs);
BENCHMARK_TEMPLATE(BM_ScanWordHashing, WordHashing::kHashWords)->Apply(CorpusArgs);
BENCHMARK_TEMPLATE(BM_ScanWordHashing, WordHashing::kHashWordsPortable)->Apply(CorpusArgs);

// Random keys of 1..max_length bytes out of one buffer, as tokens are.
struct KeySet {
  std::string buffer;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> keys;  // offset, length
  std::uint64_t bytes = 0;
};

KeySet RandomKeys(int max_length) {
  KeySet set;
  std::mt19937_64 random(7);
  set.buffer.resize(1 << 20);
  for (char& c : set.buffer) c = static_cast<char>(random());
  for (int i = 0; i < 4096; ++i) {
    const auto length = static_cast<std::uint32_t>(1 + random() % static_cast<std::uint64_t>(max_length));
    const auto offset = static_cast<std::uint32_t>(random() % (set.buffer.size() - length));
    set.keys.emplace_back(offset, length);
    set.bytes += length;
  }
  return set;
}

void BM_TokenHashThroughput(benchmark::State& state) {
  const KeySet set = RandomKeys(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    for (const auto& [offset, length] : set.keys) {
      benchmark::DoNotOptimize(Hash64(set.buffer.data() + offset, length, kTokenSeed));
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * set.bytes));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * set.keys.size()));
}
BENCHMARK(BM_TokenHashThroughput)->ArgName("max_len")->Arg(16)->Arg(64);

void BM_TokenHashLatency(benchmark::State& state) {
  const KeySet set = RandomKeys(static_cast<int>(state.range(0)));
  std::uint64_t previous = 0;
  for (auto _ : state) {
    for (const auto& [offset, length] : set.keys) {
      // The previous hash shifts this key by 0 or 1 byte: the calls cannot overlap.
      previous = Hash64(set.buffer.data() + offset + (previous & 1), length, kTokenSeed);
    }
    benchmark::DoNotOptimize(previous);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * set.bytes));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * set.keys.size()));
}
BENCHMARK(BM_TokenHashLatency)->ArgName("max_len")->Arg(16)->Arg(64);

}  // namespace
}  // namespace neardup::bench
