#include "neardup/cluster_story.h"

#include "neardup/error.h"

namespace neardup {

ClusterResult ClusterStories(std::vector<Document>* /*docs*/, const PipelineConfig& /*config*/,
                             RunReport* /*report*/) {
  throw UsageError("--mode story is not available yet (issue #4)");
}

}  // namespace neardup
