// Limits on a GraphDef read from a file (untrusted input), shared by every
// reader of graphs: the model-graph import (checkpoints/meta_graph/model_graph.h) and
// the importer/executor (nn/graph/graph_import.h). Protobuf itself bounds
// message nesting at 100 levels (CodedInputStream's default recursion limit),
// so a deeply nested AttrValue fails to parse.
#ifndef MNIST_NN_GRAPH_GRAPH_LIMITS_H_
#define MNIST_NN_GRAPH_GRAPH_LIMITS_H_

namespace mnist {

// Nodes a graph may have (a frozen ResNet-50 has about a thousand).
constexpr int kMaxGraphNodes = 100000;

}  // namespace mnist

#endif  // MNIST_NN_GRAPH_GRAPH_LIMITS_H_
