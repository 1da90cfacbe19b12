// Evaluation of the network on a whole split: the loss summed over every
// example then divided by the count (not a mean of batch means), accuracy,
// a confusion matrix, and each example's predicted class (written where the
// argmax is computed anyway, so keeping them costs nothing extra).
#ifndef MNIST_APP_EVALUATE_H_
#define MNIST_APP_EVALUATE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "data/dataset.h"
#include "nn/mlp.h"

namespace mnist {

// Examples per forward pass when evaluating: large batches keep GEMM busy.
constexpr int kEvalBatchSize = 1000;

struct EvalResult {
  double loss = 0.0;      // mean cross-entropy, without L2
  double accuracy = 0.0;  // fraction of examples whose argmax is the label
  int64_t examples = 0;
  // confusion[true_class][predicted_class] counts.
  std::vector<std::vector<int64_t>> confusion;
  // predictions[i]: the argmax class of example i of the split, in its order.
  std::vector<int32_t> predictions;

  // Fraction correct among examples of class c (0 when there are none).
  double ClassAccuracy(int c) const;
};

EvalResult Evaluate(Mlp* model, const Split& split);

// The per-class accuracy and confusion matrix as aligned text columns: every
// count is right-aligned under its class number, however large it is.
std::string FormatConfusion(const EvalResult& result);

}  // namespace mnist

#endif  // MNIST_APP_EVALUATE_H_
