#include "nn/training/train_step.h"

#include <cmath>

#include "nn/loss/softmax_cross_entropy.h"

namespace mnist {

float TrainStep(Mlp* model, Adam* adam, const float* x, const int32_t* labels, int batch,
                float l2, float* dlogits, ExponentialMovingAverage* ema, int64_t step) {
  ConstMatrixMap logits = model->Forward(x, batch);
  const float loss = SoftmaxCrossEntropy(logits, labels, dlogits);
  if (!std::isfinite(loss)) return loss;  // nothing updated: the state stays the last finite one
  model->Backward(dlogits);
  return loss + adam->Step(&model->variables(), l2, ema, step);  // L2 and EMA ride along
}

}  // namespace mnist
