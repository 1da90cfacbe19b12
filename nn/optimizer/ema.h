// Exponential moving averages of the variables, as TensorFlow 1's
// tf.train.ExponentialMovingAverage(decay, num_updates=global_step) keeps them:
//   d = min(decay, (1 + step) / (10 + step))
//   shadow -= (1 - d) * (shadow - variable)
// Shadows start equal to the variables and are named
// `<var>/ExponentialMovingAverage`, so a checkpoint holds them under TF's
// names and variables_to_restore() maps each variable to its shadow.
#ifndef MNIST_NN_OPTIMIZER_EMA_H_
#define MNIST_NN_OPTIMIZER_EMA_H_

#include <cstdint>
#include <vector>

#include "nn/network/variable.h"

namespace mnist {

constexpr char kEmaSuffix[] = "/ExponentialMovingAverage";

class ExponentialMovingAverage {
 public:
  // Shadows copy the current values of `vars`.
  ExponentialMovingAverage(float decay, const std::vector<Variable>& vars);

  // Moves every shadow toward its variable; `step` is the global step after
  // the optimizer update this follows. Training does it inside Adam's pass
  // (Adam::Step), with the same arithmetic.
  void Update(const std::vector<Variable>& vars, int64_t step);
  // 1 - d at `step`: how far each shadow moves toward its variable.
  float Rate(int64_t step) const;

  float decay() const { return decay_; }
  std::vector<Variable>& shadows() { return shadows_; }
  const std::vector<Variable>& shadows() const { return shadows_; }

 private:
  float decay_;
  std::vector<Variable> shadows_;
};

}  // namespace mnist

#endif  // MNIST_NN_OPTIMIZER_EMA_H_
