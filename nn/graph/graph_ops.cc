#include "nn/graph/graph_ops.h"

#include <algorithm>
#include <map>

#include "nn/graph/graph_broadcast.h"
#include "nn/network/variable.h"

namespace mnist {
namespace {

using tensorflow::DataType;
using tensorflow::NodeDef;
using Specs = std::vector<TensorSpec>;
using Inputs = std::vector<TensorPtr>;

Status Invalid(const std::string& what) { return Status::FailedPrecondition(what); }

std::string Describe(const TensorSpec& s) {
  return DtypeName(s.dtype) + " " + ShapeString(s.shape, s.unknown_rank);
}

// Input `i`'s dtype must be one of `allowed`, and the attr T (when there)
// must agree with input 0.
Status CheckDtype(const NodeDef& node, const Specs& in, size_t i, std::vector<DataType> allowed) {
  if (std::find(allowed.begin(), allowed.end(), in[i].dtype) == allowed.end()) {
    std::string names;
    for (DataType t : allowed) names += (names.empty() ? "" : " or ") + DtypeName(t);
    return Invalid("input " + std::to_string(i) + " is " + Describe(in[i]) + ", expected " + names);
  }
  auto t = node.attr().find("T");
  if (i == 0 && t != node.attr().end() && t->second.type() != in[0].dtype) {
    return Invalid("attr T is " + DtypeName(t->second.type()) + " but input 0 is " +
                   DtypeName(in[0].dtype));
  }
  return Status::Ok();
}

const std::vector<DataType> kFloat = {tensorflow::DT_FLOAT};
const std::vector<DataType> kAny = {tensorflow::DT_FLOAT, tensorflow::DT_INT32,
                                    tensorflow::DT_INT64};
const std::vector<DataType> kIndex = {tensorflow::DT_INT32, tensorflow::DT_INT64};

bool AttrBool(const NodeDef& node, const std::string& name) {
  auto it = node.attr().find(name);
  return it != node.attr().end() && it->second.b();
}

// Same dtype and shape as `in`, no value: what the elementwise ops give.
StatusOr<TensorSpec> Like(const TensorSpec& in) {
  TensorSpec out = in;
  out.value.reset();
  return out;
}

std::shared_ptr<Tensor> NewTensor(const TensorSpec& spec) {
  auto t = std::make_shared<Tensor>();
  t->dtype = spec.dtype;
  t->shape = spec.shape;
  t->Allocate();
  return t;
}

// ---- Identity ----
StatusOr<TensorSpec> InferIdentity(const NodeDef& node, const Specs& in) {
  MNIST_RETURN_IF_ERROR(CheckDtype(node, in, 0, kAny));
  return in[0];
}
TensorPtr Identity(const NodeDef&, const Inputs& in, const TensorSpec&) { return in[0]; }

// ---- MatMul ----
StatusOr<TensorSpec> InferMatMul(const NodeDef& node, const Specs& in) {
  MNIST_RETURN_IF_ERROR(CheckDtype(node, in, 0, kFloat));
  MNIST_RETURN_IF_ERROR(CheckDtype(node, in, 1, kFloat));
  TensorSpec out{tensorflow::DT_FLOAT, {-1, -1}, false, nullptr};
  for (int i = 0; i < 2; ++i) {
    if (!in[i].unknown_rank && in[i].rank() != 2) {
      return Invalid("input " + std::to_string(i) + " is " + Describe(in[i]) + ", not a matrix");
    }
  }
  if (in[0].unknown_rank || in[1].unknown_rank) return out;
  const bool ta = AttrBool(node, "transpose_a"), tb = AttrBool(node, "transpose_b");
  const int64_t k_a = in[0].shape[ta ? 0 : 1], k_b = in[1].shape[tb ? 1 : 0];
  if (k_a >= 0 && k_b >= 0 && k_a != k_b) {
    return Invalid("inner dimensions differ: " + ShapeString(in[0].shape) + (ta ? "^T" : "") +
                   " x " + ShapeString(in[1].shape) + (tb ? "^T" : ""));
  }
  out.shape = {in[0].shape[ta ? 1 : 0], in[1].shape[tb ? 0 : 1]};
  return out;
}
// Row-major [r, c] data is the column-major c x r matrix: C^T = op(B)^T op(A)^T,
// which without transposes is Mlp::Forward's `w * h`.
TensorPtr MatMul(const NodeDef& node, const Inputs& in, const TensorSpec& spec) {
  std::shared_ptr<Tensor> out = NewTensor(spec);
  const Tensor& a = *in[0];
  const Tensor& b = *in[1];
  ConstMatrixMap at(a.floats.data(), a.shape[1], a.shape[0]);
  ConstMatrixMap bt(b.floats.data(), b.shape[1], b.shape[0]);
  MatrixMap ct(out->floats.data(), spec.shape[1], spec.shape[0]);
  const bool ta = AttrBool(node, "transpose_a"), tb = AttrBool(node, "transpose_b");
  if (!ta && !tb) ct.noalias() = bt * at;
  if (!ta && tb) ct.noalias() = bt.transpose() * at;
  if (ta && !tb) ct.noalias() = bt * at.transpose();
  if (ta && tb) ct.noalias() = bt.transpose() * at.transpose();
  return out;
}

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

// ---- Relu, Softmax ----
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
StatusOr<TensorSpec> InferArgMax(const NodeDef& node, const Specs& in) {
  MNIST_RETURN_IF_ERROR(CheckDtype(node, in, 0, kAny));
  MNIST_RETURN_IF_ERROR(CheckDtype(node, in, 1, kIndex));
  auto type = node.attr().find("output_type");
  TensorSpec out{
      type == node.attr().end() ? tensorflow::DT_INT64 : type->second.type(), {}, false, nullptr};
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

// ---- Reshape ----
StatusOr<TensorSpec> InferReshape(const NodeDef& node, const Specs& in) {
  MNIST_RETURN_IF_ERROR(CheckDtype(node, in, 0, kAny));
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

const OpKernel* FindOpKernel(const std::string& op) {
  static const std::map<std::string, OpKernel> kKernels = {
      {"Identity", {1, InferIdentity, Identity}},
      {"MatMul", {2, InferMatMul, MatMul}},
      {"Add", {2, InferBroadcast, Elementwise<false>}},
      {"AddV2", {2, InferBroadcast, Elementwise<false>}},
      {"Mul", {2, InferBroadcast, Elementwise<true>}},
      {"BiasAdd", {2, InferBiasAdd, BiasAdd}},
      {"Relu", {1, InferRelu, Relu}},
      {"Softmax", {1, InferSoftmax, Softmax}},
      {"ArgMax", {2, InferArgMax, ArgMax}},
      {"Reshape", {2, InferReshape, Reshape}},
  };
  auto it = kKernels.find(op);
  return it == kKernels.end() ? nullptr : &it->second;
}

}  // namespace mnist
