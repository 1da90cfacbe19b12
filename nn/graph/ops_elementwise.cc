// Elementwise ops: Add, AddV2, Sub, Mul, RealDiv (NumPy broadcasting), BiasAdd,
// Relu, Sigmoid, Tanh.
// nn/graph/graph_ops.h lists every op; nn/graph/op_kernels.h says how to add one.
#include "nn/graph/op_kernels.h"

#include <algorithm>
#include <cmath>

#include "nn/graph/graph_broadcast.h"
#include "nn/network/variable.h"

namespace mnist {
namespace ops {
namespace {

using tensorflow::DataType;
using tensorflow::NodeDef;

// ---- Add, AddV2, Sub, Mul, RealDiv ----
enum class Arith { kAdd, kSub, kMul, kDiv };

// RealDiv takes floats only: an integer division by zero would trap.
template <Arith kOp>
StatusOr<TensorSpec> InferArith(const NodeDef& node, const Specs& in) {
  MNIST_RETURN_IF_ERROR(CheckDtype(node, in, 0, kOp == Arith::kDiv ? kFloat : kAny));
  return InferBroadcast(node, in, in[0].dtype);
}

// Integer results wrap as TensorFlow's do (two's complement, int32 kept in range).
int64_t Wrap(DataType dtype, uint64_t v) {
  return dtype == tensorflow::DT_INT32 ? static_cast<int32_t>(v) : static_cast<int64_t>(v);
}

template <Arith kOp>
TensorPtr Elementwise(const NodeDef&, const Inputs& in, const TensorSpec& spec) {
  std::shared_ptr<Tensor> out = NewTensor(spec);
  const Tensor& a = *in[0];
  const Tensor& b = *in[1];
  if (spec.dtype == tensorflow::DT_FLOAT) {
    BroadcastApply(
        a.shape, a.floats, b.shape, b.floats, spec.shape,
        [](float x, float y) {
          switch (kOp) {
            case Arith::kAdd: return x + y;
            case Arith::kSub: return x - y;
            case Arith::kMul: return x * y;
            default: return x / y;
          }
        },
        &out->floats);
  } else {
    const DataType t = spec.dtype;
    BroadcastApply(
        a.shape, a.ints, b.shape, b.ints, spec.shape,
        [t](int64_t x, int64_t y) {
          const uint64_t ux = static_cast<uint64_t>(x), uy = static_cast<uint64_t>(y);
          return Wrap(t, kOp == Arith::kMul ? ux * uy : kOp == Arith::kSub ? ux - uy : ux + uy);
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
  if (spec.dtype != tensorflow::DT_FLOAT) return Elementwise<Arith::kAdd>(node, in, spec);
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

// ---- Sigmoid, Tanh: float only, as in numpy's 1 / (1 + exp(-x)) and tanh ----
StatusOr<TensorSpec> InferFloatUnary(const NodeDef& node, const Specs& in) {
  MNIST_RETURN_IF_ERROR(CheckDtype(node, in, 0, kFloat));
  return Like(in[0]);
}
template <float (*f)(float)>
TensorPtr FloatUnary(const NodeDef&, const Inputs& in, const TensorSpec&) {
  auto out = std::make_shared<Tensor>(*in[0]);
  for (float& x : out->floats) x = f(x);
  return out;
}
float Sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }
float Tanh(float x) { return std::tanh(x); }

}  // namespace

const OpKernel kAdd = {2, InferArith<Arith::kAdd>, Elementwise<Arith::kAdd>, OutputDtypeT};
const OpKernel kSub = {2, InferArith<Arith::kSub>, Elementwise<Arith::kSub>, OutputDtypeT};
const OpKernel kMul = {2, InferArith<Arith::kMul>, Elementwise<Arith::kMul>, OutputDtypeT};
const OpKernel kRealDiv = {2, InferArith<Arith::kDiv>, Elementwise<Arith::kDiv>, OutputDtypeT};
const OpKernel kSigmoid = {1, InferFloatUnary, FloatUnary<Sigmoid>, OutputDtypeT};
const OpKernel kTanh = {1, InferFloatUnary, FloatUnary<Tanh>, OutputDtypeT};
const OpKernel kBiasAdd = {2, InferBiasAdd, BiasAdd, OutputDtypeT};
const OpKernel kRelu = {1, InferRelu, Relu, OutputDtypeT};

}  // namespace ops
}  // namespace mnist
