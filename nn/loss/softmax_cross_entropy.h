// Sparse softmax cross-entropy, fused with the softmax.
//
// For logits z (C x B, one example per column) and integer labels y:
//   p = softmax(z) per column (the column max is subtracted first),
//   loss_b = log(sum_c exp(z_c - m)) - (z_y - m),
//   dL/dz = (p - onehot(y)) / B for the batch mean,
// which never forms 1/p and stays finite for any finite logits.
#ifndef MNIST_NN_LOSS_SOFTMAX_CROSS_ENTROPY_H_
#define MNIST_NN_LOSS_SOFTMAX_CROSS_ENTROPY_H_

#include <cstdint>

#include "nn/network/variable.h"

namespace mnist {

// Returns the mean loss over the batch and writes dL/dz for that mean into
// `dlogits` (same shape as logits). REQUIRES: every label in [0, C).
float SoftmaxCrossEntropy(const ConstMatrixMap& logits, const int32_t* labels, float* dlogits);

// Evaluation: returns the summed loss (double) and writes each column's
// argmax into `predictions` (ties go to the lowest class, as tf.argmax does).
double SoftmaxCrossEntropySum(const ConstMatrixMap& logits, const int32_t* labels,
                              int32_t* predictions);

}  // namespace mnist

#endif  // MNIST_NN_LOSS_SOFTMAX_CROSS_ENTROPY_H_
