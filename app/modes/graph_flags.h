// What app/ adds when running a graph fails for want of a flag: nn/graph
// reports the graph (its inputs, shapes) and never names flags.
//
// Thread safety: a free function with no shared state.
#ifndef MNIST_APP_MODES_GRAPH_FLAGS_H_
#define MNIST_APP_MODES_GRAPH_FLAGS_H_

#include <string>
#include <vector>

#include "io/base/status.h"
#include "nn/graph/graph_import.h"

namespace mnist {

// `status` (from BatchRunner::Create on `graph`), with "name the one the
// images feed with --input" added when the graph takes other than one input.
Status WithInputHint(const Status& status, const ImportedGraph& graph);

// A wrong value (InvalidArgument) of the flags that name tensors, with those
// given in front: `flags` are "--input x", "--output y", ... (empty ones are
// for flags not given and left out). Other codes, or no flag, unchanged.
Status WithFlagsGiven(const Status& status, const std::vector<std::string>& flags);

}  // namespace mnist

#endif  // MNIST_APP_MODES_GRAPH_FLAGS_H_
