// Tests for nn/network/gemm.h: every product the network does, in every
// library this build has, equals a plain triple loop (in double) within
// float rounding, at the default network's shapes, at the --hidden widths
// the other tests use, and at a last partial batch of 37; runs repeat bit
// for bit; the bias and ReLU variant adds and clamps per row, and gives the
// same bits as the product followed by a separate bias and ReLU pass (what
// Mlp::Forward did before oneDNN's post-ops did it).
#include "nn/network/gemm.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace mnist {
namespace {

std::vector<GemmLibrary> Libraries() {
  std::vector<GemmLibrary> out = {GemmLibrary::kOpenBlas};
  if (GemmLibraryAvailable(GemmLibrary::kOneDnn)) out.push_back(GemmLibrary::kOneDnn);
  return out;
}

std::vector<float> Random(size_t n, std::mt19937* rng) {
  std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
  std::vector<float> v(n);
  for (float& x : v) x = uniform(*rng);
  return v;
}

struct Reference {
  std::vector<double> value, bound;  // the exact product and the sum of |terms|
};

Reference Naive(const GemmShape& s, const std::vector<float>& a, const std::vector<float>& b) {
  Reference r{std::vector<double>(size_t(s.m) * s.n), std::vector<double>(size_t(s.m) * s.n)};
  for (int j = 0; j < s.n; ++j)
    for (int i = 0; i < s.m; ++i) {
      double sum = 0, bound = 0;
      for (int p = 0; p < s.k; ++p) {
        const double x = s.transpose_a ? a[size_t(i) * s.k + p] : a[size_t(p) * s.m + i];
        const double y = s.transpose_b ? b[size_t(p) * s.n + j] : b[size_t(j) * s.k + p];
        sum += x * y;
        bound += std::fabs(x * y);
      }
      r.value[size_t(j) * s.m + i] = sum;
      r.bound[size_t(j) * s.m + i] = bound;
    }
  return r;
}

std::string Describe(const GemmShape& s, GemmLibrary library) {
  return std::string(library == GemmLibrary::kOneDnn ? "oneDNN " : "OpenBLAS ") + (s.transpose_a ? "T" : "N") +
         (s.transpose_b ? "T " : "N ") + std::to_string(s.m) + "x" + std::to_string(s.n) + "x" +
         std::to_string(s.k);
}

// Each layer's three products for the widths `sizes` at `batch`.
std::vector<GemmShape> Shapes(const std::vector<int>& sizes, int batch) {
  std::vector<GemmShape> out;
  for (size_t l = 0; l + 1 < sizes.size(); ++l) {
    out.push_back(ForwardShape(sizes[l], sizes[l + 1], batch));
    out.push_back(WeightGradShape(sizes[l], sizes[l + 1], batch));
    if (l > 0) out.push_back(InputGradShape(sizes[l], sizes[l + 1], batch));
  }
  return out;
}

void ExpectProductsMatch(const std::vector<GemmShape>& shapes) {
  std::mt19937 rng(7);
  for (const GemmShape& s : shapes) {
    const std::vector<float> a = Random(size_t(s.m) * s.k, &rng);
    const std::vector<float> b = Random(size_t(s.k) * s.n, &rng);
    const std::vector<float> bias = Random(size_t(s.m), &rng);
    const Reference want = Naive(s, a, b);
    for (GemmLibrary library : Libraries()) {
      Gemm gemm(s, library);
      std::vector<float> c(size_t(s.m) * s.n, NAN), again(c.size(), NAN), fused(c.size(), NAN);
      gemm.Run(a.data(), b.data(), c.data());
      gemm.Run(a.data(), b.data(), again.data());
      EXPECT_EQ(std::memcmp(c.data(), again.data(), c.size() * sizeof(float)), 0) << Describe(s, library);
      gemm.RunBias(a.data(), b.data(), bias.data(), /*relu=*/true, fused.data());
      int wrong = 0;
      for (size_t idx = 0; idx < c.size() && wrong < 5; ++idx) {
        const double tolerance = 1e-5 * want.bound[idx] + 1e-6;
        const double relu = std::max(0.0, want.value[idx] + bias[idx % size_t(s.m)]);
        if (std::fabs(c[idx] - want.value[idx]) > tolerance || std::fabs(fused[idx] - relu) > tolerance + 1e-6) {
          ++wrong;
          ADD_FAILURE() << Describe(s, library) << " at " << idx << ": " << c[idx] << " (with bias and ReLU "
                        << fused[idx] << "), want " << want.value[idx] << " (" << relu << ")";
        }
      }
    }
  }
}

TEST(GemmTest, DefaultNetworkAtTrainingBatch) { ExpectProductsMatch(Shapes({784, 1024, 512, 10}, 100)); }

TEST(GemmTest, DefaultNetworkAtLastPartialBatch) { ExpectProductsMatch(Shapes({784, 1024, 512, 10}, 37)); }

TEST(GemmTest, SmallNetworksTheTestsTrain) {
  for (const std::vector<int>& sizes : std::vector<std::vector<int>>{
           {784, 8, 10}, {784, 16, 10}, {784, 32, 16, 10}, {784, 64, 32, 10}, {784, 16, 8, 10}}) {
    for (int batch : {100, 37, 1}) ExpectProductsMatch(Shapes(sizes, batch));
  }
}

TEST(GemmTest, BiasWithoutReluAddsPerRow) {
  const GemmShape s = ForwardShape(3, 2, 2);  // c (2 x 2) = a (2 x 3) b (3 x 2)
  const std::vector<float> a = {1, 2, 3, 4, 5, 6}, b = {1, 0, -1, 0, 0, 1}, bias = {10, -100};
  for (GemmLibrary library : Libraries()) {
    Gemm gemm(s, library);
    std::vector<float> c(4);
    gemm.RunBias(a.data(), b.data(), bias.data(), /*relu=*/false, c.data());
    // a = [1 3 5; 2 4 6]: a b = [1-5, 5; 2-6, 6]
    EXPECT_EQ(c, (std::vector<float>{6, -104, 15, -94})) << Describe(s, library);
  }
}

TEST(GemmTest, RunBiasIsTheProductThenABiasAndReluPassBitForBit) {
  std::mt19937 rng(11);
  for (int batch : {100, 1000, 37}) {
    for (const auto& [in, out] : {std::pair{784, 1024}, {1024, 512}, {512, 10}}) {
      const GemmShape s = ForwardShape(in, out, batch);
      const std::vector<float> a = Random(size_t(out) * in, &rng), b = Random(size_t(in) * batch, &rng),
                               bias = Random(size_t(out), &rng);
      for (GemmLibrary library : Libraries()) {
        for (bool relu : {false, true}) {
          Gemm gemm(s, library);
          std::vector<float> fused(size_t(out) * batch), separate(fused.size());
          gemm.RunBias(a.data(), b.data(), bias.data(), relu, fused.data());
          gemm.Run(a.data(), b.data(), separate.data());
          for (size_t i = 0; i < separate.size(); ++i) {
            const float z = separate[i] + bias[i % size_t(out)];
            separate[i] = relu ? std::max(z, 0.0f) : z;
          }
          EXPECT_EQ(std::memcmp(fused.data(), separate.data(), fused.size() * sizeof(float)), 0)
              << Describe(s, library) << (relu ? " with ReLU" : "");
        }
      }
    }
  }
}

TEST(GemmTest, ChoosesOneDnnForTheMeasuredShapesAndOpenBlasForOthers) {
  const GemmLibrary big = GemmLibraryAvailable(GemmLibrary::kOneDnn) ? GemmLibrary::kOneDnn : GemmLibrary::kOpenBlas;
  EXPECT_EQ(ChooseGemmLibrary(ForwardShape(784, 1024, 100)), big);
  EXPECT_EQ(ChooseGemmLibrary(InputGradShape(1024, 512, 100)), big);
  EXPECT_EQ(ChooseGemmLibrary(ForwardShape(512, 10, 100)), big);
  EXPECT_EQ(ChooseGemmLibrary(WeightGradShape(512, 10, 100)), big);
  EXPECT_EQ(ChooseGemmLibrary(ForwardShape(784, 16, 37)), GemmLibrary::kOpenBlas);  // not measured
  EXPECT_EQ(Gemm(ForwardShape(784, 1024, 100)).library(), big);
}

}  // namespace
}  // namespace mnist
