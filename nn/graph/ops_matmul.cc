// MatMul through nn/network/gemm.h, bit for bit as Mlp::Forward.
// nn/graph/graph_ops.h lists every op; nn/graph/op_kernels.h says how to add one.
#include "nn/graph/op_kernels.h"

#include "nn/network/gemm.h"

namespace mnist {
namespace ops {
namespace {

using tensorflow::DataType;
using tensorflow::NodeDef;

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
// which without transposes is Mlp::Forward's `w * h`; it goes through the same
// nn/network/gemm.h, which picks the library by shape, so the bits match.
TensorPtr MatMul(const NodeDef& node, const Inputs& in, const TensorSpec& spec) {
  std::shared_ptr<Tensor> out = NewTensor(spec);
  const Tensor& a = *in[0];
  const Tensor& b = *in[1];
  const bool ta = AttrBool(node, "transpose_a"), tb = AttrBool(node, "transpose_b");
  GemmShape shape;
  shape.transpose_a = tb;
  shape.transpose_b = ta;
  shape.m = static_cast<int>(spec.shape[1]);
  shape.n = static_cast<int>(spec.shape[0]);
  shape.k = static_cast<int>(a.shape[ta ? 0 : 1]);
  // Prepared once per shape and thread (oneDNN's primitives are made then),
  // not on every batch; Run may be called from several threads at once.
  thread_local GemmCache gemms;
  gemms.Get(shape).Run(b.floats.data(), a.floats.data(), out->floats.data());
  return out;
}

}  // namespace

const OpKernel kMatMul = {2, InferMatMul, MatMul, OutputDtypeT};

}  // namespace ops
}  // namespace mnist
