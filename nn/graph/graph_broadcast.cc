#include "nn/graph/graph_broadcast.h"

#include <algorithm>

#include "nn/graph/graph_tensor.h"

namespace mnist {

StatusOr<std::vector<int64_t>> BroadcastShape(const std::vector<int64_t>& a,
                                              const std::vector<int64_t>& b) {
  const size_t rank = std::max(a.size(), b.size());
  std::vector<int64_t> shape(rank, 1);
  for (size_t d = 0; d < rank; ++d) {
    const size_t from_end = rank - d;
    const int64_t x = from_end <= a.size() ? a[a.size() - from_end] : 1;
    const int64_t y = from_end <= b.size() ? b[b.size() - from_end] : 1;
    if (x != y && x != 1 && y != 1 && x >= 0 && y >= 0) {
      return Status::FailedPrecondition("shapes " + ShapeString(a) + " and " + ShapeString(b) +
                                     " do not broadcast");
    }
    shape[d] = x == 1 ? y : y == 1 ? x : std::max(x, y);  // max: a known dim beats -1
  }
  return shape;
}

std::vector<int64_t> BroadcastStrides(const std::vector<int64_t>& shape, size_t rank) {
  std::vector<int64_t> strides(rank, 0);
  int64_t stride = 1;
  for (size_t i = shape.size(), o = rank; i-- > 0;) {
    strides[--o] = shape[i] == 1 ? 0 : stride;
    stride *= shape[i];
  }
  return strides;
}

}  // namespace mnist
