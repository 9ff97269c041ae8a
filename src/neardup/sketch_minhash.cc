#include "neardup/sketch_minhash.h"

#include <immintrin.h>

#include <algorithm>
#include <limits>
#include <memory>

#include "neardup/error.h"
#include "neardup/hash.h"

namespace neardup {
namespace {

constexpr std::uint32_t kEmptySlot = std::numeric_limits<std::uint32_t>::max();

// The definition, slot by slot; compiled for the baseline ISA.
void SignSlotsPortable(const std::uint64_t* shingles, std::size_t count, const std::uint64_t* multipliers,
                       const std::uint64_t* increments, std::uint32_t* slots, std::size_t num_perm) {
  for (std::size_t s = 0; s < count; ++s) {
    const std::uint64_t x = shingles[s];
    for (std::size_t i = 0; i < num_perm; ++i) {
      const auto value = static_cast<std::uint32_t>((multipliers[i] * x + increments[i]) >> 32);
      slots[i] = value < slots[i] ? value : slots[i];
    }
  }
}

// AVX2 has no 64x64-bit multiply, but only the high 32 bits of a*x+b (mod 2^64) are needed:
// with a = aH 2^32 + aL and x = xH 2^32 + xL they are
//   hi32(aL*xL + b) + (aL*xH + aH*xL)   (mod 2^32),
// one 32x32->64 product (vpmuludq, even and odd slots) plus two 32-bit products (vpmulld).
// Eight slots per step; each group of eight keeps its minimum in a register over all shingles.
// Slots past the last full group take the portable loop. Same integers, so same signatures.
__attribute__((target("avx2"))) void SignSlotsAvx2(const std::uint64_t* shingles, std::size_t count,
                                                   const std::uint64_t* multipliers,
                                                   const std::uint64_t* increments, std::uint32_t* slots,
                                                   std::size_t num_perm) {
  const std::size_t groups = num_perm / 8;
  for (std::size_t g = 0; g < groups; ++g) {
    const std::uint64_t* a = multipliers + g * 8;
    const std::uint64_t* b = increments + g * 8;
    const __m256i a_even = _mm256_setr_epi64x(static_cast<long long>(a[0]), static_cast<long long>(a[2]),
                                              static_cast<long long>(a[4]), static_cast<long long>(a[6]));
    const __m256i a_odd = _mm256_setr_epi64x(static_cast<long long>(a[1]), static_cast<long long>(a[3]),
                                             static_cast<long long>(a[5]), static_cast<long long>(a[7]));
    const __m256i b_even = _mm256_setr_epi64x(static_cast<long long>(b[0]), static_cast<long long>(b[2]),
                                              static_cast<long long>(b[4]), static_cast<long long>(b[6]));
    const __m256i b_odd = _mm256_setr_epi64x(static_cast<long long>(b[1]), static_cast<long long>(b[3]),
                                             static_cast<long long>(b[5]), static_cast<long long>(b[7]));
    alignas(32) std::uint32_t low[8];
    alignas(32) std::uint32_t high[8];
    for (int i = 0; i < 8; ++i) {
      low[i] = static_cast<std::uint32_t>(a[i]);
      high[i] = static_cast<std::uint32_t>(a[i] >> 32);
    }
    const __m256i a_low = _mm256_load_si256(reinterpret_cast<const __m256i*>(low));
    const __m256i a_high = _mm256_load_si256(reinterpret_cast<const __m256i*>(high));
    __m256i minimum = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(slots + g * 8));
    for (std::size_t s = 0; s < count; ++s) {
      const std::uint64_t x = shingles[s];
      const __m256i x64 = _mm256_set1_epi64x(static_cast<long long>(x));
      const __m256i x_low = _mm256_set1_epi32(static_cast<int>(static_cast<std::uint32_t>(x)));
      const __m256i x_high = _mm256_set1_epi32(static_cast<int>(static_cast<std::uint32_t>(x >> 32)));
      const __m256i even = _mm256_add_epi64(_mm256_mul_epu32(a_even, x64), b_even);
      const __m256i odd = _mm256_add_epi64(_mm256_mul_epu32(a_odd, x64), b_odd);
      // Slot 2j's high half moves down to dword 2j; slot 2j+1's is already at dword 2j+1.
      const __m256i base = _mm256_blend_epi32(_mm256_srli_epi64(even, 32), odd, 0xAA);
      const __m256i cross = _mm256_add_epi32(_mm256_mullo_epi32(a_low, x_high), _mm256_mullo_epi32(a_high, x_low));
      minimum = _mm256_min_epu32(minimum, _mm256_add_epi32(base, cross));
    }
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(slots + g * 8), minimum);
  }
  const std::size_t done = groups * 8;
  if (done < num_perm) {
    SignSlotsPortable(shingles, count, multipliers + done, increments + done, slots + done, num_perm - done);
  }
}

