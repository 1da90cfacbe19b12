// Tests for nn/training/train_step.h: updating each layer during Backward, as
// soon as Backward is done with it, gives bit for bit what forward, loss,
// backward and then one Adam step over every variable give; and a loss that
// is not finite changes nothing.
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

TEST(TrainStepTest, UpdatingEachLayerDuringBackwardEqualsOneStepAfterItBitForBit) {
  Trainer interleaved, sequential;
  const std::vector<int32_t> labels = {0, 3, 1, 2, 3};
  std::vector<float> dlogits(4 * kBatch);
  for (int step = 1; step <= 4; ++step) {
    const std::vector<float> x = Batch(step);
    const float loss = TrainStep(&interleaved.model, &interleaved.adam, x.data(), labels.data(), kBatch, 0.01f,
                                 dlogits.data(), &interleaved.ema, step);
    ConstMatrixMap logits = sequential.model.Forward(x.data(), kBatch);
    const float cross_entropy = SoftmaxCrossEntropy(logits, labels.data(), dlogits.data());
    sequential.model.Backward(dlogits.data());
    const float l2 = sequential.adam.Step(&sequential.model.variables(), 0.01f, &sequential.ema, step);
    EXPECT_EQ(loss, cross_entropy + l2) << "step " << step;
  }
  for (size_t i = 0; i < interleaved.model.variables().size(); ++i) {
    const std::string& name = interleaved.model.variables()[i].name;
    EXPECT_EQ(interleaved.model.variables()[i].value, sequential.model.variables()[i].value) << name;
    EXPECT_EQ(interleaved.adam.m()[i].value, sequential.adam.m()[i].value) << name;
    EXPECT_EQ(interleaved.adam.v()[i].value, sequential.adam.v()[i].value) << name;
    EXPECT_EQ(interleaved.ema.shadows()[i].value, sequential.ema.shadows()[i].value) << name;
  }
  EXPECT_EQ(interleaved.adam.beta1_power(), sequential.adam.beta1_power());
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
