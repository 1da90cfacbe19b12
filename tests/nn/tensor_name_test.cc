// Tests for nn/graph/tensor_name.h: the one parser of "node", "node:k" and
// "^node", table-driven over good and bad names.
#include "nn/graph/tensor_name.h"

#include <gtest/gtest.h>

namespace mnist {
namespace {

TEST(TensorNameTest, ParsesNodeOutputAndControl) {
  struct Case {
    std::string text, node;
    int output;
    bool control;
  };
  for (const Case& c : std::vector<Case>{{"x", "x", 0, false},
                                         {"dense/MatMul", "dense/MatMul", 0, false},
                                         {"x:0", "x", 0, false},
                                         {"save/RestoreV2:12", "save/RestoreV2", 12, false},
                                         {"x:999999", "x", 999999, false},
                                         {"^init", "init", 0, true},
                                         {"^a:1", "a:1", 0, true}}) {  // no ":k" on a control input
    const std::optional<TensorName> name = ParseTensorName(c.text);
    ASSERT_TRUE(name.has_value()) << c.text;
    EXPECT_EQ(name->node, c.node) << c.text;
    EXPECT_EQ(name->output, c.output) << c.text;
    EXPECT_EQ(name->control, c.control) << c.text;
  }
}

TEST(TensorNameTest, RefusesMalformedNames) {
  for (const std::string text : {"", "^", ":0", "x:", "x:a", "x:-1", "x:1a", "x:1234567"}) {
    EXPECT_FALSE(ParseTensorName(text).has_value()) << "'" << text << "'";
  }
}

}  // namespace
}  // namespace mnist
