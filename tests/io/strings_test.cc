// Tests for io/base/strings.h: Split keeps empty pieces, Join undoes it and joins numbers.
#include "io/base/strings.h"

#include <gtest/gtest.h>

namespace mnist {
namespace {

TEST(StringsTest, SplitKeepsEmptyPieces) {
  EXPECT_EQ(StrSplit("a,b", ','), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(StrSplit("a,,b,", ','), (std::vector<std::string>{"a", "", "b", ""}));
  EXPECT_EQ(StrSplit("", ';'), (std::vector<std::string>{""}));
  EXPECT_EQ(StrSplit("no separator", ','), (std::vector<std::string>{"no separator"}));
}

TEST(StringsTest, JoinPutsTheSeparatorBetweenPieces) {
  EXPECT_EQ(StrJoin({}, ", "), "");
  EXPECT_EQ(StrJoin({"a"}, ", "), "a");
  EXPECT_EQ(StrJoin({"a", "", "b"}, ", "), "a, , b");
  for (const std::string text : {"", "a", "a;b", ";a;;b;"}) EXPECT_EQ(StrJoin(StrSplit(text, ';'), ";"), text);
}

TEST(StringsTest, JoinWritesNumbersInDecimal) {
  EXPECT_EQ(StrJoin(std::vector<int>{784, 64, 10}, "-"), "784-64-10");
  EXPECT_EQ(StrJoin(std::vector<int64_t>{-1, int64_t{1} << 40}, ","), "-1,1099511627776");
  EXPECT_EQ(StrJoin(std::vector<int>{}, "."), "");
}

TEST(StringsTest, StartsWithAndEndsWithCompareTheEnds) {
  EXPECT_TRUE(StartsWith("save/restore", "save/"));
  EXPECT_FALSE(StartsWith("save", "save/"));
  EXPECT_TRUE(EndsWith("mnist.ckpt-3.index", ".index"));
  EXPECT_FALSE(EndsWith("index", ".index"));
  EXPECT_TRUE(StartsWith("a", "") && EndsWith("a", "") && EndsWith("", ""));
}

}  // namespace
}  // namespace mnist
