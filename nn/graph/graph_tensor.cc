#include "nn/graph/graph_tensor.h"

#include <algorithm>
#include <cstring>

#include "io/proto/types.pb.h"

namespace mnist {

int64_t Tensor::num_elements() const {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

void Tensor::Allocate() {
  const size_t n = static_cast<size_t>(num_elements());
  if (is_float()) {
    floats.assign(n, 0.0f);
  } else {
    ints.assign(n, 0);
  }
}

TensorSpec TensorSpec::Of(TensorPtr tensor) {
  TensorSpec spec;
  spec.dtype = tensor->dtype;
  spec.shape = tensor->shape;
  spec.value = std::move(tensor);
  return spec;
}

bool IsSupportedDtype(tensorflow::DataType dtype) {
  return dtype == tensorflow::DT_FLOAT || dtype == tensorflow::DT_INT32 ||
         dtype == tensorflow::DT_INT64 || dtype == tensorflow::DT_BOOL;
}

std::string ShapeString(const std::vector<int64_t>& shape, bool unknown_rank) {
  if (unknown_rank) return "<unknown rank>";
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    s += (i ? "," : "") + (shape[i] < 0 ? std::string("?") : std::to_string(shape[i]));
  }
  return s + "]";
}

StatusOr<int64_t> ElementCount(const std::vector<int64_t>& shape) {
  int64_t n = 1;
  for (int64_t d : shape) {
    if (d < 0)
      return Status::FailedPrecondition("shape " + ShapeString(shape) + " has a negative dim");
    if (d != 0 && n > kMaxTensorElements / d) {
      return Status::FailedPrecondition("shape " + ShapeString(shape) + " has more than " +
                                     std::to_string(kMaxTensorElements) + " elements");
    }
    n *= d;
  }
  return n;
}

namespace {

// Copies `values` into `out` (n elements), repeating the last to fill.
template <typename Src, typename Dst>
Status FillFromValues(const Src& values, int64_t n, std::vector<Dst>* out) {
  if (static_cast<int64_t>(values.size()) > n) {
    return Status::FailedPrecondition(std::to_string(values.size()) + " values for " +
                                   std::to_string(n) + " elements");
  }
  out->assign(static_cast<size_t>(n), Dst{});
  const int64_t last = static_cast<int64_t>(values.size()) - 1;
  for (int64_t i = 0; i < n && last >= 0; ++i) {
    (*out)[i] = static_cast<Dst>(values[static_cast<int>(std::min(i, last))]);
  }
  return Status::Ok();
}

}  // namespace

StatusOr<Tensor> TensorFromProto(const tensorflow::TensorProto& proto) {
  Tensor t;
  t.dtype = proto.dtype();
  if (!IsSupportedDtype(t.dtype)) {
    return Status::FailedPrecondition("dtype " + DtypeName(t.dtype) +
                                   " is not supported (DT_FLOAT, DT_INT32, DT_INT64, DT_BOOL are)");
  }
  if (proto.tensor_shape().unknown_rank()) return Status::FailedPrecondition("tensor of unknown rank");
  for (const auto& dim : proto.tensor_shape().dim()) t.shape.push_back(dim.size());
  StatusOr<int64_t> n = ElementCount(t.shape);
  if (!n.ok()) return n.status();
  const std::string& content = proto.tensor_content();
  Status filled;
  switch (t.dtype) {
    case tensorflow::DT_FLOAT:
      filled = content.empty() ? FillFromValues(proto.float_val(), *n, &t.floats)
                               : FillFromContent<float>(content, *n, &t.floats);
      break;
    case tensorflow::DT_INT32:
      filled = content.empty() ? FillFromValues(proto.int_val(), *n, &t.ints)
                               : FillFromContent<int32_t>(content, *n, &t.ints);
      break;
    case tensorflow::DT_BOOL:  // any nonzero byte is true, as TensorFlow reads a bool
      filled = content.empty() ? FillFromValues(proto.bool_val(), *n, &t.ints)
                               : FillFromContent<uint8_t>(content, *n, &t.ints);
      for (int64_t& b : t.ints) b = b != 0;
      break;
    default:  // DT_INT64
      filled = content.empty() ? FillFromValues(proto.int64_val(), *n, &t.ints)
                               : FillFromContent<int64_t>(content, *n, &t.ints);
      break;
  }
  if (!filled.ok()) return filled;
  return t;
}

TensorSpec SpecFromShapeProto(tensorflow::DataType dtype,
                              const tensorflow::TensorShapeProto& shape) {
  TensorSpec spec;
  spec.dtype = dtype;
  spec.unknown_rank = shape.unknown_rank();
  for (const auto& dim : shape.dim()) spec.shape.push_back(dim.size() < 0 ? -1 : dim.size());
  return spec;
}

}  // namespace mnist
