#include "nn/optimizer/ema.h"

#include <algorithm>

namespace mnist {

ExponentialMovingAverage::ExponentialMovingAverage(float decay, const std::vector<Variable>& vars)
    : decay_(decay) {
  for (const Variable& v : vars) {
    Variable shadow;
    shadow.name = v.name + kEmaSuffix;
    shadow.shape = v.shape;
    shadow.value = v.value;
    shadows_.push_back(std::move(shadow));
  }
}

float ExponentialMovingAverage::Rate(int64_t step) const {
  return 1.0f - std::min(decay_, static_cast<float>(1 + step) / static_cast<float>(10 + step));
}

void ExponentialMovingAverage::Update(const std::vector<Variable>& vars, int64_t step) {
  const float one_minus_d = Rate(step);
  for (size_t i = 0; i < vars.size(); ++i) {
    float* s = shadows_[i].value.data();
    const float* v = vars[i].value.data();
    const int64_t n = vars[i].num_elements();
#pragma omp parallel for simd schedule(static)
    for (int64_t k = 0; k < n; ++k) s[k] -= one_minus_d * (s[k] - v[k]);
  }
}

}  // namespace mnist
