#include "app/training/evaluate.h"

#include <algorithm>
#include <cstdio>
#include <string>

#include "data/dataset/batches.h"
#include "nn/loss/softmax_cross_entropy.h"

namespace mnist {

void EvalResult::Count(int label, int64_t predicted) {
  ++examples;
  const int64_t classes = static_cast<int64_t>(confusion.size());
  if (predicted == label) ++correct;
  if (label >= 0 && label < classes && predicted >= 0 && predicted < classes) {
    ++confusion[label][predicted];
  }
  accuracy = static_cast<double>(correct) / static_cast<double>(examples);
}

double EvalResult::ClassAccuracy(int c) const {
  int64_t total = 0;
  for (int64_t n : confusion[c]) total += n;
  return total == 0 ? 0.0 : static_cast<double>(confusion[c][c]) / static_cast<double>(total);
}

StatusOr<EvalResult> EvaluateLogits(const LogitsFunction& logits, int classes, const Split& split,
                                    int batch_size, float pixel_scale) {
  const uint32_t n = split.size();
  const int batch = static_cast<int>(std::min<uint32_t>(static_cast<uint32_t>(batch_size), n));
  std::vector<float> x(size_t{split.images.pixels_per_image()} * batch);
  std::vector<int32_t> labels(batch);

  EvalResult result(classes);
  result.predictions.resize(n);
  double loss_sum = 0.0;
  for (int64_t begin = 0; begin < n; begin += batch) {
    const int64_t end = std::min<int64_t>(begin + batch, n);
    const int size = static_cast<int>(end - begin);
    FillBatch(split, /*order=*/nullptr, begin, end, x.data(), labels.data(), pixel_scale);
    StatusOr<ConstMatrixMap> z = logits(x.data(), size);
    if (!z.ok()) return z.status();
    if (z->rows() != classes || z->cols() != size) {
      return Status::InvalidArgument("logits are " + std::to_string(z->cols()) + " x " +
                                     std::to_string(z->rows()) + ", expected " + std::to_string(size) +
                                     " x " + std::to_string(classes));
    }
    int32_t* predictions = result.predictions.data() + begin;
    loss_sum += SoftmaxCrossEntropySum(*z, labels.data(), predictions);
    for (int b = 0; b < size; ++b) result.Count(labels[b], predictions[b]);
  }
  result.loss = n == 0 ? 0.0 : loss_sum / n;
  return result;
}

EvalResult Evaluate(Mlp* model, const Split& split, float pixel_scale) {
  return *EvaluateLogits(
      [model](const float* x, int batch) -> StatusOr<ConstMatrixMap> { return model->Forward(x, batch); },
      model->num_classes(), split, kEvalBatchSize, pixel_scale);
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
