// A training state that looks trained, for tests that save, restore, freeze
// or export a network: random weights moved by a few Adam steps, with EMA
// shadows that differ from the variables.
#ifndef MNIST_TESTS_SUPPORT_MODEL_FIXTURE_H_
#define MNIST_TESTS_SUPPORT_MODEL_FIXTURE_H_

#include <vector>

#include "checkpoints/saver/saver.h"
#include "nn/network/rng.h"

namespace mnist {
namespace testing {

struct ModelFixture {
  Mlp model;
  Adam adam{AdamOptions{}, model.variables()};
  ExponentialMovingAverage ema{0.99f, model.variables()};
  TrainingState state{&model, &adam, &ema, TrainProgress{}, RunSettings{}};

  explicit ModelFixture(uint64_t seed, std::vector<int> sizes = {12, 8, 6, 3})
      : model(std::move(sizes)) {
    Rng rng(seed, 0);
    model.Init(&rng, 0.3f);
    for (int step = 1; step <= 3; ++step) {
      for (Variable& v : model.variables()) {
        for (int64_t i = 0; i < v.num_elements(); ++i) v.grad[i] = static_cast<float>(rng.Normal());
      }
      adam.Step(&model.variables());
      ema.Update(model.variables(), step);
    }
    state.progress = {3, 2, 1, seed, 0.875};
  }
};

}  // namespace testing
}  // namespace mnist

#endif  // MNIST_TESTS_SUPPORT_MODEL_FIXTURE_H_
