#include "app/evaluate.h"

#include <cstdio>

#include "data/batches.h"
#include "nn/softmax_cross_entropy.h"

namespace mnist {

double EvalResult::ClassAccuracy(int c) const {
  int64_t total = 0;
  for (int64_t n : confusion[c]) total += n;
  return total == 0 ? 0.0 : static_cast<double>(confusion[c][c]) / static_cast<double>(total);
}

EvalResult Evaluate(Mlp* model, const Split& split) {
  const int classes = model->num_classes();
  const uint32_t n = split.size();
  const int batch = static_cast<int>(std::min<uint32_t>(kEvalBatchSize, n));
  std::vector<uint32_t> order(n);
  for (uint32_t i = 0; i < n; ++i) order[i] = i;
  std::vector<float> x(size_t{split.images.pixels_per_image()} * batch);
  std::vector<int32_t> labels(batch);
  std::vector<int32_t> predictions(batch);

  EvalResult result;
  result.confusion.assign(classes, std::vector<int64_t>(classes, 0));
  double loss_sum = 0.0;
  int64_t correct = 0;
  for (int64_t begin = 0; begin < n; begin += batch) {
    const int64_t end = std::min<int64_t>(begin + batch, n);
    const int size = static_cast<int>(end - begin);
    FillBatch(split, order.data(), begin, end, x.data(), labels.data());
    ConstMatrixMap logits = model->Forward(x.data(), size);
    loss_sum += SoftmaxCrossEntropySum(logits, labels.data(), predictions.data());
    for (int b = 0; b < size; ++b) {
      correct += predictions[b] == labels[b];
      if (labels[b] < classes) ++result.confusion[labels[b]][predictions[b]];
    }
  }
  result.examples = n;
  result.loss = loss_sum / n;
  result.accuracy = static_cast<double>(correct) / n;
  return result;
}

std::string FormatConfusion(const EvalResult& result) {
  const int classes = static_cast<int>(result.confusion.size());
  std::string out = "class  accuracy  predicted:";
  char cell[32];
  for (int p = 0; p < classes; ++p) {
    std::snprintf(cell, sizeof(cell), "%6d", p);
    out += cell;
  }
  out += "\n";
  for (int c = 0; c < classes; ++c) {
    std::snprintf(cell, sizeof(cell), "%5d  %8.4f  %10s", c, result.ClassAccuracy(c), "");
    out += cell;
    for (int p = 0; p < classes; ++p) {
      std::snprintf(cell, sizeof(cell), "%6lld", static_cast<long long>(result.confusion[c][p]));
      out += cell;
    }
    out += "\n";
  }
  return out;
}

}  // namespace mnist
