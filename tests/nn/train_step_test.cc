// Tests for nn/training/train_step.h: one step gives bit for bit what
// forward, loss, backward and one Adam step (with L2 and the EMA) give, and
// returns the cross-entropy plus the L2 loss; a loss that is not finite
// changes nothing.
#include "nn/training/train_step.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "nn/loss/softmax_cross_entropy.h"

namespace mnist {
namespace {

constexpr int kBatch = 5;

struct Trainer {
  Mlp model{{12, 9, 7, 4}};
  Adam adam;
  ExponentialMovingAverage ema;
  Trainer() : adam(AdamOptions{}, model.variables()), ema(0.9f, model.variables()) {
    Rng rng(3, 0);
    model.Init(&rng, 0.3f);
    ema = ExponentialMovingAverage(0.9f, model.variables());
  }
};

std::vector<float> Batch(int step) {
  std::vector<float> x(12 * kBatch);
  for (size_t i = 0; i < x.size(); ++i) x[i] = std::sin(0.37f * static_cast<float>(i + 13 * step));
  return x;
}

TEST(TrainStepTest, IsForwardLossBackwardAndOneAdamStepBitForBit) {
  Trainer one_step, parts;
  const std::vector<int32_t> labels = {0, 3, 1, 2, 3};
  std::vector<float> dlogits(4 * kBatch);
  for (int step = 1; step <= 4; ++step) {
    const std::vector<float> x = Batch(step);
    const float loss = TrainStep(&one_step.model, &one_step.adam, x.data(), labels.data(), kBatch, 0.01f,
                                 dlogits.data(), &one_step.ema, step);
    ConstMatrixMap logits = parts.model.Forward(x.data(), kBatch);
    const float cross_entropy = SoftmaxCrossEntropy(logits, labels.data(), dlogits.data());
    parts.model.Backward(dlogits.data());
    const float l2 = parts.adam.Step(&parts.model.variables(), 0.01f, &parts.ema, step);
    EXPECT_EQ(loss, cross_entropy + l2) << "step " << step;
  }
  for (size_t i = 0; i < one_step.model.variables().size(); ++i) {
    const std::string& name = one_step.model.variables()[i].name;
    EXPECT_EQ(one_step.model.variables()[i].value, parts.model.variables()[i].value) << name;
    EXPECT_EQ(one_step.adam.m()[i].value, parts.adam.m()[i].value) << name;
    EXPECT_EQ(one_step.adam.v()[i].value, parts.adam.v()[i].value) << name;
    EXPECT_EQ(one_step.ema.shadows()[i].value, parts.ema.shadows()[i].value) << name;
  }
  EXPECT_EQ(one_step.adam.beta1_power(), parts.adam.beta1_power());
}

TEST(TrainStepTest, ANonFiniteLossUpdatesNothing) {
  Trainer run;
  const std::vector<int32_t> labels = {0, 3, 1, 2, 3};
  std::vector<float> x = Batch(1), dlogits(4 * kBatch);
  x[0] = std::numeric_limits<float>::infinity();
  const std::vector<Variable> before = run.model.variables();
  EXPECT_FALSE(std::isfinite(TrainStep(&run.model, &run.adam, x.data(), labels.data(), kBatch, 0.01f,
                                       dlogits.data(), &run.ema, 1)));
  for (size_t i = 0; i < before.size(); ++i) EXPECT_EQ(run.model.variables()[i].value, before[i].value);
  EXPECT_EQ(run.adam.beta1_power(), AdamOptions{}.beta1);
}

}  // namespace
}  // namespace mnist
