// Tests for app/pictures/axis_ticks.h: steps of 1, 2 or 5 times a power of ten, axes
// widened to whole steps, and tick labels.
#include "app/pictures/axis_ticks.h"

#include <gtest/gtest.h>

namespace mnist {
namespace {

TEST(AxisTicksTest, StepIsOneTwoOrFiveTimesAPowerOfTen) {
  EXPECT_DOUBLE_EQ(NiceStep(1.0, 5), 0.2);
  EXPECT_DOUBLE_EQ(NiceStep(0.07, 6), 0.02);
  EXPECT_DOUBLE_EQ(NiceStep(0.3, 6), 0.05);
  EXPECT_DOUBLE_EQ(NiceStep(19.0, 10), 2.0);
  EXPECT_DOUBLE_EQ(NiceStep(100.0, 10), 10.0);
  EXPECT_DOUBLE_EQ(NiceStep(3.0, 10, /*min_step=*/1.0), 1.0);
}

TEST(AxisTicksTest, ValueAxisWidensToWholeSteps) {
  const Axis axis = NiceAxis(0.8213, 0.8912, 6);
  EXPECT_DOUBLE_EQ(axis.step, 0.02);
  EXPECT_NEAR(axis.lo, 0.82, 1e-12);
  EXPECT_NEAR(axis.hi, 0.90, 1e-12);
  ASSERT_EQ(axis.ticks.size(), 5u);
  EXPECT_EQ(axis.decimals, 2);
  EXPECT_EQ(FormatTick(axis.ticks[1], axis.decimals), "0.84");
}

TEST(AxisTicksTest, OneValueRangeStillGetsTicks) {
  const Axis axis = NiceAxis(0.5, 0.5, 5);
  EXPECT_LT(axis.lo, 0.5);
  EXPECT_GT(axis.hi, 0.5);
  EXPECT_GE(axis.ticks.size(), 2u);
}

TEST(AxisTicksTest, AxisWithinKeepsItsEndsAndTicksInside) {
  const Axis axis = AxisWithin(0.5, 7.5, 2.0);
  EXPECT_DOUBLE_EQ(axis.lo, 0.5);
  EXPECT_DOUBLE_EQ(axis.hi, 7.5);
  EXPECT_EQ(axis.ticks, (std::vector<double>{2.0, 4.0, 6.0}));
  EXPECT_EQ(axis.decimals, 0);
}

TEST(AxisTicksTest, TickLabelsNeverShowMinusZero) {
  EXPECT_EQ(FormatTick(-1e-17, 2), "0.00");
  EXPECT_EQ(FormatTick(-0.5, 1), "-0.5");
  EXPECT_EQ(FormatTick(40.0, 0), "40");
}

}  // namespace
}  // namespace mnist
