// The network as a TensorFlow GraphDef (read back by
// checkpoints/meta_graph/graph_layer_sizes.h).
//
// The inference graph, node by node (L = dense, dense_1, ..., as
// nn/network/dense_layers.h names them):
//   input            Placeholder  float [-1, <input width>]
//   L/kernel, L/bias VariableV2 (with L/kernel/read, L/bias/read Identity)
//                    or, frozen, Const holding the values (tensor_content)
//   L/MatMul         MatMul(previous, L/kernel)     transpose_a/b false
//   L/BiasAdd        BiasAdd(L/MatMul, L/bias)      data_format NHWC
//   L/Relu           Relu(L/BiasAdd)                hidden layers only
//   logits           Identity(last BiasAdd)
//   probabilities    Softmax(logits)
//   predictions      ArgMax(logits, predictions/dimension = 1) -> int64
// Attributes are those TensorFlow's ops carry (T, dtype, shape, ...), so
// TensorFlow imports the graph as it is. Weight tensors are row-major
// little-endian, the same bytes as the checkpoint's.
#ifndef MNIST_CHECKPOINTS_META_GRAPH_MODEL_GRAPH_H_
#define MNIST_CHECKPOINTS_META_GRAPH_MODEL_GRAPH_H_

#include <string>
#include <vector>

#include "io/proto/graph.pb.h"
#include "io/proto/meta_graph.pb.h"
#include "io/base/status.h"
#include "nn/network/mlp.h"

namespace mnist {

constexpr char kInputNode[] = "input";
constexpr char kLogitsNode[] = "logits";
constexpr char kProbabilitiesNode[] = "probabilities";
constexpr char kPredictionsNode[] = "predictions";

// One tensor of a checkpoint: what the saver subgraph of a .meta declares.
struct SavedTensorSpec {
  std::string name;
  tensorflow::DataType dtype;
  std::vector<int64_t> shape;
  bool trainable = false;  // in the trainable_variables collection too
};

// The inference graph with the model's variables as Const nodes.
tensorflow::GraphDef BuildFrozenGraph(const Mlp& model);

// Makes `node` the Const `name` holding `bytes`, a tensor of `dtype` and
// `shape` (row-major, little-endian elements), as TensorFlow writes one.
void MakeConstNode(const std::string& name, tensorflow::DataType dtype,
                   const std::vector<int64_t>& shape, std::string bytes, tensorflow::NodeDef* node);

// A MetaGraphDef for a checkpoint, as TF1's Saver writes one: the inference
// graph with VariableV2 nodes, one VariableV2 for every other saved tensor,
// each variable V as a RefVariable builds it:
//   V/Initializer/truncated_normal/{shape,mean,stddev,TruncatedNormal,mul}
//   V/Initializer/truncated_normal  (Add)      kernels: truncated normal, std 0.01
//   V/initial_value                 Const      beta1_power, beta2_power: 0.9, 0.999
//   V/Initializer/Identity          Identity   an EMA shadow: its variable's value
//   V/Initializer/zeros             Const      everything else: zeros ("" strings)
//   V/Assign                        Assign(V, initial value)
//   V/read                          Identity(V)
// TF1 Saver's save/restore subgraph over all of them (save/Const, save/SaveV2,
// save/RestoreV2, save/Assign_N, save/restore_all) with its SaverDef keeping
// `max_to_keep`; the collections `variables` (every saved tensor: the model
// variables in model order, then the rest by name) and `trainable_variables`
// (the `trainable` ones), each a bytes_list of VariableDef (io/proto/
// variable.proto); and meta_info_def.stripped_op_list, the OpDefs of the ops
// used (checkpoints/meta_graph/op_defs.h). Deterministic: the same arguments
// give the same bytes under SerializeDeterministically.
tensorflow::MetaGraphDef BuildMetaGraph(const Mlp& model, const std::vector<SavedTensorSpec>& saved,
                                        int max_to_keep);

}  // namespace mnist

#endif  // MNIST_CHECKPOINTS_META_GRAPH_MODEL_GRAPH_H_
