#pragma once
// Story mode's cluster stage (issue #4): groups re-reports of the same story.
// Input: the documents after the clean stage (rejected ones are skipped and keep themselves as
// representative). A document with no story term is rejected here as empty.
// Output: a ClusterResult with, per cluster, its shared terms. Deterministic for any thread count.
#include <vector>

#include "neardup/cluster_result.h"
#include "neardup/config.h"
#include "neardup/document.h"
#include "neardup/run_report.h"

namespace neardup {

ClusterResult ClusterStories(std::vector<Document>* docs, const PipelineConfig& config, RunReport* report);

}  // namespace neardup
