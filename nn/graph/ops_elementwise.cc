// Elementwise ops: Add, AddV2, Mul (NumPy broadcasting), BiasAdd, Relu.
// nn/graph/graph_ops.h lists every op; nn/graph/op_kernels.h says how to add one.
#include "nn/graph/op_kernels.h"

#include <algorithm>

#include "nn/graph/graph_broadcast.h"
#include "nn/network/variable.h"

namespace mnist {
namespace ops {
namespace {

using tensorflow::DataType;
using tensorflow::NodeDef;

// ---- Add, AddV2, Mul ----
StatusOr<TensorSpec> InferBroadcast(const NodeDef& node, const Specs& in) {
  MNIST_RETURN_IF_ERROR(CheckDtype(node, in, 0, kAny));
  MNIST_RETURN_IF_ERROR(CheckDtype(node, in, 1, {in[0].dtype}));
  TensorSpec out{in[0].dtype, {}, in[0].unknown_rank || in[1].unknown_rank, nullptr};
  if (out.unknown_rank) return out;
  StatusOr<std::vector<int64_t>> shape = BroadcastShape(in[0].shape, in[1].shape);
  if (!shape.ok()) return shape.status();
  out.shape = std::move(*shape);
  return out;
}

// Integer results wrap as TensorFlow's do (two's complement, int32 kept in range).
int64_t Wrap(DataType dtype, uint64_t v) {
  return dtype == tensorflow::DT_INT32 ? static_cast<int32_t>(v) : static_cast<int64_t>(v);
}

template <bool kMul>
TensorPtr Elementwise(const NodeDef&, const Inputs& in, const TensorSpec& spec) {
  std::shared_ptr<Tensor> out = NewTensor(spec);
  const Tensor& a = *in[0];
  const Tensor& b = *in[1];
  if (spec.dtype == tensorflow::DT_FLOAT) {
    BroadcastApply(
        a.shape, a.floats, b.shape, b.floats, spec.shape,
        [](float x, float y) { return kMul ? x * y : x + y; }, &out->floats);
  } else {
    const DataType t = spec.dtype;
    BroadcastApply(
        a.shape, a.ints, b.shape, b.ints, spec.shape,
        [t](int64_t x, int64_t y) {
          const uint64_t ux = static_cast<uint64_t>(x), uy = static_cast<uint64_t>(y);
          return Wrap(t, kMul ? ux * uy : ux + uy);
        },
        &out->ints);
  }
  return out;
}

// ---- BiasAdd ----
StatusOr<TensorSpec> InferBiasAdd(const NodeDef& node, const Specs& in) {
  MNIST_RETURN_IF_ERROR(CheckDtype(node, in, 0, kAny));
  MNIST_RETURN_IF_ERROR(CheckDtype(node, in, 1, {in[0].dtype}));
  auto format = node.attr().find("data_format");
  if (format != node.attr().end() && format->second.s() != "NHWC") {
    return Invalid("data_format " + format->second.s() + " is not supported (NHWC is)");
  }
  if (!in[1].unknown_rank && in[1].rank() != 1)
    return Invalid("bias is " + Describe(in[1]) + ", not 1-D");
  if (!in[0].unknown_rank && in[0].rank() < 2)
    return Invalid("value is " + Describe(in[0]) + ", not 2-D or more");
  if (!in[0].unknown_rank && !in[1].unknown_rank) {
    const int64_t c = in[0].shape.back(), b = in[1].shape[0];
    if (c >= 0 && b >= 0 && c != b) {
      return Invalid("bias " + ShapeString(in[1].shape) + " does not match the last dim of " +
                     ShapeString(in[0].shape));
    }
  }
  return Like(in[0]);
}
TensorPtr BiasAdd(const NodeDef& node, const Inputs& in, const TensorSpec& spec) {
  if (spec.dtype != tensorflow::DT_FLOAT) return Elementwise<false>(node, in, spec);
  std::shared_ptr<Tensor> out = std::make_shared<Tensor>(*in[0]);
  const int64_t c = spec.shape.back();
  MatrixMap z(out->floats.data(), c, out->num_elements() / std::max<int64_t>(c, 1));
  z.colwise() += Eigen::Map<const Vector>(in[1]->floats.data(), c);  // as Mlp::Forward adds it
  return out;
}

// ---- Relu ----
StatusOr<TensorSpec> InferRelu(const NodeDef& node, const Specs& in) {
  MNIST_RETURN_IF_ERROR(CheckDtype(node, in, 0, kAny));
  return Like(in[0]);
}
TensorPtr Relu(const NodeDef&, const Inputs& in, const TensorSpec&) {
  auto out = std::make_shared<Tensor>(*in[0]);
  for (float& x : out->floats) x = std::max(x, 0.0f);
  for (int64_t& x : out->ints) x = std::max<int64_t>(x, 0);
  return out;
}

}  // namespace

const OpKernel kAdd = {2, InferBroadcast, Elementwise<false>};
const OpKernel kMul = {2, InferBroadcast, Elementwise<true>};
const OpKernel kBiasAdd = {2, InferBiasAdd, BiasAdd};
const OpKernel kRelu = {1, InferRelu, Relu};

}  // namespace ops
}  // namespace mnist
