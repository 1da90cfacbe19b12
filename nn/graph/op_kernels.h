// Writing the ops of nn/graph/graph_ops.h: the kernels, one file per family
// (ops_shape.cc, ops_matmul.cc, ops_elementwise.cc, ops_compare.cc, ops_cast.cc,
// ops_along_axis.cc), and
// the helpers they share (op_kernels.cc). A new op is a pair of functions in
// its family's file, a kernel here and a row in FindOpKernel (graph_ops.cc).
//
// Thread safety: stateless functions and constants.
#ifndef MNIST_NN_GRAPH_OP_KERNELS_H_
#define MNIST_NN_GRAPH_OP_KERNELS_H_

#include <memory>
#include <string>
#include <vector>

#include "nn/graph/graph_ops.h"

namespace mnist {
namespace ops {

using Specs = std::vector<TensorSpec>;
using Inputs = std::vector<TensorPtr>;

// The kernels, by family.
extern const OpKernel kIdentity, kReshape;              // ops_shape.cc
extern const OpKernel kMatMul;                          // ops_matmul.cc
extern const OpKernel kAdd, kSub, kMul, kRealDiv;       // ops_elementwise.cc
extern const OpKernel kBiasAdd, kRelu, kSigmoid, kTanh;  // ops_elementwise.cc
extern const OpKernel kGreater, kLess, kEqual;          // ops_compare.cc
extern const OpKernel kCast;                            // ops_cast.cc
extern const OpKernel kSoftmax, kArgMax;                // ops_along_axis.cc

// The dtypes an input may have.
extern const std::vector<tensorflow::DataType> kFloat;  // DT_FLOAT
extern const std::vector<tensorflow::DataType> kAny;    // DT_FLOAT, DT_INT32, DT_INT64
extern const std::vector<tensorflow::DataType> kIndex;  // DT_INT32, DT_INT64
extern const std::vector<tensorflow::DataType> kAll;    // kAny and DT_BOOL

// InvalidArgument `what` (the importer names the node).
Status Invalid(const std::string& what);

// "DT_FLOAT [2, 3]": a spec in messages.
std::string Describe(const TensorSpec& s);

// Input `i`'s dtype must be one of `allowed`, and the attr T (when there)
// must agree with input 0.
Status CheckDtype(const tensorflow::NodeDef& node, const Specs& in, size_t i,
                  std::vector<tensorflow::DataType> allowed);

// The bool attr `name`; false when absent.
bool AttrBool(const tensorflow::NodeDef& node, const std::string& name);

// The type attr `name`; `absent` when there is none, DT_INVALID when it holds
// no type.
tensorflow::DataType AttrType(const tensorflow::NodeDef& node, const std::string& name,
                              tensorflow::DataType absent = tensorflow::DT_INVALID);

// The attr T: the output dtype of the ops whose output has their inputs'
// dtype (OpKernel::output_dtype).
tensorflow::DataType OutputDtypeT(const tensorflow::NodeDef& node);

// A binary op's output of `dtype`, its inputs broadcast (graph_broadcast.h).
// REQUIRES: CheckDtype accepted input 0; input 1 must have input 0's dtype.
StatusOr<TensorSpec> InferBroadcast(const tensorflow::NodeDef& node, const Specs& in,
                                    tensorflow::DataType dtype);

// Same dtype and shape as `in`, no value: what the elementwise ops give.
StatusOr<TensorSpec> Like(const TensorSpec& in);

// A tensor of `spec`'s dtype and shape, its elements allocated.
std::shared_ptr<Tensor> NewTensor(const TensorSpec& spec);

}  // namespace ops
}  // namespace mnist

#endif  // MNIST_NN_GRAPH_OP_KERNELS_H_
