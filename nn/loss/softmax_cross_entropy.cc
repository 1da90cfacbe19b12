#include "nn/loss/softmax_cross_entropy.h"

#include <cmath>

namespace mnist {

float SoftmaxCrossEntropy(const ConstMatrixMap& logits, const int32_t* labels, float* dlogits) {
  const int64_t classes = logits.rows();
  const int64_t batch = logits.cols();
  const float inv_batch = 1.0f / static_cast<float>(batch);
  double total = 0.0;
  for (int64_t b = 0; b < batch; ++b) {
    const float* z = logits.data() + b * classes;
    float* d = dlogits + b * classes;
    float m = z[0];
    for (int64_t c = 1; c < classes; ++c) m = std::max(m, z[c]);
    float sum = 0.0f;
    for (int64_t c = 0; c < classes; ++c) {
      d[c] = std::exp(z[c] - m);
      sum += d[c];
    }
    const float inv_sum = 1.0f / sum;
    for (int64_t c = 0; c < classes; ++c) d[c] *= inv_sum * inv_batch;
    d[labels[b]] -= inv_batch;
    total += std::log(sum) - (z[labels[b]] - m);
  }
  return static_cast<float>(total / static_cast<double>(batch));
}

double SoftmaxCrossEntropySum(const ConstMatrixMap& logits, const int32_t* labels,
                              int32_t* predictions) {
  const int64_t classes = logits.rows();
  double total = 0.0;
  for (int64_t b = 0; b < logits.cols(); ++b) {
    const float* z = logits.data() + b * classes;
    int64_t best = 0;
    for (int64_t c = 1; c < classes; ++c) {
      if (z[c] > z[best]) best = c;
    }
    const float m = z[best];
    double sum = 0.0;
    for (int64_t c = 0; c < classes; ++c) sum += std::exp(static_cast<double>(z[c] - m));
    total += std::log(sum) - static_cast<double>(z[labels[b]] - m);
    predictions[b] = static_cast<int32_t>(best);
  }
  return total;
}

}  // namespace mnist