// AVX-512 (with DQ) multiplies 64-bit lanes: the high 32 bits of a*x+b of eight slots per
// multiply, and the two halves of 16 slots are gathered into one register of 16 minimums. Groups
// of 16 slots; the rest take the AVX2 kernel.
__attribute__((target("avx512f,avx512dq,avx2"))) void SignSlotsAvx512(
    const std::uint64_t* shingles, std::size_t count, const std::uint64_t* multipliers,
    const std::uint64_t* increments, std::uint32_t* slots, std::size_t num_perm) {
  const std::size_t groups = num_perm / 16;
  // Dwords 1, 3, ..., 15 of the first operand, then of the second: the high halves of the
  // 64-bit lanes of both, in slot order.
  const __m512i high_halves =
      _mm512_setr_epi32(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
  for (std::size_t g = 0; g < groups; ++g) {
    const __m512i a_first = _mm512_loadu_si512(multipliers + g * 16);
    const __m512i a_second = _mm512_loadu_si512(multipliers + g * 16 + 8);
    const __m512i b_first = _mm512_loadu_si512(increments + g * 16);
    const __m512i b_second = _mm512_loadu_si512(increments + g * 16 + 8);
    __m512i minimum = _mm512_loadu_si512(slots + g * 16);
    for (std::size_t s = 0; s < count; ++s) {
      const __m512i x = _mm512_set1_epi64(static_cast<long long>(shingles[s]));
      const __m512i first = _mm512_add_epi64(_mm512_mullo_epi64(a_first, x), b_first);
      const __m512i second = _mm512_add_epi64(_mm512_mullo_epi64(a_second, x), b_second);
      // maskz: GCC 12 warns of the undefined source operand in _mm512_min_epu32 (GCC bug 105593).
      const __m512i values = _mm512_permutex2var_epi32(first, high_halves, second);
      minimum = _mm512_maskz_min_epu32(0xFFFF, minimum, values);
    }
    _mm512_storeu_si512(slots + g * 16, minimum);
  }
  const std::size_t done = groups * 16;
  if (done < num_perm) {
    SignSlotsAvx2(shingles, count, multipliers + done, increments + done, slots + done, num_perm - done);
  }
}

// The 32-bit family: auto-vectorized (vpmulld, vpaddd, vpminud) in the AVX2 clone.
__attribute__((target_clones("avx2", "default"))) void SignSlots32(
    const std::uint32_t* folded, std::size_t count, const std::uint32_t* multipliers,
    const std::uint32_t* increments, std::uint32_t* slots, std::size_t num_perm) {
  for (std::size_t s = 0; s < count; ++s) {
    const std::uint32_t x = folded[s];
    for (std::size_t i = 0; i < num_perm; ++i) {
      const std::uint32_t value = multipliers[i] * x + increments[i];
      slots[i] = value < slots[i] ? value : slots[i];
    }
  }
}

}  // namespace

MinHasher::MinHasher(int num_perm, std::uint64_t seed) {
  if (num_perm <= 0) throw Error("num_perm must be positive");
  std::uint64_t state = seed;
  multipliers_.resize(static_cast<std::size_t>(num_perm));
  increments_.resize(static_cast<std::size_t>(num_perm));
  for (int i = 0; i < num_perm; ++i) {
    multipliers_[i] = SplitMix64(state) | 1u;
    increments_[i] = SplitMix64(state);
  }
  kernel_ = Kernel::kPortable;
  if (HasKernel(Kernel::kAvx2)) kernel_ = Kernel::kAvx2;
  if (HasKernel(Kernel::kAvx512)) kernel_ = Kernel::kAvx512;
}

