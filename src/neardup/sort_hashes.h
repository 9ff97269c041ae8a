#pragma once
// Sorting (hash, index) pairs whose hashes are uniform 64-bit values (xxHash outputs: band keys,
// line keys, 5-gram samples): distributed on the hashes' top bits, then each small bucket
// insertion-sorted, in O(n) expected time instead of a comparison sort's O(n log n). Any input
// is sorted correctly (a bucket that many pairs share, hashes that are not uniform, takes
// std::sort); only the speed relies on uniform hashes. The result is the one std::sort gives
// (PairOrder::kHashThenIndex), so it never depends on the thread count. Pure functions;
// SortByHash works in parallel in the current TBB arena.
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace neardup {

using HashIndex = std::pair<std::uint64_t, std::uint32_t>;

// Bits of SortByHash's first pass: the write streams of its 2^11 buckets fit the TLB.
inline constexpr int kTopRadixBits = 11;

// How pairs of one hash are ordered: by index, or not at all (when only the groups of equal
// hashes matter; a hash many pairs share then costs no sort).
enum class PairOrder { kHashThenIndex, kHashOnly };

// Sorts (hash, index) pairs by hash, then index (kHashOnly: only brings equal hashes together).
void SortByHash(std::vector<HashIndex>* pairs, PairOrder order = PairOrder::kHashThenIndex);
// The same with a buffer the caller keeps between calls (it may swap it with `pairs`), so that
// repeated sorts do not each allocate and zero a buffer of the pairs' size.
void SortByHash(std::vector<HashIndex>* pairs, PairOrder order, std::vector<HashIndex>* scratch);

// SortByHash's two steps, for callers that distribute pairs themselves (fewer than 2^32):
// distributes `from` into `to` (of the same size), stably, by the `bits` bits of the hash that
// follow its top `skip` bits; `starts` receives the 2^bits + 1 bucket bounds in `to`.
void ScatterByHashBits(std::span<const HashIndex> from, std::span<HashIndex> to, int skip, int bits,
                       std::vector<std::uint32_t>* starts);
// Sorts each bucket of `data` (bounds `starts`, buckets already in order among themselves).
void SortBuckets(std::span<HashIndex> data, const std::vector<std::uint32_t>& starts, PairOrder order);

}  // namespace neardup
