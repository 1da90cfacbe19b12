#include "app/modes/graph_flags.h"

namespace mnist {

Status WithInputHint(const Status& status, const ImportedGraph& graph) {
  if (status.ok() || graph.input_names().size() == 1) return status;
  return status.WithHint("name the one the images feed with --input");
}

}  // namespace mnist
