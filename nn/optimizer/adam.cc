#include "nn/optimizer/adam.h"

#include <cmath>

namespace mnist {
namespace {

Variable SlotFor(const Variable& var, const std::string& suffix) {
  Variable slot;
  slot.name = var.name + suffix;
  slot.shape = var.shape;
  slot.value = Vector::Zero(var.num_elements());
  return slot;
}

// Adam (with the L2 term `decay` * w added to g on the fly) over one tensor
// of n elements, and with kAverage the EMA shadow s moved toward the updated
// w, in one pass: Adam is memory-bound, so each element's w, g, m, v (and s)
// are read once and w, m, v (and s) written once; g itself is left as
// Backward wrote it. Returns the sum of w^2 before the update.
template <bool kAverage>
double UpdateTensor(const AdamStepConstants& c, float decay, int64_t n, float* w, const float* g,
                    float* m, float* v, float* s) {
  double squares = 0.0;
#pragma omp parallel for simd schedule(static) reduction(+ : squares)
  for (int64_t k = 0; k < n; ++k) {
    squares += static_cast<double>(w[k]) * w[k];
    const float gk = g[k] + decay * w[k];
    m[k] += (gk - m[k]) * c.one_minus_b1;
    v[k] += (gk * gk - v[k]) * c.one_minus_b2;
    w[k] -= c.lr_t * m[k] / (std::sqrt(v[k]) + c.eps);
    if constexpr (kAverage) s[k] -= c.ema_rate * (s[k] - w[k]);
  }
  return squares;
}

}  // namespace

Adam::Adam(const AdamOptions& options, const std::vector<Variable>& vars)
    : options_(options), beta1_power_(options.beta1), beta2_power_(options.beta2) {
  for (const Variable& var : vars) {
    m_.push_back(SlotFor(var, kAdamMSuffix));
    v_.push_back(SlotFor(var, kAdamVSuffix));
  }
}

float Adam::Step(std::vector<Variable>* vars, float l2, ExponentialMovingAverage* ema,
                 int64_t ema_step) {
  AdamStep step(this, vars, l2, ema, ema_step);
  for (size_t i = 0; i < vars->size(); ++i) step.Update(i);
  return step.Finish();
}

AdamStep::AdamStep(Adam* adam, std::vector<Variable>* vars, float l2, ExponentialMovingAverage* ema,
                   int64_t ema_step)
    : adam_(adam), vars_(vars), l2_(l2), ema_(ema), squares_(vars->size(), 0.0) {
  const AdamOptions& o = adam->options();
  c_.lr_t = o.learning_rate * std::sqrt(1.0f - adam->beta2_power()) / (1.0f - adam->beta1_power());
  c_.one_minus_b1 = 1.0f - o.beta1;
  c_.one_minus_b2 = 1.0f - o.beta2;
  c_.eps = o.epsilon;
  if (ema) c_.ema_rate = ema->Rate(ema_step);
}

void AdamStep::Update(size_t i) {
  Variable& var = (*vars_)[i];
  const float decay = var.is_kernel ? l2_ : 0.0f;
  float* w = var.value.data();
  float* m = adam_->m()[i].value.data();
  float* v = adam_->v()[i].value.data();
  const double squares =
      ema_ ? UpdateTensor<true>(c_, decay, var.num_elements(), w, var.grad.data(), m, v,
                                ema_->shadows()[i].value.data())
           : UpdateTensor<false>(c_, decay, var.num_elements(), w, var.grad.data(), m, v, nullptr);
  if (decay != 0.0f) squares_[i] = 0.5 * squares;
}

float AdamStep::Finish() {
  double l2_sum = 0.0;
  for (double s : squares_) l2_sum += s;
  const AdamOptions& o = adam_->options();
  adam_->set_beta_powers(adam_->beta1_power() * o.beta1, adam_->beta2_power() * o.beta2);
  return static_cast<float>(l2_ * l2_sum);
}

}  // namespace mnist
