// The OpDefs of the ops our graphs use (the .meta of a checkpoint and the
// frozen graph: checkpoints/meta_graph/model_graph.h), as TensorFlow 1.15's op
// registry defines them (tensorflow/core/ops/ops.pbtxt, without the docs):
// Add, ArgMax, Assign, BiasAdd, Const, Identity, MatMul, Mul, NoOp,
// Placeholder, Relu, RestoreV2, SaveV2, Softmax, TruncatedNormal, VariableV2.
//
// A graph that uses a new op adds its OpDef here; tests/checkpoints/
// op_registry_test.cc checks every node of our graphs against these ops.
//
// Thread safety: the table is built once (thread-safe static) and constant.
#ifndef MNIST_CHECKPOINTS_META_GRAPH_OP_DEFS_H_
#define MNIST_CHECKPOINTS_META_GRAPH_OP_DEFS_H_

#include "io/proto/graph.pb.h"
#include "io/proto/op_def.pb.h"

namespace mnist {

// The `stripped_op_list` TensorFlow writes into a .meta for `graph`: one
// OpDef per op type its nodes use, sorted by name. An op the table lacks is
// left out.
tensorflow::OpList StrippedOpList(const tensorflow::GraphDef& graph);

}  // namespace mnist

#endif  // MNIST_CHECKPOINTS_META_GRAPH_OP_DEFS_H_
