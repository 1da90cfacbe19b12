// Tests for app/modes/graph_flags.h: the --input hint app/ adds to a
// graph's error, which nn/graph reports without naming flags.
#include "app/modes/graph_flags.h"

#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>

#include "nn/graph/graph_runner.h"

namespace mnist {
namespace {

// Placeholders "input", "input_1", ... of [-1, 6], each read by an Identity.
tensorflow::GraphDef Inputs(int count) {
  std::string text;
  for (int i = 0; i < count; ++i) {
    const std::string name = i == 0 ? "input" : "input_" + std::to_string(i);
    text += "node { name: '" + name + "' op: 'Placeholder' attr { key: 'dtype' value { type: DT_FLOAT } } "
            "attr { key: 'shape' value { shape { dim { size: -1 } dim { size: 6 } } } } } "
            "node { name: 'out" + std::to_string(i) + "' op: 'Identity' input: '" + name + "' } ";
  }
  tensorflow::GraphDef g;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &g));
  return g;
}

TEST(GraphFlagsTest, AGraphOfTwoInputsIsToldToNameOneWithInput) {
  StatusOr<ImportedGraph> two = ImportedGraph::Import(Inputs(2), {"g", {}, {}});
  ASSERT_TRUE(two.ok()) << two.status().ToString();
  const Status status = WithInputHint(BatchRunner::Create(&*two, 6, 0, 1000).status(), *two);
  EXPECT_EQ(status.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "the graph takes 2 inputs (input, input_1); name the one the images feed with --input");
}

TEST(GraphFlagsTest, AGraphOfOneInputGetsNoHint) {
  StatusOr<ImportedGraph> one = ImportedGraph::Import(Inputs(1), {"g", {}, {}});
  ASSERT_TRUE(one.ok()) << one.status().ToString();
  const Status status = WithInputHint(BatchRunner::Create(&*one, 5, 0, 1000).status(), *one);
  EXPECT_EQ(status.message(), "input 'input' takes [?,6], not images of 5 values ([?,5])");
  EXPECT_TRUE(WithInputHint(Status::Ok(), *one).ok());
}

}  // namespace
}  // namespace mnist
