// Tests for nn/optimizer/adam.h: three steps on known numbers, computed by hand from
// TensorFlow 1's ApplyAdam formula in double precision; L2 and the EMA folded
// into its pass give what the separate passes give.
#include "nn/optimizer/adam.h"

#include "tests/support/l2.h"

#include <gtest/gtest.h>

#include <cmath>

namespace mnist {
namespace {

// A kernel "k" of `n` elements and a bias "b" of 7, with gradients.
std::vector<Variable> KernelAndBias(int n) {
  std::vector<Variable> vars(2);
  vars[0].name = "k";
  vars[0].is_kernel = true;
  vars[0].value = Vector::LinSpaced(n, -1.0f, 2.0f);
  vars[0].grad = Vector::LinSpaced(n, 0.5f, -0.3f);
  vars[1].name = "b";
  vars[1].value = Vector::LinSpaced(7, 3.0f, 4.0f);
  vars[1].grad = Vector::LinSpaced(7, -0.1f, 0.1f);
  return vars;
}

TEST(AdamTest, ThreeStepsMatchTensorFlowFormula) {
  std::vector<Variable> vars(1);
  vars[0].name = "w";
  vars[0].shape = {2};
  vars[0].value = Vector(2);
  vars[0].value << 1.0f, -2.0f;
  vars[0].grad = Vector(2);
  AdamOptions options;  // lr 0.001, 0.9, 0.999, 1e-8
  Adam adam(options, vars);
  const double grads[3][2] = {{0.5, -1.0}, {0.25, 2.0}, {-0.75, 0.1}};

  double w[2] = {1.0, -2.0}, m[2] = {0, 0}, v[2] = {0, 0};
  double b1p = 0.9, b2p = 0.999;
  for (int step = 0; step < 3; ++step) {
    vars[0].grad << static_cast<float>(grads[step][0]), static_cast<float>(grads[step][1]);
    adam.Step(&vars);
    const double lr_t = 0.001 * std::sqrt(1 - b2p) / (1 - b1p);
    for (int i = 0; i < 2; ++i) {
      m[i] = 0.9 * m[i] + 0.1 * grads[step][i];
      v[i] = 0.999 * v[i] + 0.001 * grads[step][i] * grads[step][i];
      w[i] -= lr_t * m[i] / (std::sqrt(v[i]) + 1e-8);
    }
    b1p *= 0.9;
    b2p *= 0.999;
    for (int i = 0; i < 2; ++i) {
      EXPECT_NEAR(vars[0].value[i], w[i], 1e-6) << "step " << step << " element " << i;
      EXPECT_NEAR(adam.m()[0].value[i], m[i], 1e-6);
      EXPECT_NEAR(adam.v()[0].value[i], v[i], 1e-7);
    }
  }
  EXPECT_NEAR(adam.beta1_power(), 0.9 * 0.9 * 0.9 * 0.9, 1e-6);
  EXPECT_NEAR(adam.beta2_power(), std::pow(0.999, 4), 1e-6);
}

TEST(AdamTest, StepWithL2EqualsApplyL2ThenStep) {
  std::vector<Variable> a = KernelAndBias(50), b = a;
  Adam fused(AdamOptions{}, a), separate(AdamOptions{}, b);
  const float fused_loss = fused.Step(&a, 0.01f);
  const float l2_loss = ApplyL2(&b, 0.01f);
  separate.Step(&b);
  EXPECT_NEAR(fused_loss, l2_loss, 1e-6);
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(a[i].value, b[i].value) << a[i].name;
    EXPECT_EQ(fused.m()[i].value, separate.m()[i].value) << a[i].name;
    EXPECT_EQ(fused.v()[i].value, separate.v()[i].value) << a[i].name;
  }
}

TEST(AdamTest, StepWithEmaEqualsStepThenEmaUpdateBitForBit) {
  std::vector<Variable> a = KernelAndBias(1000), b = a;
  Adam fused(AdamOptions{}, a), separate(AdamOptions{}, b);
  ExponentialMovingAverage fused_ema(0.99f, a), separate_ema(0.99f, b);
  for (int64_t step = 1; step <= 3; ++step) {
    const float fused_loss = fused.Step(&a, 0.01f, &fused_ema, step);
    const float separate_loss = separate.Step(&b, 0.01f);
    separate_ema.Update(b, step);
    EXPECT_EQ(fused_loss, separate_loss);
  }
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(a[i].value, b[i].value) << a[i].name;
    EXPECT_EQ(fused_ema.shadows()[i].value, separate_ema.shadows()[i].value) << a[i].name;
    EXPECT_EQ(fused.m()[i].value, separate.m()[i].value) << a[i].name;
  }
}

TEST(AdamTest, SlotsAreNamedAfterTheirVariable) {
  std::vector<Variable> vars(1);
  vars[0].name = "dense/kernel";
  vars[0].value = Vector::Zero(3);
  Adam adam(AdamOptions{}, vars);
  EXPECT_EQ(adam.m()[0].name, "dense/kernel/Adam");
  EXPECT_EQ(adam.v()[0].name, "dense/kernel/Adam_1");
}

}  // namespace
}  // namespace mnist
