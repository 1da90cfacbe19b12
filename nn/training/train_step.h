// One training step of the network, the unit both the training loop
// (app/modes/train.cc) and the benchmark (bench/mnist_bench.cc) run:
// forward -> fused softmax cross-entropy -> backward -> Adam with the L2 term
// (and the EMA) in one pass.
#ifndef MNIST_NN_TRAINING_TRAIN_STEP_H_
#define MNIST_NN_TRAINING_TRAIN_STEP_H_

#include <cstdint>

#include "nn/optimizer/adam.h"
#include "nn/network/mlp.h"

namespace mnist {

// Trains `model` on the batch x (input_size x batch, column-major) with
// `labels`, updating it with `adam`; returns the batch's mean cross-entropy
// plus the L2 loss (`l2` times the kernels' sum of w^2 / 2, before the update).
// A cross-entropy that is not finite (NaN, +-Inf) is returned at once, before
// backward and the update, so the model and Adam keep their finite state.
// With `ema`, its shadows then move toward the updated variables as
// ema->Update(variables, step) would, `step` being the global step after
// this one, inside Adam's pass.
// REQUIRES: dlogits has room for num_classes * batch floats (scratch).
float TrainStep(Mlp* model, Adam* adam, const float* x, const int32_t* labels, int batch,
                float l2, float* dlogits, ExponentialMovingAverage* ema = nullptr,
                int64_t step = 0);

}  // namespace mnist

#endif  // MNIST_NN_TRAINING_TRAIN_STEP_H_
