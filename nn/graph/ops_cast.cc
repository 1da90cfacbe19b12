// Cast: converts between DT_FLOAT, DT_INT32, DT_INT64 and DT_BOOL (attrs SrcT,
// DstT; Truncate is read by no conversion here). Values convert as numpy's
// astype does on x86: floats toward zero; NaN and floats out of the target's
// range give its minimum (what cvttss2si gives TensorFlow and numpy, here
// without the undefined behaviour); int64 to int32 keeps the low 32 bits;
// anything to bool is "not zero" (NaN is true); bool is 0 or 1.
// nn/graph/graph_ops.h lists every op; nn/graph/op_kernels.h says how to add one.
#include "nn/graph/op_kernels.h"

#include <cmath>
#include <limits>

namespace mnist {
namespace ops {
namespace {

using tensorflow::DataType;
using tensorflow::NodeDef;

// Cast's output dtype: its DstT.
DataType CastDtype(const NodeDef& node) { return AttrType(node, "DstT"); }

StatusOr<TensorSpec> InferCast(const NodeDef& node, const Specs& in) {
  const DataType src = AttrType(node, "SrcT"), dst = CastDtype(node);
  for (const auto& [name, type] : {std::pair{"SrcT", src}, std::pair{"DstT", dst}}) {
    if (!IsSupportedDtype(type)) {
      return Invalid(std::string("attr ") + name + " is " +
                     (type == tensorflow::DT_INVALID ? "missing" : DtypeName(type)) +
                     ", expected DT_FLOAT, DT_INT32, DT_INT64 or DT_BOOL");
    }
  }
  MNIST_RETURN_IF_ERROR(CheckDtype(node, in, 0, {src}));
  TensorSpec out = *Like(in[0]);
  out.dtype = dst;
  return out;
}

// x toward zero as an integer of [lo, hi]; lo for NaN and out of range.
int64_t FloatToInt(float x, int64_t lo, int64_t hi) {
  // 2^63 and 2^31 are exact floats; hi + 1 is one of them.
  const float limit = static_cast<float>(hi) + 1.0f;
  if (std::isnan(x) || x >= limit || x < -limit) return lo;
  return static_cast<int64_t>(x);
}

TensorPtr Cast(const NodeDef&, const Inputs& in, const TensorSpec& spec) {
  const Tensor& a = *in[0];
  std::shared_ptr<Tensor> out = NewTensor(spec);
  const size_t n = static_cast<size_t>(a.num_elements());
  for (size_t i = 0; i < n; ++i) {
    switch (spec.dtype) {
      case tensorflow::DT_FLOAT:
        out->floats[i] = a.is_float() ? a.floats[i] : static_cast<float>(a.ints[i]);
        break;
      case tensorflow::DT_BOOL:
        out->ints[i] = a.is_float() ? a.floats[i] != 0.0f : a.ints[i] != 0;
        break;
      case tensorflow::DT_INT32: {
        constexpr int64_t lo = std::numeric_limits<int32_t>::min();
        constexpr int64_t hi = std::numeric_limits<int32_t>::max();
        out->ints[i] = a.is_float() ? FloatToInt(a.floats[i], lo, hi)
                                    : static_cast<int32_t>(static_cast<uint32_t>(a.ints[i]));
        break;
      }
      default:  // DT_INT64
        out->ints[i] = a.is_float() ? FloatToInt(a.floats[i], std::numeric_limits<int64_t>::min(),
                                                 std::numeric_limits<int64_t>::max())
                                    : a.ints[i];
        break;
    }
  }
  return out;
}

}  // namespace

const OpKernel kCast = {1, InferCast, Cast, CastDtype};

}  // namespace ops
}  // namespace mnist
