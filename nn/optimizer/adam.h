// Adam, updating exactly as TensorFlow 1's ApplyAdam kernel does:
//   lr_t = lr * sqrt(1 - beta2_power) / (1 - beta1_power)
//   m   += (g - m) * (1 - beta1)
//   v   += (g^2 - v) * (1 - beta2)
//   w   -= lr_t * m / (sqrt(v) + epsilon)
// then beta1_power *= beta1 and beta2_power *= beta2. The powers start at
// beta1 and beta2 (TensorFlow's `beta1_power` / `beta2_power` variables).
//
// L2 regularisation (tests/support/l2.h) can ride along: Step(vars, l2) adds
// l2 * w to each kernel's gradient, exactly as ApplyL2 would (but without
// storing it back), inside the same pass over memory, and returns the L2
// loss; so can the EMA (nn/optimizer/ema.h): Step(vars, l2, ema, step) moves
// the shadows as ema->Update(vars, step) would, after each element's update.
// Adam's pass is memory-bound, so this saves a full read and write of every
// kernel and its gradient (and of every variable and shadow) per step.
//
// Slots are keyed by the variable's name, `<var>/Adam` for m and
// `<var>/Adam_1` for v, so a checkpoint restores them by lookup.
#ifndef MNIST_NN_OPTIMIZER_ADAM_H_
#define MNIST_NN_OPTIMIZER_ADAM_H_

#include <cstdint>
#include <string>
#include <vector>

#include "nn/network/variable.h"
#include "nn/optimizer/ema.h"

namespace mnist {

// The names TensorFlow gives Adam's slots: `<var>/Adam` (m), `<var>/Adam_1` (v).
constexpr char kAdamMSuffix[] = "/Adam";
constexpr char kAdamVSuffix[] = "/Adam_1";
// ... and its powers of beta1 and beta2.
constexpr char kBeta1PowerName[] = "beta1_power";
constexpr char kBeta2PowerName[] = "beta2_power";

struct AdamOptions {
  float learning_rate = 0.001f;
  float beta1 = 0.9f;
  float beta2 = 0.999f;
  float epsilon = 1e-8f;
};

class Adam {
 public:
  // Creates zero slots for each of `vars` (same order, same sizes).
  Adam(const AdamOptions& options, const std::vector<Variable>& vars);

  // One update of every variable from its grad, plus `l2` * w for kernels
  // (TF's l2_loss term); returns that L2 loss, l2 * sum(w^2) / 2 over the
  // kernels before the update. With `ema`, then ema->Update(*vars, ema_step)
  // in the same pass. Grads are read, not changed. REQUIRES: the same
  // variables (in number and size) as at construction, and as ema's.
  float Step(std::vector<Variable>* vars, float l2 = 0.0f, ExponentialMovingAverage* ema = nullptr,
             int64_t ema_step = 0);

  const AdamOptions& options() const { return options_; }
  // m and v of variable i, named `<var>/Adam` and `<var>/Adam_1`.
  std::vector<Variable>& m() { return m_; }
  std::vector<Variable>& v() { return v_; }
  const std::vector<Variable>& m() const { return m_; }
  const std::vector<Variable>& v() const { return v_; }
  float beta1_power() const { return beta1_power_; }
  float beta2_power() const { return beta2_power_; }
  void set_beta_powers(float beta1_power, float beta2_power) {
    beta1_power_ = beta1_power;
    beta2_power_ = beta2_power;
  }

 private:
  AdamOptions options_;
  std::vector<Variable> m_;
  std::vector<Variable> v_;
  float beta1_power_;
  float beta2_power_;
};

}  // namespace mnist

#endif  // MNIST_NN_OPTIMIZER_ADAM_H_
