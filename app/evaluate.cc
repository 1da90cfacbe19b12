#include "app/evaluate.h"

#include <algorithm>
#include <cstdio>
#include <string>

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

  EvalResult result;
  result.confusion.assign(classes, std::vector<int64_t>(classes, 0));
  result.predictions.resize(n);
  double loss_sum = 0.0;
  int64_t correct = 0;
  for (int64_t begin = 0; begin < n; begin += batch) {
    const int64_t end = std::min<int64_t>(begin + batch, n);
    const int size = static_cast<int>(end - begin);
    FillBatch(split, order.data(), begin, end, x.data(), labels.data());
    ConstMatrixMap logits = model->Forward(x.data(), size);
    int32_t* predictions = result.predictions.data() + begin;
    loss_sum += SoftmaxCrossEntropySum(logits, labels.data(), predictions);
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

namespace {

// `text` right-aligned in a field of `width` characters.
std::string Field(const std::string& text, int width) {
  const size_t w = static_cast<size_t>(width);
  return text.size() >= w ? text : std::string(w - text.size(), ' ') + text;
}

}  // namespace

std::string FormatConfusion(const EvalResult& result) {
  const int classes = static_cast<int>(result.confusion.size());
  // Columns are wide enough for the largest count (and the class numbers),
  // with at least two spaces between them.
  int64_t largest = classes - 1;
  for (const std::vector<int64_t>& row : result.confusion) {
    for (int64_t n : row) largest = std::max(largest, n);
  }
  const int width = std::max(6, static_cast<int>(std::to_string(largest).size()) + 2);
  std::string out = "class  accuracy  predicted:";
  for (int p = 0; p < classes; ++p) out += Field(std::to_string(p), width);
  out += "\n";
  char cell[64];
  for (int c = 0; c < classes; ++c) {
    std::snprintf(cell, sizeof(cell), "%5d  %8.4f  %10s", c, result.ClassAccuracy(c), "");
    out += cell;
    for (int p = 0; p < classes; ++p) out += Field(std::to_string(result.confusion[c][p]), width);
    out += "\n";
  }
  return out;
}

}  // namespace mnist
