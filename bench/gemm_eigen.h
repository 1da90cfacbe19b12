// Eigen's own matrix product (no BLAS behind it), for bench/gemm_libraries.cc.
#ifndef MNIST_BENCH_GEMM_EIGEN_H_
#define MNIST_BENCH_GEMM_EIGEN_H_

namespace mnist_bench {

// c (m x n) = op(a) op(b), all column-major; op is the identity for 'N' and
// the transpose for 'T' (a is stored m x k for 'N', k x m for 'T'; likewise b).
void EigenGemm(char ta, char tb, int m, int n, int k, const float* a, const float* b, float* c);

}  // namespace mnist_bench

#endif  // MNIST_BENCH_GEMM_EIGEN_H_
