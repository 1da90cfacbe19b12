// Evaluation of a classifier on a whole split: the loss summed over every
// example then divided by the count (not a mean of batch means), accuracy,
// and a confusion matrix, and each example's predicted class (written where
// the argmax is computed anyway, so keeping them costs nothing extra). The
// classifier is our network or anything that gives logits for a batch (a
// frozen graph, app/modes/predict.h).
#ifndef MNIST_APP_TRAINING_EVALUATE_H_
#define MNIST_APP_TRAINING_EVALUATE_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "data/dataset/batches.h"
#include "data/dataset/dataset.h"
#include "io/base/status.h"
#include "nn/network/mlp.h"

namespace mnist {

// Examples per forward pass when evaluating: large batches keep GEMM busy.
constexpr int kEvalBatchSize = 1000;

struct EvalResult {
  explicit EvalResult(int classes = 0)
      : confusion(classes, std::vector<int64_t>(classes, 0)) {}

  double loss = 0.0;      // mean cross-entropy, without L2
  double accuracy = 0.0;  // fraction of examples whose argmax is the label
  int64_t examples = 0;
  int64_t correct = 0;
  // confusion[true_class][predicted_class] counts.
  std::vector<std::vector<int64_t>> confusion;
  // predictions[i]: the argmax class of example i of the split, in its order.
  std::vector<int32_t> predictions;

  // Counts one example; a prediction outside the classes counts as wrong and
  // stays out of the matrix. Updates `accuracy`.
  void Count(int label, int64_t predicted);
  // Fraction correct among examples of class c (0 when there are none).
  double ClassAccuracy(int c) const;
};

// The logits of `batch` examples x (input width x batch, column-major) as a
// classes x batch column-major matrix, valid until the next call.
using LogitsFunction = std::function<StatusOr<ConstMatrixMap>(const float* x, int batch)>;

// Runs `logits` over `split` in batches of at most `batch_size`, each pixel
// byte times `pixel_scale` (data/dataset/batches.h).
StatusOr<EvalResult> EvaluateLogits(const LogitsFunction& logits, int classes, const Split& split,
                                    int batch_size = kEvalBatchSize,
                                    float pixel_scale = kDefaultPixelScale);

EvalResult Evaluate(Mlp* model, const Split& split, float pixel_scale = kDefaultPixelScale);

// The per-class accuracy and confusion matrix as aligned text columns: every
// count is right-aligned under its class number, however large it is.
std::string FormatConfusion(const EvalResult& result);

}  // namespace mnist

#endif  // MNIST_APP_TRAINING_EVALUATE_H_
