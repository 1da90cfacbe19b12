// Tests for data/dataset/batches.h: seeded epoch order and float batches.
#include "data/dataset/batches.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "tests/support/idx_writer.h"

namespace mnist {
namespace {

TEST(BatchesTest, EpochOrderIsAPermutationFixedBySeedAndEpoch) {
  std::vector<uint32_t> a = EpochOrder(1000, 0, 1);
  std::vector<uint32_t> again = EpochOrder(1000, 0, 1);
  std::vector<uint32_t> next_epoch = EpochOrder(1000, 0, 2);
  std::vector<uint32_t> other_seed = EpochOrder(1000, 1, 1);
  EXPECT_EQ(a, again);
  EXPECT_NE(a, next_epoch);
  EXPECT_NE(a, other_seed);
  std::vector<uint32_t> sorted = a;
  std::sort(sorted.begin(), sorted.end());
  for (uint32_t i = 0; i < 1000; ++i) ASSERT_EQ(sorted[i], i);
}

TEST(BatchesTest, BatchCountKeepsLastPartialBatch) {
  EXPECT_EQ(BatchCount(60000, 100), 600);
  EXPECT_EQ(BatchCount(101, 100), 2);
  EXPECT_EQ(BatchCount(5, 100), 1);
}

TEST(BatchesTest, FillBatchScalesPixelsAndFollowsOrder) {
  Split split;
  split.images.count = 2;
  split.images.rows = 1;
  split.images.cols = 2;
  split.images.pixels = std::string("\x00\xff\x33\x66", 4);
  split.labels.labels = std::string("\x04\x07", 2);
  const uint32_t order[] = {1, 0};
  float x[4];
  int32_t labels[2];
  FillBatch(split, order, 0, 2, x, labels);
  EXPECT_FLOAT_EQ(x[0], 0x33 / 255.0f);
  EXPECT_FLOAT_EQ(x[1], 0x66 / 255.0f);
  EXPECT_FLOAT_EQ(x[2], 0.0f);
  EXPECT_FLOAT_EQ(x[3], 1.0f);
  EXPECT_EQ(labels[0], 7);
  EXPECT_EQ(labels[1], 4);
}

TEST(BatchesTest, FillImagesTakesAnyPixelScale) {
  IdxImages images;
  images.count = 1;
  images.rows = 1;
  images.cols = 2;
  images.pixels = std::string("\x00\xff", 2);
  float x[2];
  FillImages(images, nullptr, 0, 1, x, 1.0f);  // a graph trained on raw pixels
  EXPECT_EQ(x[0], 0.0f);
  EXPECT_EQ(x[1], 255.0f);
  FillImages(images, nullptr, 0, 1, x);
  EXPECT_EQ(x[1], 255.0f * kDefaultPixelScale);
}

TEST(BatchesTest, PixelScaleTextShowsOneOverKAsAFraction) {
  EXPECT_EQ(PixelScaleText(kDefaultPixelScale), "1/255");
  EXPECT_EQ(PixelScaleText(1.0f / 255.0f), "1/255");
  EXPECT_EQ(PixelScaleText(1.0f), "1");
  EXPECT_EQ(PixelScaleText(0.5f), "1/2");
  EXPECT_EQ(PixelScaleText(0.3f), "0.3");
  EXPECT_EQ(PixelScaleText(2.0f), "2");
}

}  // namespace
}  // namespace mnist
