// Which library does each matrix product fastest (issue 16): the network's
// products at their exact training shapes (batch 100, 784-1024-512-10) and
// evaluation's forward at batch 1000, each timed in OpenBLAS (OpenMP build),
// oneDNN (matmul primitives; the forward with bias and ReLU as post-ops),
// libxsmm (JIT kernels, tiles split over the OpenMP threads), BLIS (OpenMP
// build, loaded with dlopen so its cblas_sgemm cannot take OpenBLAS's place)
// and Eigen's own (bench/gemm_eigen.cc, compiled without EIGEN_USE_BLAS).
//
// usage: gemm_libraries [SECONDS_PER_CELL]   (bench/run.sh runs it)
// Each product and library is warmed up, then repeated for at least 30 runs
// and SECONDS_PER_CELL (default 0.3) seconds (at most 10 times that); the machine may be shared, so
// the minimum is the figure to trust and the median says how noisy it was.
// Prints, per product and library:
//   gemm_lib PRODUCT LIBRARY GFLOPS_AT_MIN GFLOPS_AT_MEDIAN MAX_DIFF REPEATS
// where MAX_DIFF is the largest |difference| from OpenBLAS's result and
// REPEATS is `same` when two runs gave the same bits. A library that is not
// available prints `n/a` figures.
#include <dlfcn.h>
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <cblas.h>
#include <libxsmm.h>

#include "bench/gemm_eigen.h"
#include "nn/network/gemm_onednn.h"

