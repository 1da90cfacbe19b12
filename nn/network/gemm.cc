#include "nn/network/gemm.h"

#include <Eigen/Core>
#include <cassert>
#include <set>

#ifdef EIGEN_USE_BLAS
extern "C" char* openblas_get_config(void);  // libopenblas: version, build and CPU kernel
#endif
#ifdef MNIST_HAVE_ONEDNN
#include "nn/network/gemm_onednn.h"
#else
namespace mnist {
class OneDnnGemm {};  // never made without oneDNN; Gemm's destructor needs the type whole
}  // namespace mnist
#endif

namespace mnist {

GemmShape ForwardShape(int in, int out, int batch) { return {false, false, out, batch, in}; }
GemmShape WeightGradShape(int in, int out, int batch) { return {false, true, out, in, batch}; }
GemmShape InputGradShape(int in, int out, int batch) { return {true, false, in, batch, out}; }

bool GemmLibraryAvailable(GemmLibrary library) {
#ifdef MNIST_HAVE_ONEDNN
  (void)library;
  return true;
#else
  return library == GemmLibrary::kOpenBlas;
#endif
}

GemmLibrary ChooseGemmLibrary(const GemmShape& shape) {
  // The shapes bench/gemm_libraries measured (the table in
  // docs/performance.md): every product of the 784-1024-512-10 network at
  // batch 100 and evaluation's three forwards at batch 1000. oneDNN was the
  // fastest or within 4% at each but the last layer's weight gradient, where
  // OpenBLAS led by 2 ms an epoch; that one goes to oneDNN too, because
  // OpenBLAS runs it 4x slower where OPENBLAS_CORETYPE=Haswell is set, as on
  // these machines.
  static const std::set<GemmShape> kOneDnn = {
      ForwardShape(784, 1024, 100),  WeightGradShape(784, 1024, 100), ForwardShape(1024, 512, 100),
      WeightGradShape(1024, 512, 100), InputGradShape(1024, 512, 100), ForwardShape(512, 10, 100),
      WeightGradShape(512, 10, 100), InputGradShape(512, 10, 100),  ForwardShape(784, 1024, 1000),
      ForwardShape(1024, 512, 1000), ForwardShape(512, 10, 1000),
  };
  if (GemmLibraryAvailable(GemmLibrary::kOneDnn) && kOneDnn.count(shape) > 0) return GemmLibrary::kOneDnn;
  return GemmLibrary::kOpenBlas;
}

std::string GemmLibraryShortName(GemmLibrary library) {
  if (library == GemmLibrary::kOneDnn) return "oneDNN";
#ifdef EIGEN_USE_BLAS
  return "OpenBLAS";
#else
  return "Eigen";
#endif
}

std::string GemmLibraryName(GemmLibrary library) {
  if (library == GemmLibrary::kOneDnn) {
#ifdef MNIST_HAVE_ONEDNN
    return OneDnnVersion();
#endif
  }
#ifdef EIGEN_USE_BLAS
  return openblas_get_config();
#else
  return "Eigen's own";
#endif
}

Gemm::Gemm(const GemmShape& shape) : Gemm(shape, ChooseGemmLibrary(shape)) {}

Gemm::Gemm(const GemmShape& shape, GemmLibrary library) : shape_(shape), library_(library) {
  assert(GemmLibraryAvailable(library));
#ifdef MNIST_HAVE_ONEDNN
  if (library_ == GemmLibrary::kOneDnn) onednn_ = std::make_unique<OneDnnGemm>(shape_);
#endif
}

Gemm::~Gemm() = default;

void Gemm::Run(const float* a, const float* b, float* c) {
#ifdef MNIST_HAVE_ONEDNN
  if (onednn_) return onednn_->Run(a, b, nullptr, false, c);
#endif
  // Eigen's product, as the network computed it before this choice: with
  // EIGEN_USE_BLAS one sgemm call, so the bits are OpenBLAS's.
  using ConstMap = Eigen::Map<const Eigen::MatrixXf>;
  const GemmShape& s = shape_;
  Eigen::Map<Eigen::MatrixXf> out(c, s.m, s.n);
  const ConstMap a_stored(a, s.transpose_a ? s.k : s.m, s.transpose_a ? s.m : s.k);
  const ConstMap b_stored(b, s.transpose_b ? s.n : s.k, s.transpose_b ? s.k : s.n);
  if (!s.transpose_a && !s.transpose_b) out.noalias() = a_stored * b_stored;
  if (!s.transpose_a && s.transpose_b) out.noalias() = a_stored * b_stored.transpose();
  if (s.transpose_a && !s.transpose_b) out.noalias() = a_stored.transpose() * b_stored;
  if (s.transpose_a && s.transpose_b) out.noalias() = a_stored.transpose() * b_stored.transpose();
}

void Gemm::RunBias(const float* a, const float* b, const float* bias, bool relu, float* c) {
#ifdef MNIST_HAVE_ONEDNN
  if (onednn_) return onednn_->Run(a, b, bias, relu, c);
#endif
  Run(a, b, c);
  AddBias(shape_.m, shape_.n, bias, relu, c);
}

void AddBias(int m, int n, const float* bias, bool relu, float* c) {
  Eigen::Map<Eigen::MatrixXf> out(c, m, n);
  const Eigen::Map<const Eigen::VectorXf> b_vec(bias, m);
  if (relu) {
    out = (out.colwise() + b_vec).cwiseMax(0.0f);  // bias and ReLU in one pass
  } else {
    out.colwise() += b_vec;
  }
}

Gemm& GemmCache::Get(const GemmShape& shape) {
  std::unique_ptr<Gemm>& gemm = gemms_[shape];
  if (!gemm) gemm = std::make_unique<Gemm>(shape);
  return *gemm;
}

}  // namespace mnist
