// Freezing: a checkpoint's network as one self-contained GraphDef file, as
// TF1's graph_util.convert_variables_to_constants + tf.io.write_graph make it.
//
// The frozen graph holds only what inference needs (checkpoints/meta_graph/model_graph.h
// lists the nodes): the `input` placeholder, one Const per variable with the
// variable's name and its values as tensor_content (the checkpoint's bytes),
// MatMul / BiasAdd / Relu per layer, `logits`, `probabilities` and
// `predictions`. No optimizer slots, no training state, no saver.
//
// Thread safety: free functions with no shared state.
#ifndef MNIST_CHECKPOINTS_EXPORT_FREEZE_H_
#define MNIST_CHECKPOINTS_EXPORT_FREEZE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "io/bundle/bundle_reader.h"
#include "io/proto/graph.pb.h"
#include "io/base/status.h"
#include "nn/network/mlp.h"

namespace mnist {

struct FrozenGraph {
  tensorflow::GraphDef graph;
  int converted_variables = 0;  // variables that became Const nodes
};

// The inference graph of `model` with its current values as constants (load
// EMA shadows into the model first to freeze those).
FrozenGraph FreezeModel(const Mlp& model);

// convert_variables_to_constants for any graph, e.g. the training graph of a
// TensorFlow-written checkpoint: keeps only the nodes `outputs` ("node" or
// "node:0") need through their data inputs (control inputs, which only order
// training ops, are dropped, and with them the optimizer, loss and saver), and
// turns each variable they read (VariableV2, Variable, VarHandleOp) into a
// Const of the same name holding the checkpoint's bytes of it, or of
// `<name>/ExponentialMovingAverage` when `use_ema`; ReadVariableOp becomes
// Identity. A variable missing from the checkpoint or of another dtype or
// shape, a malformed graph (nn/graph/graph_edges.h: DataLoss, e.g. a dangling
// input anywhere in it) or an unknown output is an error naming `where`
// (an unknown output is InvalidArgument); `use_ema` on
// a checkpoint without shadows is FailedPrecondition, as CheckHasEmaShadows
// (checkpoints/saver/saver.h) says.
StatusOr<FrozenGraph> ConvertVariablesToConstants(const tensorflow::GraphDef& graph,
                                                  const BundleReader& reader,
                                                  const std::vector<std::string>& outputs,
                                                  bool use_ema, const std::string& where);

// ConvertVariablesToConstants on the graph of `meta_file` (default
// `<prefix>.meta`; a `.meta` or a SavedModel's saved_model.pb,
// checkpoints/meta_graph/meta_graph_file.h) with the bundle at `prefix`
// (import_meta_graph + Saver.restore + freeze). Errors name `meta_file`.
// Nothing checks that the result runs here: it keeps every op the outputs
// need, as TensorFlow's freezing does.
StatusOr<FrozenGraph> FreezeCheckpointGraph(const std::string& prefix,
                                            const std::vector<std::string>& outputs, bool use_ema,
                                            const std::string& meta_file = "");

// Writes `graph` to `path` crash-safe (io/base/file.h WriteFileAtomically),
// creating missing parent directories: TensorFlow's binary wire format with
// map entries sorted by key as TF writes them, or protobuf text format when
// `as_text` (write_graph(..., as_text=True)). Sets `file_bytes` (if given) to
// the size written.
Status WriteGraph(const tensorflow::GraphDef& graph, const std::string& path, bool as_text,
                  int64_t* file_bytes = nullptr);

// The bytes of every Const node's tensor data: what the weights alone take.
int64_t ConstTensorBytes(const tensorflow::GraphDef& graph);

}  // namespace mnist

#endif  // MNIST_CHECKPOINTS_EXPORT_FREEZE_H_