namespace {

// c (m x n) = op(a) op(b), column-major, as in nn/network/mlp.cc: layer l's
// forward is z (out x batch) = W (out x in) h (in x batch); its weight
// gradient dW = dz h^T; its input gradient dh = W^T dz.
struct Product {
  const char* name;
  char ta, tb;
  int m, n, k;
  int post;  // forward only: 1 = bias added by the library, 2 = bias and ReLU
};

const Product kProducts[] = {
    {"forward1", 'N', 'N', 1024, 100, 784, 2},  {"weight_grad1", 'N', 'T', 1024, 784, 100, 0},
    {"forward2", 'N', 'N', 512, 100, 1024, 2},  {"weight_grad2", 'N', 'T', 512, 1024, 100, 0},
    {"input_grad2", 'T', 'N', 1024, 100, 512, 0}, {"forward3", 'N', 'N', 10, 100, 512, 1},
    {"weight_grad3", 'N', 'T', 10, 512, 100, 0}, {"input_grad3", 'T', 'N', 512, 100, 10, 0},
    {"eval_forward1", 'N', 'N', 1024, 1000, 784, 2}, {"eval_forward2", 'N', 'N', 512, 1000, 1024, 2},
    {"eval_forward3", 'N', 'N', 10, 1000, 512, 1},
};

struct Operands {
  std::vector<float> a, b, bias, c;
};

using Run = std::function<void()>;

// OpenBLAS (linked).
Run OpenBlas(const Product& p, Operands* o) {
  return [&p, o] {
    cblas_sgemm(CblasColMajor, p.ta == 'N' ? CblasNoTrans : CblasTrans, p.tb == 'N' ? CblasNoTrans : CblasTrans,
                p.m, p.n, p.k, 1.0f, o->a.data(), p.ta == 'N' ? p.m : p.k, o->b.data(), p.tb == 'N' ? p.k : p.n,
                0.0f, o->c.data(), p.m);
  };
}

// BLIS's OpenMP build, through its cblas_sgemm, looked up in its own library.
using CblasSgemm = void (*)(CBLAS_ORDER, CBLAS_TRANSPOSE, CBLAS_TRANSPOSE, int, int, int, float, const float*, int,
                            const float*, int, float, float*, int);
CblasSgemm BlisSgemm() {
  static CblasSgemm sgemm = [] {
    void* lib = dlopen("/usr/lib/x86_64-linux-gnu/blis-openmp/libblis.so.4", RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND);
    if (lib == nullptr) return CblasSgemm{nullptr};
    auto set_threads = reinterpret_cast<void (*)(long)>(dlsym(lib, "bli_thread_set_num_threads"));
    if (set_threads != nullptr) set_threads(omp_get_max_threads());
    // The kernels BLIS picked for this CPU (0.9 knows no Zen 4: "generic").
    auto arch_id = reinterpret_cast<int (*)()>(dlsym(lib, "bli_arch_query_id"));
    auto arch_name = reinterpret_cast<const char* (*)(int)>(dlsym(lib, "bli_arch_string"));
    if (arch_id != nullptr && arch_name != nullptr) std::printf("gemm_blis_arch %s\n", arch_name(arch_id()));
    return reinterpret_cast<CblasSgemm>(dlsym(lib, "cblas_sgemm"));
  }();
  return sgemm;
}

Run Blis(const Product& p, Operands* o) {
  CblasSgemm sgemm = BlisSgemm();
  if (sgemm == nullptr) return nullptr;
  return [&p, o, sgemm] {
    sgemm(CblasColMajor, p.ta == 'N' ? CblasNoTrans : CblasTrans, p.tb == 'N' ? CblasNoTrans : CblasTrans, p.m,
          p.n, p.k, 1.0f, o->a.data(), p.ta == 'N' ? p.m : p.k, o->b.data(), p.tb == 'N' ? p.k : p.n, 0.0f,
          o->c.data(), p.m);
  };
}

Run Eigen(const Product& p, Operands* o) {
  return [&p, o] { mnist_bench::EigenGemm(p.ta, p.tb, p.m, p.n, p.k, o->a.data(), o->b.data(), o->c.data()); };
}

// oneDNN through the network's own OneDnnGemm (nn/network/gemm_onednn.h):
// the same primitive, bias and ReLU post-ops included, the network runs. One
// run here creates the primitive, so a oneDNN error is thrown where the
// caller catches it.
Run OneDnn(const Product& p, Operands* o) {
  auto gemm = std::make_shared<mnist::OneDnnGemm>(mnist::GemmShape{p.ta == 'T', p.tb == 'T', p.m, p.n, p.k});
  const float* bias = p.post ? o->bias.data() : nullptr;
  const bool relu = p.post == 2;
  gemm->Run(o->a.data(), o->b.data(), bias, relu, o->c.data());
  return [gemm, o, bias, relu] { gemm->Run(o->a.data(), o->b.data(), bias, relu, o->c.data()); };
}

// The rows x cols column-major matrix x, transposed into *out.
const float* Transpose(const float* x, int rows, int cols, std::vector<float>* out) {
  out->resize(size_t(rows) * cols);
#pragma omp parallel for
  for (int i = 0; i < rows; ++i)
    for (int j = 0; j < cols; ++j) (*out)[size_t(i) * cols + j] = x[size_t(j) * rows + i];
  return out->data();
}

// libxsmm: JIT kernels for tiles of c (at most 64 x 64), the tiles shared out
// over the OpenMP threads. Transposed operands are transposed into a scratch
// copy first (inside the timed call) when no kernel takes them as they are.
Run Xsmm(const Product& p, Operands* o) {
  constexpr int kTile = 64;
  const int mb = std::min(p.m, kTile), nb = std::min(p.n, kTile);
  const int mr = p.m % mb, nr = p.n % nb;
  int flags = (p.ta == 'T' ? LIBXSMM_GEMM_FLAG_TRANS_A : 0) | (p.tb == 'T' ? LIBXSMM_GEMM_FLAG_TRANS_B : 0);
  const float alpha = 1.0f, beta = 0.0f;
  const libxsmm_blasint ldc = p.m;
  auto dispatch = [&](int tm, int tn, int f) -> libxsmm_smmfunction {
    if (tm == 0 || tn == 0) return nullptr;
    const libxsmm_blasint lda = (f & LIBXSMM_GEMM_FLAG_TRANS_A) ? p.k : p.m;
    const libxsmm_blasint ldb = (f & LIBXSMM_GEMM_FLAG_TRANS_B) ? p.n : p.k;
    return libxsmm_smmdispatch(tm, tn, p.k, &lda, &ldb, &ldc, &alpha, &beta, &f, nullptr);
  };
  libxsmm_smmfunction kernels[2][2] = {{dispatch(mb, nb, flags), dispatch(mb, nr, flags)},
                                       {dispatch(mr, nb, flags), dispatch(mr, nr, flags)}};
  bool copy = kernels[0][0] == nullptr;
  if (copy) {
    flags = 0;
    kernels[0][0] = dispatch(mb, nb, 0), kernels[0][1] = dispatch(mb, nr, 0);
    kernels[1][0] = dispatch(mr, nb, 0), kernels[1][1] = dispatch(mr, nr, 0);
    if (kernels[0][0] == nullptr) return nullptr;
  }
  auto scratch = std::make_shared<Operands>();
  return [p, o, mb, nb, kernels, flags, copy, scratch] {
    const float* a = o->a.data();
    const float* b = o->b.data();
    if (copy && p.ta == 'T') a = Transpose(a, p.k, p.m, &scratch->a);  // a is stored k x m
    if (copy && p.tb == 'T') b = Transpose(b, p.n, p.k, &scratch->b);  // b is stored n x k
    const bool ta = flags & LIBXSMM_GEMM_FLAG_TRANS_A, tb = flags & LIBXSMM_GEMM_FLAG_TRANS_B;
    const int tiles_m = (p.m + mb - 1) / mb, tiles_n = (p.n + nb - 1) / nb;
    float* c = o->c.data();
#pragma omp parallel for schedule(static)
    for (int t = 0; t < tiles_m * tiles_n; ++t) {
      const int i = t % tiles_m * mb, j = t / tiles_m * nb;
      const libxsmm_smmfunction kernel = kernels[i + mb > p.m][j + nb > p.n];
      kernel(ta ? a + size_t(i) * p.k : a + i, tb ? b + j : b + size_t(j) * p.k, c + size_t(j) * p.m + i);
    }
  };
}

double Seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

struct Timing {
  double min = 0, median = 0;
};

Timing Time(const Run& run, double budget) {
  for (int i = 0; i < 5; ++i) run();  // warm-up: caches, JIT, thread pool
  std::vector<double> times;
  const double start = Seconds();
  // At least `budget` seconds, and 30 runs unless that takes 10 budgets.
  for (double elapsed = 0; elapsed < budget || (times.size() < 30 && elapsed < 10 * budget);
       elapsed = Seconds() - start) {
    const double t = Seconds();
    run();
    times.push_back(Seconds() - t);
  }
  std::sort(times.begin(), times.end());
  return {times.front(), times[times.size() / 2]};
}

}  // namespace

