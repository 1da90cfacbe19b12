// The values a GraphDef executor (nn/graph/graph_import.h) passes between
// nodes, and what import knows of them before anything runs.
//
// A Tensor is DT_FLOAT, DT_INT32, DT_INT64 or DT_BOOL with a row-major shape
// (outermost first, TensorFlow's order): float values in `floats`, integer
// values (int32 ones kept in int32 range) and bools (0 or 1) in `ints`. Every size is checked
// against kMaxTensorElements before anything is allocated, so a hostile graph
// cannot make us allocate without bound.
//
// Thread safety: values; const use needs no locking.
#ifndef MNIST_NN_GRAPH_GRAPH_TENSOR_H_
#define MNIST_NN_GRAPH_GRAPH_TENSOR_H_

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "io/bundle/bundle_format.h"  // DtypeName
#include "io/proto/tensor.pb.h"
#include "io/proto/tensor_shape.pb.h"
#include "io/base/status.h"

namespace mnist {

// Elements one tensor may hold: 2^26 (256 MiB of float; our largest weight
// has 784 x 1024, our largest activation batch 1000 x 1024).
constexpr int64_t kMaxTensorElements = int64_t{1} << 26;

struct Tensor {
  tensorflow::DataType dtype = tensorflow::DT_FLOAT;
  std::vector<int64_t> shape;  // {} is a scalar
  std::vector<float> floats;   // DT_FLOAT
  std::vector<int64_t> ints;   // DT_INT32, DT_INT64, DT_BOOL (0 or 1)

  int64_t num_elements() const;  // product of the dims (1 for a scalar)
  bool is_float() const { return dtype == tensorflow::DT_FLOAT; }
  // Sizes `floats` or `ints` to the shape's element count (zeros).
  // REQUIRES: the shape is valid (ElementCount accepted it).
  void Allocate();
};

using TensorPtr = std::shared_ptr<const Tensor>;

// What import knows of a tensor: its dtype, its shape with -1 for a dim not
// known until the graph runs (or no rank at all), and its value when it is a
// constant.
struct TensorSpec {
  tensorflow::DataType dtype = tensorflow::DT_INVALID;
  std::vector<int64_t> shape;
  bool unknown_rank = false;
  TensorPtr value;  // set for constants (and for every input at run time)

  int rank() const { return static_cast<int>(shape.size()); }
  // True when a tensor of `dims` fits: rank unknown, or the same rank with
  // every known (non-negative) dim equal.
  bool Accepts(const std::vector<int64_t>& dims) const {
    if (unknown_rank) return true;
    if (dims.size() != shape.size()) return false;
    for (size_t d = 0; d < shape.size(); ++d) {
      if (shape[d] >= 0 && shape[d] != dims[d]) return false;
    }
    return true;
  }
  // The spec of a tensor that exists: everything known.
  static TensorSpec Of(TensorPtr tensor);
};

// True for the dtypes the executor computes with: float, int32, int64, bool.
bool IsSupportedDtype(tensorflow::DataType dtype);

// "[?,784]" (-1 shows as ?), "[]" for a scalar, "<unknown rank>".
std::string ShapeString(const std::vector<int64_t>& shape, bool unknown_rank = false);

// The element count of a fully known shape; InvalidArgument when a dim is
// negative or the count exceeds kMaxTensorElements.
StatusOr<int64_t> ElementCount(const std::vector<int64_t>& shape);

// Copies `content`, n elements of T as they lie little-endian on this
// (little-endian) host, into `out`, converted to Dst: a TensorProto's
// tensor_content, a .npy file's data. FailedPrecondition when the sizes differ.
template <typename T, typename Dst>
inline Status FillFromContent(const std::string& content, int64_t n, std::vector<Dst>* out) {
  if (content.size() != static_cast<size_t>(n) * sizeof(T)) {
    return Status::FailedPrecondition("tensor_content has " + std::to_string(content.size()) +
                                   " bytes, the shape needs " + std::to_string(n * sizeof(T)));
  }
  std::vector<T> raw(static_cast<size_t>(n));
  if (n > 0) std::memcpy(raw.data(), content.data(), content.size());
  out->assign(raw.begin(), raw.end());
  return Status::Ok();
}

// Decodes a Const node's TensorProto: tensor_content (little-endian,
// row-major; a bool one byte) or the typed *_val field (bool_val for DT_BOOL), whose last value repeats to fill the
// shape (empty means zeros). Errors say what does not fit; callers add where.
StatusOr<Tensor> TensorFromProto(const tensorflow::TensorProto& proto);

// A shape attr (Placeholder's `shape`) as a spec of `dtype`.
TensorSpec SpecFromShapeProto(tensorflow::DataType dtype,
                              const tensorflow::TensorShapeProto& shape);

}  // namespace mnist

#endif  // MNIST_NN_GRAPH_GRAPH_TENSOR_H_
