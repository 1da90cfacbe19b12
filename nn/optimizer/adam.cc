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

}  // namespace

Adam::Adam(const AdamOptions& options, const std::vector<Variable>& vars)
    : options_(options), beta1_power_(options.beta1), beta2_power_(options.beta2) {
  for (const Variable& var : vars) {
    m_.push_back(SlotFor(var, kAdamMSuffix));
    v_.push_back(SlotFor(var, kAdamVSuffix));
  }
}

float Adam::Step(std::vector<Variable>* vars, float l2) {
  const float lr_t = options_.learning_rate * std::sqrt(1.0f - beta2_power_) /
                     (1.0f - beta1_power_);
  const float one_minus_b1 = 1.0f - options_.beta1;
  const float one_minus_b2 = 1.0f - options_.beta2;
  const float eps = options_.epsilon;
  double l2_sum = 0.0;
  for (size_t i = 0; i < vars->size(); ++i) {
    float* w = (*vars)[i].value.data();
    float* g = (*vars)[i].grad.data();
    float* m = m_[i].value.data();
    float* v = v_[i].value.data();
    const int64_t n = (*vars)[i].num_elements();
    const float decay = (*vars)[i].is_kernel ? l2 : 0.0f;
    double squares = 0.0;
#pragma omp parallel for simd schedule(static) reduction(+ : squares)
    for (int64_t k = 0; k < n; ++k) {
      squares += static_cast<double>(w[k]) * w[k];
      g[k] += decay * w[k];
      m[k] += (g[k] - m[k]) * one_minus_b1;
      v[k] += (g[k] * g[k] - v[k]) * one_minus_b2;
      w[k] -= lr_t * m[k] / (std::sqrt(v[k]) + eps);
    }
    if (decay != 0.0f) l2_sum += 0.5 * squares;
  }
  beta1_power_ *= options_.beta1;
  beta2_power_ *= options_.beta2;
  return static_cast<float>(l2 * l2_sum);
}

}  // namespace mnist
