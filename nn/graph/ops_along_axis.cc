// Ops along an axis: Softmax (the last), ArgMax (input 1's).
// nn/graph/graph_ops.h lists every op; nn/graph/op_kernels.h says how to add one.
#include "nn/graph/op_kernels.h"

#include "nn/network/variable.h"

namespace mnist {
namespace ops {
namespace {

using tensorflow::DataType;
using tensorflow::NodeDef;

// ---- Softmax ----
StatusOr<TensorSpec> InferSoftmax(const NodeDef& node, const Specs& in) {
  MNIST_RETURN_IF_ERROR(CheckDtype(node, in, 0, kFloat));
  if (!in[0].unknown_rank && in[0].rank() < 1) return Invalid("logits is a scalar");
  return Like(in[0]);
}
TensorPtr Softmax(const NodeDef&, const Inputs& in, const TensorSpec& spec) {
  auto out = std::make_shared<Tensor>(*in[0]);
  const int64_t c = spec.shape.back();
  if (c == 0) return out;
  MatrixMap z(out->floats.data(), c, out->num_elements() / c);  // one example per column
  const Eigen::RowVectorXf max = z.colwise().maxCoeff();
  z = (z.rowwise() - max).array().exp().matrix();
  const Eigen::RowVectorXf sum = z.colwise().sum();
  z.array().rowwise() /= sum.array();
  return out;
}

// ---- ArgMax ----
// ArgMax's output_type, DT_INT64 when absent (as in TensorFlow).
tensorflow::DataType ArgMaxDtype(const NodeDef& node) {
  return AttrType(node, "output_type", tensorflow::DT_INT64);
}

StatusOr<TensorSpec> InferArgMax(const NodeDef& node, const Specs& in) {
  MNIST_RETURN_IF_ERROR(CheckDtype(node, in, 0, kAny));
  MNIST_RETURN_IF_ERROR(CheckDtype(node, in, 1, kIndex));
  TensorSpec out{ArgMaxDtype(node), {}, false, nullptr};
  if (out.dtype != tensorflow::DT_INT64 && out.dtype != tensorflow::DT_INT32) {
    return Invalid("output_type " + DtypeName(out.dtype) + " is not DT_INT32 or DT_INT64");
  }
  if (!in[1].unknown_rank && in[1].rank() != 0)
    return Invalid("dimension is " + Describe(in[1]) + ", not a scalar");
  if (in[0].unknown_rank) return TensorSpec{out.dtype, {}, true, nullptr};
  const int rank = in[0].rank();
  if (rank < 1) return Invalid("input is a scalar");
  if (in[1].value == nullptr)
    return TensorSpec{out.dtype, std::vector<int64_t>(rank - 1, -1), false, nullptr};
  const int64_t axis =
      in[1].value->ints[0] < 0 ? in[1].value->ints[0] + rank : in[1].value->ints[0];
  if (axis < 0 || axis >= rank) {
    return Invalid("dimension " + std::to_string(in[1].value->ints[0]) + " is outside " +
                   ShapeString(in[0].shape));
  }
  if (in[0].shape[axis] == 0)
    return Invalid("reduces the empty dim of " + ShapeString(in[0].shape));
  out.shape = in[0].shape;
  out.shape.erase(out.shape.begin() + axis);
  return out;
}
template <typename T>
void ArgMaxOf(const std::vector<T>& x, int64_t outer, int64_t n, int64_t inner,
              std::vector<int64_t>* out) {
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t i = 0; i < inner; ++i) {
      int64_t best = 0;  // the first maximum wins, as in TensorFlow
      for (int64_t j = 1; j < n; ++j) {
        if (x[(o * n + j) * inner + i] > x[(o * n + best) * inner + i]) best = j;
      }
      (*out)[o * inner + i] = best;
    }
  }
}
TensorPtr ArgMax(const NodeDef&, const Inputs& in, const TensorSpec& spec) {
  std::shared_ptr<Tensor> out = NewTensor(spec);
  const Tensor& x = *in[0];
  const int64_t rank = static_cast<int64_t>(x.shape.size());
  const int64_t axis = in[1]->ints[0] < 0 ? in[1]->ints[0] + rank : in[1]->ints[0];
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < axis; ++d) outer *= x.shape[d];
  for (int64_t d = axis + 1; d < rank; ++d) inner *= x.shape[d];
  if (x.is_float()) {
    ArgMaxOf(x.floats, outer, x.shape[axis], inner, &out->ints);
  } else {
    ArgMaxOf(x.ints, outer, x.shape[axis], inner, &out->ints);
  }
  return out;
}

}  // namespace

const OpKernel kSoftmax = {1, InferSoftmax, Softmax, OutputDtypeT};
const OpKernel kArgMax = {2, InferArgMax, ArgMax, ArgMaxDtype};

}  // namespace ops
}  // namespace mnist
