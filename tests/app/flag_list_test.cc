// Tests for app/cli/flag_list.h: --hidden, --var-map and name lists.
#include "app/cli/flag_list.h"

#include <gtest/gtest.h>

namespace mnist {
namespace {

TEST(ParseWidthsTest, AcceptsListsAndRejectsJunk) {
  EXPECT_EQ(*ParseWidths("7"), std::vector<int>{7});
  EXPECT_EQ(*ParseWidths("1048576,1"), (std::vector<int>{1 << 20, 1}));
  for (const char* bad : {"", "3,", "-3", "3x", "1048577", "0"}) {
    StatusOr<std::vector<int>> w = ParseWidths(bad);
    ASSERT_FALSE(w.ok()) << bad;
    EXPECT_EQ(w.status().code(), Status::Code::kInvalidArgument);
    EXPECT_EQ(w.status().message(), "--hidden \"" + std::string(bad) +
                                        "\": expected comma-separated positive widths, e.g. 1024,512");
  }
}

TEST(VarMapTest, ParsesPairsAndRejectsJunk) {
  StatusOr<std::map<std::string, std::string>> m = ParseVarMap("a=b,c/d=e/f");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->at("c/d"), "e/f");
  for (const char* bad : {"", "a", "a=", "=b", "a=b,", "a=b,,c=d"}) {
    StatusOr<std::map<std::string, std::string>> map = ParseVarMap(bad);
    ASSERT_FALSE(map.ok()) << bad;
    EXPECT_EQ(map.status().message(),
              "--var-map \"" + std::string(bad) + "\": expected checkpoint_name=model_name[,...]");
  }
}

TEST(SplitNamesTest, DropsEmptyItems) {
  EXPECT_EQ(SplitNames("a,,b,"), (std::vector<std::string>{"a", "b"}));
}

}  // namespace
}  // namespace mnist