bool MinHasher::HasKernel(Kernel kernel) {
  __builtin_cpu_init();
  switch (kernel) {
    case Kernel::kPortable: return true;
    case Kernel::kAvx2: return __builtin_cpu_supports("avx2") != 0;
    case Kernel::kAvx512:
      return __builtin_cpu_supports("avx2") != 0 && __builtin_cpu_supports("avx512f") != 0 &&
             __builtin_cpu_supports("avx512dq") != 0;
  }
  return false;
}

void MinHasher::Sign(std::span<const std::uint64_t> shingles, std::span<std::uint32_t> signature) const {
  SignUnchecked(kernel_, shingles, signature);  // checked at construction
}

void MinHasher::SignWith(Kernel kernel, std::span<const std::uint64_t> shingles,
                         std::span<std::uint32_t> signature) const {
  if (!HasKernel(kernel)) throw Error("MinHasher: this CPU has no such SIMD kernel");
  SignUnchecked(kernel, shingles, signature);
}

void MinHasher::SignUnchecked(Kernel kernel, std::span<const std::uint64_t> shingles,
                              std::span<std::uint32_t> signature) const {
  std::fill(signature.begin(), signature.end(), kEmptySlot);
  const auto kernel_function = kernel == Kernel::kAvx512 ? SignSlotsAvx512
                               : kernel == Kernel::kAvx2 ? SignSlotsAvx2
                                                         : SignSlotsPortable;
  kernel_function(shingles.data(), shingles.size(), multipliers_.data(), increments_.data(),
                  signature.data(), multipliers_.size());
}

void MinHasher::SignPortable(std::span<const std::uint64_t> shingles,
                             std::span<std::uint32_t> signature) const {
  SignWith(Kernel::kPortable, shingles, signature);
}

MinHasher32::MinHasher32(int num_perm, std::uint64_t seed) {
  if (num_perm <= 0) throw Error("num_perm must be positive");
  std::uint64_t state = seed;
  for (int i = 0; i < num_perm; ++i) {
    multipliers_.push_back(static_cast<std::uint32_t>(SplitMix64(state)) | 1u);
    increments_.push_back(static_cast<std::uint32_t>(SplitMix64(state)));
  }
}

void MinHasher32::Sign(std::span<const std::uint64_t> shingles, std::span<std::uint32_t> signature) const {
  std::fill(signature.begin(), signature.end(), kEmptySlot);
  constexpr std::size_t kChunk = 256;  // folded keys on the stack, no allocation
  std::uint32_t folded[kChunk];
  for (std::size_t begin = 0; begin < shingles.size(); begin += kChunk) {
    const std::size_t count = std::min(kChunk, shingles.size() - begin);
    for (std::size_t i = 0; i < count; ++i) {
      const std::uint64_t x = shingles[begin + i];
      folded[i] = static_cast<std::uint32_t>(x ^ (x >> 32));
    }
    SignSlots32(folded, count, multipliers_.data(), increments_.data(), signature.data(), multipliers_.size());
  }
}

namespace {

constexpr std::uint32_t kNeverProbed = std::numeric_limits<std::uint32_t>::max();
constexpr std::uint64_t kMaxTableBins = 1024;
constexpr std::size_t kMaxStackBins = 1024;

// The probe sequence of an empty bin: bins H(seed, bin, 1), H(seed, bin, 2), ... in [0, k).
class ProbeSequence {
 public:
  ProbeSequence(std::uint64_t seed, std::uint64_t bin, std::uint64_t k)
      : state_(seed ^ (bin * 0x9e3779b97f4a7c15ull)), k_(k) {}
  std::uint64_t Next() { return ((SplitMix64(state_) >> 32) * k_) >> 32; }
  static std::uint64_t Bound(std::uint64_t k) { return 64 * k; }  // attempts before the fallback

 private:
  std::uint64_t state_;
  std::uint64_t k_;
};

}  // namespace

