// Eigen's own products for bench/gemm_libraries.cc. This file is compiled
// without EIGEN_USE_BLAS (bench/CMakeLists.txt) and is the only one in that
// program that includes Eigen, so no OpenBLAS specialisation of Eigen's GEMM
// can be linked in its place.
#include "bench/gemm_eigen.h"

#include <Eigen/Core>

namespace mnist_bench {

void EigenGemm(char ta, char tb, int m, int n, int k, const float* a, const float* b, float* c) {
  using Map = Eigen::Map<const Eigen::MatrixXf>;
  Eigen::Map<Eigen::MatrixXf> out(c, m, n);
  const Map a_stored(a, ta == 'N' ? m : k, ta == 'N' ? k : m);
  const Map b_stored(b, tb == 'N' ? k : n, tb == 'N' ? n : k);
  if (ta == 'N' && tb == 'N') out.noalias() = a_stored * b_stored;
  if (ta == 'N' && tb == 'T') out.noalias() = a_stored * b_stored.transpose();
  if (ta == 'T' && tb == 'N') out.noalias() = a_stored.transpose() * b_stored;
  if (ta == 'T' && tb == 'T') out.noalias() = a_stored.transpose() * b_stored.transpose();
}

}  // namespace mnist_bench
