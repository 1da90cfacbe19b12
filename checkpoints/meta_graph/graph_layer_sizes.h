// The network a TensorFlow GraphDef describes, read back from it: the layer
// sizes of the dense chain (nn/network/dense_layers.h) that
// checkpoints/meta_graph/model_graph.h writes, from a .meta or a frozen graph.
//
// Thread safety: free functions with no shared state.
#ifndef MNIST_CHECKPOINTS_META_GRAPH_GRAPH_LAYER_SIZES_H_
#define MNIST_CHECKPOINTS_META_GRAPH_GRAPH_LAYER_SIZES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "io/base/status.h"
#include "io/proto/graph.pb.h"
#include "nn/graph/graph_limits.h"

namespace mnist {

// A kernel larger than this (in * out * 4 bytes) is refused before any
// network is built from the graph; same cap as a bundle's tensors.
constexpr uint64_t kMaxKernelBytes = uint64_t{1} << 30;

// The layer sizes of the network a graph describes (input width, hidden
// widths, classes), found from the `dense*/kernel` nodes and checked: at
// most kMaxGraphNodes nodes, every node input names a node of the graph,
// each kernel a 2-D [in, out] of at most kMaxKernelBytes whose in is the
// previous out, with a bias of [out] and ops L/MatMul and L/BiasAdd reading
// them, no ReLU after the last layer; a frozen (Const) kernel or bias holds
// exactly that many floats. `where` names the file in errors.
StatusOr<std::vector<int>> LayerSizesFromGraph(const tensorflow::GraphDef& graph,
                                               const std::string& where);

}  // namespace mnist

#endif  // MNIST_CHECKPOINTS_META_GRAPH_GRAPH_LAYER_SIZES_H_
