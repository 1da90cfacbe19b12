// Tests for nn/optimizer/adam.h: three steps on known numbers, computed by hand from
// TensorFlow 1's ApplyAdam formula in double precision.
#include "nn/optimizer/adam.h"

#include "tests/support/l2.h"

#include <gtest/gtest.h>

#include <cmath>

namespace mnist {
namespace {

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
  std::vector<Variable> a(2), b;
  a[0].name = "k";
  a[0].is_kernel = true;
  a[0].value = Vector::LinSpaced(50, -1.0f, 2.0f);
  a[0].grad = Vector::LinSpaced(50, 0.5f, -0.3f);
  a[1].name = "b";
  a[1].value = Vector::LinSpaced(7, 3.0f, 4.0f);
  a[1].grad = Vector::LinSpaced(7, -0.1f, 0.1f);
  b = a;
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