int main(int argc, char** argv) {
  const double budget = argc > 1 ? std::atof(argv[1]) : 0.3;
  libxsmm_init();
  std::printf("gemm_threads %d\n", omp_get_max_threads());
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
  const std::pair<const char*, Run (*)(const Product&, Operands*)> libraries[] = {
      {"OpenBLAS", OpenBlas}, {"oneDNN", OneDnn}, {"libxsmm", Xsmm}, {"BLIS", Blis}, {"Eigen", Eigen}};
  for (const Product& p : kProducts) {
    Operands o;
    o.a.resize(size_t(p.m) * p.k);
    o.b.resize(size_t(p.k) * p.n);
    o.bias.resize(size_t(p.m));
    for (float& v : o.a) v = uniform(rng);
    for (float& v : o.b) v = uniform(rng);
    for (float& v : o.bias) v = uniform(rng);
    // OpenBLAS's product (plus the bias and ReLU oneDNN adds) is the reference.
    o.c.assign(size_t(p.m) * p.n, 0.0f);
    OpenBlas(p, &o)();
    const std::vector<float> product = o.c;
    std::vector<float> fused = o.c;
    for (int j = 0; j < p.n; ++j)
      for (int i = 0; i < p.m; ++i) {
        float& r = fused[size_t(j) * p.m + i];
        if (p.post) r += o.bias[size_t(i)];
        if (p.post == 2) r = std::max(r, 0.0f);
      }
    for (const auto& [library, make] : libraries) {
      o.c.assign(size_t(p.m) * p.n, 0.0f);
      Run run;
      try {
        run = make(p, &o);
      } catch (const std::exception& e) {
        std::fprintf(stderr, "gemm_libraries: %s cannot do %s: %s\n", library, p.name, e.what());
      }
      if (!run) {
        std::printf("gemm_lib %s %s n/a n/a n/a n/a\n", p.name, library);
        continue;
      }
      const Timing t = Time(run, budget);
      run();
      const std::vector<float> first = o.c;
      run();
      const bool same = std::memcmp(first.data(), o.c.data(), first.size() * sizeof(float)) == 0;
      // oneDNN adds the bias (and ReLU) as post-ops; the others do the product alone.
      const std::vector<float>& want = std::string(library) == "oneDNN" ? fused : product;
      double diff = 0;
      for (size_t i = 0; i < first.size(); ++i) diff = std::max(diff, double(std::fabs(first[i] - want[i])));
      const double flops = 2.0 * p.m * p.n * p.k;
      std::printf("gemm_lib %s %s %.1f %.1f %.2g %s\n", p.name, library, flops / t.min * 1e-9,
                  flops / t.median * 1e-9, diff, same ? "same" : "differ");
      std::fflush(stdout);
    }
  }
  return 0;
}
