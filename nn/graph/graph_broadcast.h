// NumPy broadcasting, as TensorFlow's elementwise ops (Add, AddV2, Mul, ...)
// apply it: shapes are aligned on their last dims, and a dim of 1 (or a
// missing one) stretches to the other's.
//
// Thread safety: stateless functions.
#ifndef MNIST_NN_GRAPH_GRAPH_BROADCAST_H_
#define MNIST_NN_GRAPH_GRAPH_BROADCAST_H_

#include <cstdint>
#include <vector>

#include "io/base/status.h"

namespace mnist {

// The shape of a op b. Dims of -1 (unknown until run) stay unknown unless the
// other dim fixes them. InvalidArgument naming both shapes when they clash.
StatusOr<std::vector<int64_t>> BroadcastShape(const std::vector<int64_t>& a,
                                              const std::vector<int64_t>& b);

// Strides of `shape` aligned on the last of `rank` dims, 0 where it stretches.
std::vector<int64_t> BroadcastStrides(const std::vector<int64_t>& shape, size_t rank);

// out[i] = f(a[...], b[...]) over `shape` = BroadcastShape(a_shape, b_shape).
// REQUIRES: out->size() is the element count of `shape`.
template <typename T, typename U, typename F>
void BroadcastApply(const std::vector<int64_t>& a_shape, const std::vector<T>& a,
                    const std::vector<int64_t>& b_shape, const std::vector<T>& b,
                    const std::vector<int64_t>& shape, F f, std::vector<U>* out) {
  const size_t n = out->size();
  const size_t rank = shape.size();
  if (a.size() == n && b.size() == n) {
    for (size_t i = 0; i < n; ++i) (*out)[i] = f(a[i], b[i]);
    return;
  }
  const std::vector<int64_t> sa = BroadcastStrides(a_shape, rank);
  const std::vector<int64_t> sb = BroadcastStrides(b_shape, rank);
  std::vector<int64_t> index(rank, 0);
  int64_t ia = 0, ib = 0;
  for (size_t i = 0; i < n; ++i) {
    (*out)[i] = f(a[ia], b[ib]);
    for (size_t d = rank; d-- > 0;) {  // odometer step, last dim fastest
      ia += sa[d];
      ib += sb[d];
      if (++index[d] < shape[d]) break;
      ia -= sa[d] * shape[d];
      ib -= sb[d] * shape[d];
      index[d] = 0;
    }
  }
}

}  // namespace mnist

#endif  // MNIST_NN_GRAPH_GRAPH_BROADCAST_H_
