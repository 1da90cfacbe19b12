#include "tests/support/l2.h"

namespace mnist {

float ApplyL2(std::vector<Variable>* vars, float scale) {
  if (scale == 0.0f) return 0.0f;
  double sum = 0.0;
  for (Variable& v : *vars) {
    if (!v.is_kernel) continue;
    sum += 0.5 * static_cast<double>(v.value.squaredNorm());
    v.grad += scale * v.value;
  }
  return static_cast<float>(scale * sum);
}

}  // namespace mnist
