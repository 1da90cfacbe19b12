// oneDNN's side of nn/network/gemm.h: one matmul primitive per shape (and
// per bias/ReLU post-op), created once. Built only when CMake found oneDNN
// (libdnnl-dev), which then defines MNIST_HAVE_ONEDNN.
//
// oneDNN's matmul is row-major: the column-major c (m x n) is the row-major
// c^T (n x m) = op(b)^T op(a)^T, each operand's memory read as it lies
// (format tag ab) or transposed (ba). Its CPU runtime is OpenMP (Debian's
// build), so it shares our thread pool; a primitive splits its work by shape
// and thread count only, so its results repeat bit for bit.
#ifndef MNIST_NN_NETWORK_GEMM_ONEDNN_H_
#define MNIST_NN_NETWORK_GEMM_ONEDNN_H_

#include <memory>
#include <string>

#include "nn/network/gemm.h"

namespace mnist {

// "oneDNN 2.6.3".
std::string OneDnnVersion();

class OneDnnGemm {
 public:
  explicit OneDnnGemm(const GemmShape& shape);
  ~OneDnnGemm();

  // c = op(a) op(b), plus bias per row of c when bias is not null, then
  // max(0, .) when relu (REQUIRES: bias when relu).
  void Run(const float* a, const float* b, const float* bias, bool relu, float* c);

 private:
  struct Primitive;
  Primitive& Get(int post);  // 0 product, 1 + bias, 2 + bias and ReLU
  GemmShape shape_;
  std::unique_ptr<Primitive> primitives_[3];
};

}  // namespace mnist

#endif  // MNIST_NN_NETWORK_GEMM_ONEDNN_H_
