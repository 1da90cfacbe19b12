// What a node of a GraphDef outputs as far as the graph alone tells, before
// anything is fed or run: TensorFlow's static shape inference over the
// node's upstream (placeholders' declared shapes, constants' values, each
// op's `infer`, nn/graph/graph_ops.h). The importer
// (nn/graph/graph_import.h) gives it to a fed node that is not a
// placeholder, as TensorFlow does: a value fed there must fit what the node
// would have produced, so images fed into `logits` [?, 10] are an error
// rather than ten-class scores of 784 columns.
//
// Every walk is a loop, never recursion (the graph may be hostile).
//
// Thread safety: free functions with no shared state.
#ifndef MNIST_NN_GRAPH_GRAPH_STATIC_SPEC_H_
#define MNIST_NN_GRAPH_GRAPH_STATIC_SPEC_H_

#include <vector>

#include "nn/graph/graph_tensor.h"
#include "io/proto/graph.pb.h"
#include "io/proto/node_def.pb.h"

namespace mnist {

// A Placeholder's spec: its `dtype` attr and `shape` attr (unknown rank
// without one). Up to GraphDef version 21 (`producer`) an empty shape meant
// "any shape", as TensorFlow's Placeholder shape function still reads it.
TensorSpec PlaceholderSpec(const tensorflow::NodeDef& node, int producer);

// The spec of node `target` of `graph`, where inputs[i] lists the nodes
// node i reads and `order` is a topological order (nn/graph/graph_order.h).
// Unknown rank and DT_INVALID where the graph does not tell: an op we do not
// run, or inputs it does not accept.
TensorSpec StaticSpec(const tensorflow::GraphDef& graph,
                      const std::vector<std::vector<int>>& inputs, const std::vector<int>& order,
                      int target);

}  // namespace mnist

#endif  // MNIST_NN_GRAPH_GRAPH_STATIC_SPEC_H_
