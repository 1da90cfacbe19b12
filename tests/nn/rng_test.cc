// Tests for nn/network/rng.h: reproducibility and the truncated normal's statistics.
#include "nn/network/rng.h"

#include <gtest/gtest.h>

#include <cmath>

namespace mnist {
namespace {

TEST(RngTest, SameSeedAndStreamRepeat) {
  Rng a(42, 3), b(42, 3), c(42, 4);
  uint64_t x = a.Next();
  EXPECT_EQ(x, b.Next());
  EXPECT_NE(x, c.Next());
}

TEST(RngTest, UniformIntStaysInRangeAndCoversIt) {
  Rng rng(0, 0);
  int seen[7] = {};
  for (int i = 0; i < 7000; ++i) {
    uint64_t v = rng.UniformInt(7);
    ASSERT_LT(v, 7u);
    ++seen[v];
  }
  for (int count : seen) EXPECT_GT(count, 850);
}

TEST(RngTest, TruncatedNormalHasStdAndNothingBeyondTwoStd) {
  Rng rng(0, 0);
  const int n = 1000000;
  const float stddev = 0.01f;
  double sum = 0.0, sum_sq = 0.0;
  float extreme = 0.0f;
  for (int i = 0; i < n; ++i) {
    float v = rng.TruncatedNormal(stddev);
    sum += v;
    sum_sq += double{v} * v;
    extreme = std::max(extreme, std::fabs(v));
  }
  const double mean = sum / n;
  const double std = std::sqrt(sum_sq / n - mean * mean);
  EXPECT_NEAR(mean, 0.0, 3e-5);
  // A normal truncated at +-2 std keeps 0.8796 of its standard deviation.
  EXPECT_NEAR(std / stddev, 0.8796, 0.003);
  EXPECT_LE(extreme, 2.0f * stddev);
}

}  // namespace
}  // namespace mnist
