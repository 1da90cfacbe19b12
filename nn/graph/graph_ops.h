// The ops the GraphDef executor (nn/graph/graph_import.h) runs, each a
// pair of functions: `infer` checks a node's attrs and its inputs' specs and
// says what it outputs, as far as that is known before the graph runs;
// `compute` produces the output. The importer itself handles Placeholder,
// Const and NoOp.
//
//   Identity            passes its input through (no copy); any dtype, bool too
//   MatMul              float [M,K] x [K,N], attrs transpose_a / transpose_b
//   Add, AddV2, Sub, Mul  elementwise with NumPy broadcasting; float, int32, int64
//   RealDiv             the same, float only
//   Greater, Less, Equal  compare with broadcasting, giving bool (Equal takes bool too)
//   Cast                between float, int32, int64 and bool (attrs SrcT, DstT)
//   BiasAdd             adds a [C] bias along the last dim (data_format NHWC)
//   Relu                max(x, 0)
//   Sigmoid, Tanh       float only
//   Softmax             along the last dim, the max subtracted first
//   ArgMax              index of the first maximum along input 1's axis;
//                       output_type int64 (default) or int32
//   Reshape             to input 1's shape, one -1 inferred
// Every node has one output, `node:0`. Floats go through Eigen in the
// layout of nn/network/variable.h, so MatMul + BiasAdd + Relu compute bit for bit
// what Mlp::Forward computes with the same weights and batch.
//
// Kernels: nn/graph/op_kernels.h, one file per op family.
//
// Thread safety: stateless functions.
#ifndef MNIST_NN_GRAPH_GRAPH_OPS_H_
#define MNIST_NN_GRAPH_GRAPH_OPS_H_

#include <string>
#include <vector>

#include "nn/graph/graph_tensor.h"
#include "io/proto/node_def.pb.h"

namespace mnist {

constexpr char kSupportedOps[] =
    "Placeholder, Const, Identity, MatMul, Add, AddV2, Sub, Mul, RealDiv, BiasAdd, Relu, "
    "Sigmoid, Tanh, Softmax, ArgMax, Greater, Less, Equal, Cast, Reshape, NoOp";

struct OpKernel {
  int num_inputs;  // data inputs the op takes
  // The output's spec; InvalidArgument saying what does not fit (the caller
  // names the node).
  StatusOr<TensorSpec> (*infer)(const tensorflow::NodeDef& node,
                                const std::vector<TensorSpec>& inputs);
  // The output. REQUIRES: `infer` accepted TensorSpec::Of(inputs) and gave
  // `out`, every dim known.
  TensorPtr (*compute)(const tensorflow::NodeDef& node, const std::vector<TensorPtr>& inputs,
                       const TensorSpec& out);
  // The output's dtype from the node's attrs alone, for a fed node whose
  // inputs are cut off: T, or what the op declares (Cast's DstT, ArgMax's
  // output_type, a comparison's bool). DT_INVALID when the attrs do not say.
  tensorflow::DataType (*output_dtype)(const tensorflow::NodeDef& node);
};

// The kernel of `op`, or nullptr when the executor does not run it.
const OpKernel* FindOpKernel(const std::string& op);

}  // namespace mnist

#endif  // MNIST_NN_GRAPH_GRAPH_OPS_H_
