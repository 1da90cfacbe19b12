// Comparisons: Greater, Less, Equal, elementwise with NumPy broadcasting,
// giving DT_BOOL. nn/graph/graph_ops.h lists every op; nn/graph/op_kernels.h
// says how to add one.
#include "nn/graph/op_kernels.h"

#include "nn/graph/graph_broadcast.h"

namespace mnist {
namespace ops {
namespace {

using tensorflow::NodeDef;

enum class Compare { kGreater, kLess, kEqual };

// Greater and Less order numbers; Equal also compares bools.
template <Compare kOp>
StatusOr<TensorSpec> InferCompare(const NodeDef& node, const Specs& in) {
  MNIST_RETURN_IF_ERROR(CheckDtype(node, in, 0, kOp == Compare::kEqual ? kAll : kAny));
  return InferBroadcast(node, in, tensorflow::DT_BOOL);
}

template <Compare kOp, typename T>
bool Holds(T x, T y) {
  switch (kOp) {
    case Compare::kGreater: return x > y;
    case Compare::kLess: return x < y;
    default: return x == y;  // NaN equals nothing, as in IEEE and TensorFlow
  }
}

template <Compare kOp>
TensorPtr Apply(const NodeDef&, const Inputs& in, const TensorSpec& spec) {
  std::shared_ptr<Tensor> out = NewTensor(spec);
  const Tensor& a = *in[0];
  const Tensor& b = *in[1];
  if (a.is_float()) {
    BroadcastApply(
        a.shape, a.floats, b.shape, b.floats, spec.shape,
        [](float x, float y) -> int64_t { return Holds<kOp>(x, y); }, &out->ints);
  } else {
    BroadcastApply(
        a.shape, a.ints, b.shape, b.ints, spec.shape,
        [](int64_t x, int64_t y) -> int64_t { return Holds<kOp>(x, y); }, &out->ints);
  }
  return out;
}

tensorflow::DataType BoolDtype(const NodeDef&) { return tensorflow::DT_BOOL; }

}  // namespace

const OpKernel kGreater = {2, InferCompare<Compare::kGreater>, Apply<Compare::kGreater>, BoolDtype};
const OpKernel kLess = {2, InferCompare<Compare::kLess>, Apply<Compare::kLess>, BoolDtype};
const OpKernel kEqual = {2, InferCompare<Compare::kEqual>, Apply<Compare::kEqual>, BoolDtype};

}  // namespace ops
}  // namespace mnist
