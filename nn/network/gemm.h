// The network's matrix products, each done by the library that was fastest
// for its shape (issue 16; the table in docs/performance.md, measured by
// bench/gemm_libraries).
//
// A Gemm is one product c (m x n) = op(a) op(b) of one shape, all matrices
// column-major and dense; op is the identity or the transpose. The library is
// chosen once, when the Gemm is made (oneDNN's primitives are created then),
// so running it does no set-up. For a given build, machine and thread count
// every run gives the same bits: OpenBLAS and oneDNN (with its OpenMP
// runtime) split the work by shape and thread count only.
//
// Libraries: "OpenBLAS" is Eigen's product, which hands it to OpenBLAS's
// OpenMP build when the build found it (EIGEN_USE_BLAS) and is Eigen's own
// otherwise; oneDNN (libdnnl-dev) is used when the build found it and
// MNIST_ONEDNN is ON. Without oneDNN every product goes to "OpenBLAS".
//
// Thread safety: a Gemm (and a GemmCache) is used by one thread at a time.
#ifndef MNIST_NN_NETWORK_GEMM_H_
#define MNIST_NN_NETWORK_GEMM_H_

#include <map>
#include <memory>
#include <string>
#include <tuple>

namespace mnist {

class OneDnnGemm;  // nn/network/gemm_onednn.h

struct GemmShape {
  bool transpose_a = false;
  bool transpose_b = false;
  int m = 0, n = 0, k = 0;  // c is m x n; the sum runs over k

  bool operator<(const GemmShape& o) const {
    return std::tie(transpose_a, transpose_b, m, n, k) < std::tie(o.transpose_a, o.transpose_b, o.m, o.n, o.k);
  }
};

// The three products of a dense layer with `in` inputs, `out` outputs and a
// batch of `batch` columns (nn/network/mlp.h): the forward z = W h, the
// weight gradient dW = dz h^T and the input gradient dh = W^T dz.
GemmShape ForwardShape(int in, int out, int batch);
GemmShape WeightGradShape(int in, int out, int batch);
GemmShape InputGradShape(int in, int out, int batch);

enum class GemmLibrary { kOpenBlas, kOneDnn };

// True when this build can use `library`.
bool GemmLibraryAvailable(GemmLibrary library);
// The library a Gemm of `shape` uses: the faster one measured at that shape
// when this build has it, OpenBLAS for shapes not measured.
GemmLibrary ChooseGemmLibrary(const GemmShape& shape);
// "OpenBLAS 0.3.21 ..." (its configuration), "Eigen's own" or "oneDNN 2.6.3".
std::string GemmLibraryName(GemmLibrary library);
// "OpenBLAS", "Eigen" (kOpenBlas in a build without OpenBLAS) or "oneDNN".
std::string GemmLibraryShortName(GemmLibrary library);

// c (m x n, column-major) += bias (bias[i] added to row i), then max(0, .)
// when `relu`: one pass, as RunBias does it after a product that has no
// post-ops.
void AddBias(int m, int n, const float* bias, bool relu, float* c);

class Gemm {
 public:
  // With the library ChooseGemmLibrary(shape) names.
  explicit Gemm(const GemmShape& shape);
  // REQUIRES: GemmLibraryAvailable(library).
  Gemm(const GemmShape& shape, GemmLibrary library);
  ~Gemm();
  Gemm(const Gemm&) = delete;
  Gemm& operator=(const Gemm&) = delete;

  const GemmShape& shape() const { return shape_; }
  GemmLibrary library() const { return library_; }

  // c = op(a) op(b). a is m x k (k x m when transposed), b is k x n (n x k
  // when transposed), c is m x n; c must not overlap a or b.
  void Run(const float* a, const float* b, float* c);
  // c = op(a) op(b) + bias (bias[i] added to row i), then max(0, .) when
  // `relu`; oneDNN does the bias and ReLU inside the product.
  void RunBias(const float* a, const float* b, const float* bias, bool relu, float* c);

 private:
  GemmShape shape_;
  GemmLibrary library_;
  std::unique_ptr<OneDnnGemm> onednn_;  // when library_ is kOneDnn
};

// Gemms made on first use of each shape and kept. A copy starts empty.
class GemmCache {
 public:
  GemmCache() = default;
  GemmCache(const GemmCache&) {}
  GemmCache& operator=(const GemmCache&) {
    gemms_.clear();
    return *this;
  }
  GemmCache(GemmCache&&) = default;
  GemmCache& operator=(GemmCache&&) = default;

  Gemm& Get(const GemmShape& shape);

 private:
  std::map<GemmShape, std::unique_ptr<Gemm>> gemms_;
};

}  // namespace mnist

#endif  // MNIST_NN_NETWORK_GEMM_H_