OnePermutationHasher::OnePermutationHasher(int num_perm, std::uint64_t seed) : num_perm_(num_perm), seed_(seed) {
  if (num_perm <= 0) throw Error("num_perm must be positive");
  std::uint64_t state = seed;
  multiplier_ = SplitMix64(state) | 1u;
  const auto k = static_cast<std::uint64_t>(num_perm);
  if (k > kMaxTableBins) return;
  first_probe_.assign(k * k, kNeverProbed);
  for (std::uint64_t bin = 0; bin < k; ++bin) {
    std::uint32_t* first = first_probe_.data() + bin * k;
    ProbeSequence probes(seed_, bin, k);
    std::uint64_t seen = 0;
    for (std::uint64_t attempt = 0; attempt < ProbeSequence::Bound(k) && seen < k; ++attempt) {
      const std::uint64_t target = probes.Next();
      if (first[target] == kNeverProbed) {
        first[target] = static_cast<std::uint32_t>(attempt);
        ++seen;
      }
    }
  }
}

std::uint64_t OnePermutationHasher::DensifySource(std::uint64_t bin, const bool* filled,
                                                  std::span<const std::uint32_t> filled_bins) const {
  const auto k = static_cast<std::uint64_t>(num_perm_);
  std::uint64_t source = k;
  if (!filled_bins.empty()) {  // few filled bins: Sign listed them
    const std::uint32_t* first = first_probe_.data() + bin * k;
    std::uint32_t best = kNeverProbed;
    for (const std::uint32_t target : filled_bins) {
      if (first[target] < best) {
        best = first[target];
        source = target;
      }
    }
  } else {
    ProbeSequence probes(seed_, bin, k);
    for (std::uint64_t attempt = 0; attempt < ProbeSequence::Bound(k); ++attempt) {
      const std::uint64_t probe = probes.Next();
      if (filled[probe]) {
        source = probe;
        break;
      }
    }
  }
  if (source == k) {  // not reached within the bound: the next filled bin to the right
    for (std::uint64_t step = 1; step < k; ++step) {
      if (filled[(bin + step) % k]) return (bin + step) % k;
    }
  }
  return source;
}

void OnePermutationHasher::Sign(std::span<const std::uint64_t> shingles,
                                std::span<std::uint32_t> signature) const {
  const auto k = static_cast<std::uint64_t>(num_perm_);
  std::fill(signature.begin(), signature.end(), kEmptySlot);
  // Bins filled by some shingle: a value of UINT32_MAX is possible, so track them apart.
  bool filled_storage[kMaxStackBins];
  std::unique_ptr<bool[]> filled_heap;
  bool* filled = filled_storage;
  if (k > kMaxStackBins) {
    filled_heap = std::make_unique<bool[]>(k);  // value-initialized: false
    filled = filled_heap.get();
  } else {
    std::fill(filled_storage, filled_storage + k, false);
  }
  std::size_t nonempty = 0;
  for (const std::uint64_t x : shingles) {
    const std::uint64_t g = Fmix64(x * multiplier_ ^ seed_);
    const std::uint64_t bin = ((g >> 32) * k) >> 32;
    const auto value = static_cast<std::uint32_t>(g);
    nonempty += filled[bin] ? 0 : 1;
    filled[bin] = true;
    signature[bin] = std::min(signature[bin], value);
  }
  if (nonempty == 0 || nonempty == k) return;
  // Optimal densification: each empty bin copies the first filled bin of its probe sequence.
  std::uint32_t filled_bins_storage[kMaxStackBins];
  std::vector<std::uint32_t> filled_bins_heap;
  std::span<std::uint32_t> filled_bins;
  if (nonempty * nonempty < k && !first_probe_.empty()) {
    std::uint32_t* out = filled_bins_storage;
    if (k > kMaxStackBins) {
      filled_bins_heap.resize(nonempty);
      out = filled_bins_heap.data();
    }
    std::size_t count = 0;
    for (std::uint64_t bin = 0; bin < k; ++bin) {
      if (filled[bin]) out[count++] = static_cast<std::uint32_t>(bin);
    }
    filled_bins = std::span(out, count);
  }
  for (std::uint64_t bin = 0; bin < k; ++bin) {
    if (!filled[bin]) signature[bin] = signature[DensifySource(bin, filled, filled_bins)];
  }
}

double EstimateJaccard(std::span<const std::uint32_t> a, std::span<const std::uint32_t> b) {
  const std::size_t k = std::min(a.size(), b.size());
  if (k == 0) return 0.0;
  std::size_t equal = 0;
  for (std::size_t i = 0; i < k; ++i) equal += a[i] == b[i] ? 1 : 0;
  return static_cast<double>(equal) / static_cast<double>(k);
}

}  // namespace neardup
