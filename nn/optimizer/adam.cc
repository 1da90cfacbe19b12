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

struct Coefficients {
  float lr_t, one_minus_b1, one_minus_b2, eps;
  float ema_rate = 0.0f;  // 1 - the EMA's decay at this step
};

// Adam (with the L2 term `decay` * w added to g on the fly) over one tensor
// of n elements, and with kAverage the EMA shadow s moved toward the updated
// w, in one pass: Adam is memory-bound, so each element's w, g, m, v (and s)
// are read once and w, m, v (and s) written once; g itself is left as
// Backward wrote it. Returns the sum of w^2 before the update.
template <bool kAverage>
double UpdateTensor(const Coefficients& c, float decay, int64_t n, float* w, const float* g,
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
  Coefficients c;
  c.lr_t = options_.learning_rate * std::sqrt(1.0f - beta2_power_) / (1.0f - beta1_power_);
  c.one_minus_b1 = 1.0f - options_.beta1;
  c.one_minus_b2 = 1.0f - options_.beta2;
  c.eps = options_.epsilon;
  if (ema) c.ema_rate = ema->Rate(ema_step);
  double l2_sum = 0.0;
  for (size_t i = 0; i < vars->size(); ++i) {
    Variable& var = (*vars)[i];
    const float decay = var.is_kernel ? l2 : 0.0f;
    float* w = var.value.data();
    float* m = m_[i].value.data();
    float* v = v_[i].value.data();
    const double squares =
        ema ? UpdateTensor<true>(c, decay, var.num_elements(), w, var.grad.data(), m, v,
                                 ema->shadows()[i].value.data())
            : UpdateTensor<false>(c, decay, var.num_elements(), w, var.grad.data(), m, v, nullptr);
    if (decay != 0.0f) l2_sum += 0.5 * squares;
  }
  beta1_power_ *= options_.beta1;
  beta2_power_ *= options_.beta2;
  return static_cast<float>(l2 * l2_sum);
}

}  // namespace mnist
