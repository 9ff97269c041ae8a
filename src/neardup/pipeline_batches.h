#pragma once
// RunBatches: a TBB pipeline over batches held in a fixed set of reusable slots, the shape of
// every streamed pass of the pipeline: `read(slot)` (serial, in input order; returns false at
// the end) fills a slot, `process(slot)` (parallel: batches may be processed at once) works on
// it, `write(slot)` (serial, in input order) consumes it. So reading batch k + 1 overlaps the
// processing of batch k and the writing of batch k - 1. A slot is reused only once its batch has
// left the pipeline: the last filter is serial in order, so batches leave in order, and batch
// k + slots enters only when fewer than `slots` are in flight, that is after batch k left.
// Each stage may itself run parallel work in the current arena.
#include <tbb/parallel_pipeline.h>

#include <cstddef>
#include <vector>

namespace neardup {

template <typename Slot, typename Read, typename Process, typename Write>
void RunBatches(std::vector<Slot>* slots, const Read& read, const Process& process, const Write& write) {
  std::size_t next = 0;
  tbb::parallel_pipeline(
      slots->size(),
      tbb::make_filter<void, Slot*>(tbb::filter_mode::serial_in_order,
                                    [&](tbb::flow_control& control) -> Slot* {
                                      Slot* slot = &(*slots)[next++ % slots->size()];
                                      if (!read(slot)) control.stop();
                                      return slot;
                                    }) &
          tbb::make_filter<Slot*, Slot*>(tbb::filter_mode::parallel,
                                         [&](Slot* slot) {
                                           process(slot);
                                           return slot;
                                         }) &
          tbb::make_filter<Slot*, void>(tbb::filter_mode::serial_in_order, write));
}

}  // namespace neardup
