// Tests for app/training/evaluate.h: per-example predictions across evaluation
// batches, and a confusion matrix whose columns line up.
#include "app/training/evaluate.h"

#include <gtest/gtest.h>

#include <sstream>

namespace mnist {
namespace {

// A one-layer network that predicts class c for an image whose pixel c is
// lit: kernel [784, 10] with W[c][c] = 1 (TF row-major [in, out]).
Mlp PixelIndexModel() {
  Mlp model({784, 10});
  model.kernel(0).value.setZero();
  model.bias(0).value.setZero();
  for (int c = 0; c < 10; ++c) model.kernel(0).value[c * 10 + c] = 1.0f;
  return model;
}

// `count` images, image i lighting pixel i % 10; every seventh label is off by one.
Split PixelIndexSplit(uint32_t count) {
  Split split;
  split.images.count = count;
  split.images.rows = 28;
  split.images.cols = 28;
  split.images.pixels.assign(size_t{count} * 784, '\0');
  for (uint32_t i = 0; i < count; ++i) {
    split.images.pixels[size_t{i} * 784 + i % 10] = static_cast<char>(255);
    const int label = static_cast<int>(i % 7 == 0 ? (i + 1) % 10 : i % 10);
    split.labels.labels += static_cast<char>(label);
  }
  return split;
}

TEST(EvaluateTest, KeepsEachExamplesPredictionAcrossBatches) {
  Mlp model = PixelIndexModel();
  const uint32_t count = 2 * kEvalBatchSize + 345;  // three batches, the last partial
  const Split split = PixelIndexSplit(count);
  const EvalResult result = Evaluate(&model, split);
  ASSERT_EQ(result.predictions.size(), count);
  int64_t wrong = 0;
  for (uint32_t i = 0; i < count; ++i) {
    ASSERT_EQ(result.predictions[i], static_cast<int32_t>(i % 10)) << "example " << i;
    wrong += result.predictions[i] != split.labels.label(i);
  }
  EXPECT_EQ(wrong, (count + 6) / 7);
  EXPECT_DOUBLE_EQ(result.accuracy, static_cast<double>(count - wrong) / count);
}

// Every line has the same length and each count ends in the column of its
// class number in the header.
void ExpectAligned(const std::string& text) {
  std::istringstream lines(text);
  std::string header, line;
  ASSERT_TRUE(std::getline(lines, header));
  std::vector<size_t> ends;  // one past the last digit of each class number
  for (size_t i = 0; i < header.size(); ++i) {
    if (std::isdigit(static_cast<unsigned char>(header[i])) &&
        (i + 1 == header.size() || header[i + 1] == ' ')) {
      ends.push_back(i + 1);
    }
  }
  ASSERT_EQ(ends.size(), 10u) << header;
  while (std::getline(lines, line)) {
    EXPECT_EQ(line.size(), header.size()) << text;
    for (size_t end : ends) {
      ASSERT_LE(end, line.size());
      EXPECT_TRUE(std::isdigit(static_cast<unsigned char>(line[end - 1]))) << text;
      EXPECT_TRUE(end == line.size() || line[end] == ' ') << text;
    }
  }
}

TEST(FormatConfusionTest, ColumnsLineUpForSmallAndHugeCounts) {
  EvalResult result;
  result.confusion.assign(10, std::vector<int64_t>(10, 0));
  result.confusion[3][3] = 980;
  result.confusion[4][9] = 7;
  ExpectAligned(FormatConfusion(result));
  result.confusion[2][2] = 123456789;  // wider than the default column
  ExpectAligned(FormatConfusion(result));
}

}  // namespace
}  // namespace mnist
