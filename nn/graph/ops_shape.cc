// Ops that pass values on or change only the shape: Identity, Reshape.
// nn/graph/graph_ops.h lists every op; nn/graph/op_kernels.h says how to add one.
#include "nn/graph/op_kernels.h"

#include <algorithm>

namespace mnist {
namespace ops {
namespace {

using tensorflow::DataType;
using tensorflow::NodeDef;

// ---- Identity ----
StatusOr<TensorSpec> InferIdentity(const NodeDef& node, const Specs& in) {
  MNIST_RETURN_IF_ERROR(CheckDtype(node, in, 0, kAll));
  return in[0];
}
TensorPtr Identity(const NodeDef&, const Inputs& in, const TensorSpec&) { return in[0]; }

// ---- Reshape ----
StatusOr<TensorSpec> InferReshape(const NodeDef& node, const Specs& in) {
  MNIST_RETURN_IF_ERROR(CheckDtype(node, in, 0, kAll));
  MNIST_RETURN_IF_ERROR(CheckDtype(node, in, 1, kIndex));
  if (!in[1].unknown_rank && in[1].rank() != 1)
    return Invalid("shape is " + Describe(in[1]) + ", not 1-D");
  TensorSpec out{in[0].dtype, {}, in[1].value == nullptr, nullptr};
  if (out.unknown_rank) return out;
  out.shape = in[1].value->ints;
  int64_t known = 1, unknown = -1;
  for (size_t d = 0; d < out.shape.size(); ++d) {
    if (out.shape[d] == -1 && unknown < 0) {
      unknown = static_cast<int64_t>(d);
    } else if (out.shape[d] < 0) {
      return Invalid("shape " + ShapeString(out.shape) + " has a negative dim or more than one -1");
    } else {
      known *= std::max<int64_t>(out.shape[d], 1);
      if (known > kMaxTensorElements)
        return Invalid("shape " + ShapeString(out.shape) + " is too large");
    }
  }
  bool input_known = !in[0].unknown_rank;
  int64_t count = 1;
  for (int64_t d : in[0].shape)
    input_known = input_known && d >= 0, count *= std::max<int64_t>(d, 0);
  if (!input_known) return out;
  if (unknown >= 0 && known > 0 && count % known == 0) out.shape[unknown] = count / known;
  StatusOr<int64_t> n = ElementCount(out.shape);
  if (!n.ok() || *n != count) {
    return Invalid("cannot reshape " + ShapeString(in[0].shape) + " into " +
                   ShapeString(in[1].value->ints));
  }
  return out;
}
TensorPtr Reshape(const NodeDef&, const Inputs& in, const TensorSpec& spec) {
  auto out = std::make_shared<Tensor>(*in[0]);
  out->shape = spec.shape;
  return out;
}

}  // namespace

const OpKernel kIdentity = {1, InferIdentity, Identity, OutputDtypeT};
const OpKernel kReshape = {2, InferReshape, Reshape, OutputDtypeT};

}  // namespace ops
}  // namespace mnist
