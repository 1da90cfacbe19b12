// Finite-difference checks of nn/: dense layers, ReLU, softmax cross-entropy
// and L2 against their analytic gradients (nn/network/mlp.h, tests/support/l2.h,
// nn/loss/softmax_cross_entropy.h). Computed in float with central differences;
// the largest relative difference is printed on failure.
#include <gtest/gtest.h>

#include <cmath>

#include "tests/support/l2.h"
#include "nn/network/mlp.h"
#include "nn/loss/softmax_cross_entropy.h"

namespace mnist {
namespace {

struct Problem {
  Mlp model{{6, 5, 4, 3}};
  std::vector<float> x;
  std::vector<int32_t> labels;
  float l2 = 0.05f;
  int batch = 4;

  Problem() {
    Rng rng(7, 0);
    model.Init(&rng, 0.5f);
    for (Variable& v : model.variables()) {
      if (!v.is_kernel) {
        for (int64_t i = 0; i < v.num_elements(); ++i) v.value[i] = static_cast<float>(rng.Normal() * 0.1);
      }
    }
    x.resize(6 * batch);
    for (float& f : x) f = static_cast<float>(rng.Normal());
    labels = {0, 2, 1, 2};
  }

  // Total loss, and (when `grads`) the analytic gradient in every variable.
  float Loss(bool grads) {
    ConstMatrixMap logits = model.Forward(x.data(), batch);
    std::vector<float> dlogits(logits.size());
    float loss = SoftmaxCrossEntropy(logits, labels.data(), dlogits.data());
    if (grads) model.Backward(dlogits.data());
    if (grads) return loss + ApplyL2(&model.variables(), l2);
    double l2_sum = 0;
    for (const Variable& v : model.variables()) {
      if (v.is_kernel) l2_sum += 0.5 * v.value.squaredNorm();
    }
    return loss + l2 * static_cast<float>(l2_sum);
  }
};

TEST(GradientCheckTest, EveryParameterMatchesCentralDifferences) {
  Problem p;
  p.Loss(/*grads=*/true);
  const float h = 1e-2f;
  double worst = 0.0;
  std::string worst_at;
  for (Variable& v : p.model.variables()) {
    for (int64_t i = 0; i < v.num_elements(); ++i) {
      const float saved = v.value[i];
      v.value[i] = saved + h;
      const double up = p.Loss(false);
      v.value[i] = saved - h;
      const double down = p.Loss(false);
      v.value[i] = saved;
      const double numeric = (up - down) / (2.0 * h);
      const double analytic = v.grad[i];
      const double rel = std::fabs(numeric - analytic) / std::max(1e-2, std::fabs(numeric) + std::fabs(analytic));
      if (rel > worst) {
        worst = rel;
        worst_at = v.name + "[" + std::to_string(i) + "]";
      }
    }
  }
  EXPECT_LT(worst, 2e-2) << "largest relative difference " << worst << " at " << worst_at;
}

TEST(SoftmaxCrossEntropyTest, GradientIsSoftmaxMinusOneHotOverBatch) {
  Matrix logits(3, 2);
  logits << 1.0f, 0.0f, 2.0f, 0.0f, 3.0f, 0.0f;
  const int32_t labels[] = {2, 0};
  float d[6];
  float loss = SoftmaxCrossEntropy(ConstMatrixMap(logits.data(), 3, 2), labels, d);
  const double z = std::exp(1.0) + std::exp(2.0) + std::exp(3.0);
  const double expected = ((std::log(z) - 3.0) + std::log(3.0)) / 2.0;
  EXPECT_NEAR(loss, expected, 1e-6);
  EXPECT_NEAR(d[0], std::exp(1.0) / z / 2.0, 1e-6);
  EXPECT_NEAR(d[2], (std::exp(3.0) / z - 1.0) / 2.0, 1e-6);
  EXPECT_NEAR(d[3], (1.0 / 3.0 - 1.0) / 2.0, 1e-6);
}

TEST(SoftmaxCrossEntropyTest, StaysFiniteForHugeLogits) {
  Matrix logits(2, 1);
  logits << 1e30f, -1e30f;
  const int32_t labels[] = {1};
  float d[2];
  float loss = SoftmaxCrossEntropy(ConstMatrixMap(logits.data(), 2, 1), labels, d);
  EXPECT_TRUE(std::isfinite(loss));
  EXPECT_TRUE(std::isfinite(d[0]) && std::isfinite(d[1]));
  int32_t pred[1];
  double sum = SoftmaxCrossEntropySum(ConstMatrixMap(logits.data(), 2, 1), labels, pred);
  EXPECT_TRUE(std::isfinite(sum));
  EXPECT_EQ(pred[0], 0);
}

TEST(L2Test, LossIsHalfSumOfSquaresOfKernelsOnly) {
  Mlp model({2, 2, 1});
  model.kernel(0).value << 1, 2, 3, 4;
  model.kernel(1).value << 5, 6;
  model.bias(0).value << 100, 100;
  for (Variable& v : model.variables()) v.grad.setZero();
  float loss = ApplyL2(&model.variables(), 0.1f);
  EXPECT_NEAR(loss, 0.1 * (1 + 4 + 9 + 16 + 25 + 36) / 2.0, 1e-5);
  EXPECT_FLOAT_EQ(model.kernel(0).grad[3], 0.4f);
  EXPECT_FLOAT_EQ(model.bias(0).grad[0], 0.0f);
}

TEST(MlpTest, NamesVariablesAsTensorFlowLayersDo) {
  Mlp model({784, 1024, 512, 10});
  std::vector<std::string> names;
  for (const Variable& v : model.variables()) names.push_back(v.name);
  EXPECT_EQ(names, (std::vector<std::string>{"dense/kernel", "dense/bias", "dense_1/kernel",
                                             "dense_1/bias", "dense_2/kernel", "dense_2/bias"}));
  EXPECT_EQ(model.kernel(0).shape, (std::vector<int64_t>{784, 1024}));
  EXPECT_EQ(model.bias(2).shape, (std::vector<int64_t>{10}));
}

TEST(MlpTest, KernelBytesAreTensorFlowRowMajorInByOut) {
  // logits = x[1,2] @ kernel[2,3] with kernel row-major: the first output is
  // x0 * k[0][0] + x1 * k[1][0].
  Mlp model({2, 3});
  model.kernel(0).value << 1, 2, 3, 4, 5, 6;  // k[0] = {1,2,3}, k[1] = {4,5,6}
  const float x[] = {10, 100};
  ConstMatrixMap logits = model.Forward(x, 1);
  EXPECT_FLOAT_EQ(logits(0, 0), 410);
  EXPECT_FLOAT_EQ(logits(2, 0), 630);
}

}  // namespace
}  // namespace mnist
