// Tests for nn/graph/numpy_print.h: tensors print as numpy's str() prints
// the same arrays (the expected strings are numpy 1.26's output).
#include "nn/graph/numpy_print.h"

#include <gtest/gtest.h>

#include <cmath>

namespace mnist {
namespace {

Tensor Floats(std::vector<int64_t> shape, std::vector<float> values) {
  Tensor t;
  t.shape = std::move(shape);
  t.floats = std::move(values);
  return t;
}
Tensor Ints(tensorflow::DataType dtype, std::vector<int64_t> shape, std::vector<int64_t> values) {
  Tensor t;
  t.dtype = dtype;
  t.shape = std::move(shape);
  t.ints = std::move(values);
  return t;
}

TEST(NumpyPrintTest, FloatsTakeTheirShortestDigitsPaddedToACommonWidth) {
  EXPECT_EQ(FormatLikeNumpy(Floats({3}, {2.5f, 3, 4.5f})), "[2.5 3.  4.5]");
  EXPECT_EQ(FormatLikeNumpy(Floats({2, 1}, {7, 8})), "[[7.]\n [8.]]");
  EXPECT_EQ(FormatLikeNumpy(Floats({2}, {0.1f, 0.25f})), "[0.1  0.25]");
  EXPECT_EQ(FormatLikeNumpy(Floats({2}, {-1.5f, 10})), "[-1.5 10. ]");
  EXPECT_EQ(FormatLikeNumpy(Floats({2}, {1.0f / 3, 0})), "[0.33333334 0.        ]");
}

TEST(NumpyPrintTest, FloatsTurnScientificForTinyHugeOrWideRanges) {
  EXPECT_EQ(FormatLikeNumpy(Floats({2}, {1e-5f, 1})), "[1.e-05 1.e+00]");
  EXPECT_EQ(FormatLikeNumpy(Floats({2}, {1.5e-5f, 1})), "[1.5e-05 1.0e+00]");
  EXPECT_EQ(FormatLikeNumpy(Floats({2}, {1, 2000})), "[1.e+00 2.e+03]");
  EXPECT_EQ(FormatLikeNumpy(Floats({3}, {NAN, -INFINITY, 1})), "[ nan -inf   1.]");
}

TEST(NumpyPrintTest, IntsAlignRightAndBoolsPadTrue) {
  EXPECT_EQ(FormatLikeNumpy(Ints(tensorflow::DT_INT32, {3}, {1, -2, 10})), "[ 1 -2 10]");
  EXPECT_EQ(FormatLikeNumpy(Ints(tensorflow::DT_BOOL, {3}, {0, 0, 1})), "[False False  True]");
  EXPECT_EQ(FormatLikeNumpy(Ints(tensorflow::DT_BOOL, {1, 2}, {1, 1})), "[[ True  True]]");
}

TEST(NumpyPrintTest, ScalarsPrintAsNumpyScalars) {
  EXPECT_EQ(FormatLikeNumpy(Floats({}, {3})), "3.0");
  EXPECT_EQ(FormatLikeNumpy(Floats({}, {2.5f})), "2.5");
  EXPECT_EQ(FormatLikeNumpy(Floats({}, {1e-5f})), "1e-05");
  EXPECT_EQ(FormatLikeNumpy(Ints(tensorflow::DT_INT64, {}, {4})), "4");
  EXPECT_EQ(FormatLikeNumpy(Ints(tensorflow::DT_BOOL, {}, {1})), "True");
  EXPECT_EQ(FormatLikeNumpy(Floats({0, 3}, {})), "[]");
}

TEST(NumpyPrintTest, LongRowsWrapAt75AndBigArraysAreSummarised) {
  std::vector<int64_t> v(30);
  for (int i = 0; i < 30; ++i) v[i] = i;
  EXPECT_EQ(FormatLikeNumpy(Ints(tensorflow::DT_INT64, {30}, v)),
            "[ 0  1  2  3  4  5  6  7  8  9 10 11 12 13 14 15 16 17 18 19 20 21 22 23\n"
            " 24 25 26 27 28 29]");
  v.resize(1001);
  for (int i = 0; i < 1001; ++i) v[i] = i;
  EXPECT_EQ(FormatLikeNumpy(Ints(tensorflow::DT_INT64, {1001}, v)),
            "[   0    1    2 ...  998  999 1000]");
  EXPECT_EQ(FormatLikeNumpy(Ints(tensorflow::DT_INT64, {7, 143}, v)),
            "[[   0    1    2 ...  140  141  142]\n [ 143  144  145 ...  283  284  285]\n"
            " [ 286  287  288 ...  426  427  428]\n ...\n [ 572  573  574 ...  712  713  714]\n"
            " [ 715  716  717 ...  855  856  857]\n [ 858  859  860 ...  998  999 1000]]");
}

TEST(NumpyPrintTest, HeaderParts) {
  EXPECT_EQ(NumpyShape({}), "()");
  EXPECT_EQ(NumpyShape({3}), "(3,)");
  EXPECT_EQ(NumpyShape({2, 1}), "(2, 1)");
  EXPECT_EQ(NumpyDtypeName(tensorflow::DT_FLOAT), "float32");
  EXPECT_EQ(NumpyDtypeName(tensorflow::DT_BOOL), "bool");
}

}  // namespace
}  // namespace mnist
