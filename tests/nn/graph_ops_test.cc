// Tests for the ops of nn/graph/graph_ops.h that issue 14 added: Sub,
// RealDiv, Sigmoid, Tanh, Greater, Less, Equal, Cast and DT_BOOL tensors
// (Const bool_val and tensor_content), each op's values and the attrs and
// dtypes it refuses, named by the node; and that only what the fetches need,
// given the feeds, must be supported.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "nn/graph/graph_import.h"
#include "tests/support/graph_builder.h"

namespace mnist {
namespace {

using namespace testing;  // NOLINT: the graph builders

// g with placeholders a [?] and (binary ops) b [?] of dtype t and node "out" = op(a, b) (or op(a)).
GraphDef OpGraph(const std::string& op, int inputs, DataType t = tensorflow::DT_FLOAT) {
  GraphDef g;
  AddPlaceholder(&g, "a", t, {-1});
  if (inputs == 2) AddPlaceholder(&g, "b", t, {-1});
  NodeDef* n = AddNode(&g, "out", op, inputs == 2 ? std::vector<std::string>{"a", "b"}
                                                  : std::vector<std::string>{"a"});
  SetType(n, "T", t);
  return g;
}

std::vector<float> Floats(const StatusOr<std::vector<TensorPtr>>& out) {
  EXPECT_TRUE(out.ok()) << out.status().message();
  return out.ok() ? (*out)[0]->floats : std::vector<float>{};
}
std::vector<int64_t> Ints(const StatusOr<std::vector<TensorPtr>>& out, DataType want) {
  EXPECT_TRUE(out.ok()) << out.status().message();
  if (!out.ok()) return {};
  EXPECT_EQ((*out)[0]->dtype, want);
  return (*out)[0]->ints;
}

TEST(GraphOpsTest, SubAndRealDivBroadcast) {
  const TensorPtr a = FloatTensor({3}, {1, 2, 5}), b = FloatTensor({1}, {2});
  EXPECT_EQ(Floats(ImportAndRun(OpGraph("Sub", 2), {a, b})), (std::vector<float>{-1, 0, 3}));
  EXPECT_EQ(Floats(ImportAndRun(OpGraph("RealDiv", 2), {a, b})), (std::vector<float>{0.5f, 1, 2.5f}));
  const TensorPtr i = IntTensor(tensorflow::DT_INT32, {2}, {std::numeric_limits<int32_t>::min(), 3});
  const TensorPtr one = IntTensor(tensorflow::DT_INT32, {1}, {1});
  EXPECT_EQ(Ints(ImportAndRun(OpGraph("Sub", 2, tensorflow::DT_INT32), {i, one}), tensorflow::DT_INT32),
            (std::vector<int64_t>{std::numeric_limits<int32_t>::max(), 2}));  // wraps as TF does
}

TEST(GraphOpsTest, RealDivRefusesIntegers) {
  const std::string e = ErrorOf(OpGraph("RealDiv", 2, tensorflow::DT_INT32));
  EXPECT_NE(e.find("node 'out' (RealDiv)"), std::string::npos) << e;
  EXPECT_NE(e.find("input 0 is DT_INT32 [?], expected DT_FLOAT"), std::string::npos) << e;
}

TEST(GraphOpsTest, SigmoidAndTanhAreFloatOnly) {
  const TensorPtr a = FloatTensor({3}, {-2, 0, 3});
  const std::vector<float> sig = Floats(ImportAndRun(OpGraph("Sigmoid", 1), {a}, {"a"}));
  const std::vector<float> tanh = Floats(ImportAndRun(OpGraph("Tanh", 1), {a}, {"a"}));
  ASSERT_EQ(sig.size(), 3u);
  ASSERT_EQ(tanh.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    const double x = a->floats[i];
    EXPECT_NEAR(sig[i], 1 / (1 + std::exp(-x)), 1e-7);
    EXPECT_NEAR(tanh[i], std::tanh(x), 1e-7);
  }
  const std::string e = ErrorOf(OpGraph("Tanh", 1, tensorflow::DT_INT64), {}, {"a"});
  EXPECT_NE(e.find("node 'out' (Tanh): input 0 is DT_INT64 [?], expected DT_FLOAT"),
            std::string::npos) << e;
}

TEST(GraphOpsTest, ComparisonsGiveBoolsWithBroadcasting) {
  const TensorPtr a = FloatTensor({3}, {1, 2, 5}), b = FloatTensor({1}, {2});
  EXPECT_EQ(Ints(ImportAndRun(OpGraph("Greater", 2), {a, b}), tensorflow::DT_BOOL),
            (std::vector<int64_t>{0, 0, 1}));
  EXPECT_EQ(Ints(ImportAndRun(OpGraph("Less", 2), {a, b}), tensorflow::DT_BOOL),
            (std::vector<int64_t>{1, 0, 0}));
  EXPECT_EQ(Ints(ImportAndRun(OpGraph("Equal", 2), {a, b}), tensorflow::DT_BOOL),
            (std::vector<int64_t>{0, 1, 0}));
  const TensorPtr p = IntTensor(tensorflow::DT_BOOL, {2}, {1, 0}), q = IntTensor(tensorflow::DT_BOOL, {2}, {1, 1});
  EXPECT_EQ(Ints(ImportAndRun(OpGraph("Equal", 2, tensorflow::DT_BOOL), {p, q}), tensorflow::DT_BOOL),
            (std::vector<int64_t>{1, 0}));
}

TEST(GraphOpsTest, ComparisonsRefuseMixedOrBoolOperands) {
  GraphDef g = OpGraph("Greater", 2);
  g.mutable_node(1)->mutable_attr()->at("dtype").set_type(tensorflow::DT_INT32);
  std::string e = ErrorOf(g);
  EXPECT_NE(e.find("node 'out' (Greater): input 1 is DT_INT32 [?], expected DT_FLOAT"),
            std::string::npos) << e;
  e = ErrorOf(OpGraph("Less", 2, tensorflow::DT_BOOL));
  EXPECT_NE(e.find("node 'out' (Less): input 0 is DT_BOOL [?]"), std::string::npos) << e;
}

TEST(GraphOpsTest, CastConvertsAsNumpyDoes) {
  auto cast = [](DataType src, DataType dst, TensorPtr in) {
    GraphDef g;
    AddPlaceholder(&g, "a", src, {-1});
    NodeDef* n = AddNode(&g, "out", "Cast", {"a"});
    SetType(n, "SrcT", src);
    SetType(n, "DstT", dst);
    return ImportAndRun(g, {std::move(in)});
  };
  const float nan = std::nanf("");
  const TensorPtr f = FloatTensor({5}, {-2.7f, 0.0f, 3.9f, nan, 3e9f});
  EXPECT_EQ(Ints(cast(tensorflow::DT_FLOAT, tensorflow::DT_INT32, f), tensorflow::DT_INT32),
            (std::vector<int64_t>{-2, 0, 3, std::numeric_limits<int32_t>::min(),
                                  std::numeric_limits<int32_t>::min()}));
  EXPECT_EQ(Ints(cast(tensorflow::DT_FLOAT, tensorflow::DT_INT64, f), tensorflow::DT_INT64),
            (std::vector<int64_t>{-2, 0, 3, std::numeric_limits<int64_t>::min(), 3000000000}));
  EXPECT_EQ(Ints(cast(tensorflow::DT_FLOAT, tensorflow::DT_BOOL, f), tensorflow::DT_BOOL),
            (std::vector<int64_t>{1, 0, 1, 1, 1}));
  const TensorPtr b = IntTensor(tensorflow::DT_BOOL, {2}, {1, 0});
  EXPECT_EQ(Floats(cast(tensorflow::DT_BOOL, tensorflow::DT_FLOAT, b)), (std::vector<float>{1, 0}));
  const TensorPtr big = IntTensor(tensorflow::DT_INT64, {1}, {(int64_t{1} << 32) + 7});
  EXPECT_EQ(Ints(cast(tensorflow::DT_INT64, tensorflow::DT_INT32, big), tensorflow::DT_INT32),
            (std::vector<int64_t>{7}));  // the low 32 bits
}

TEST(GraphOpsTest, CastRefusesBadAttrs) {
  GraphDef g;
  AddPlaceholder(&g, "a", tensorflow::DT_FLOAT, {-1});
  NodeDef* n = AddNode(&g, "out", "Cast", {"a"});
  SetType(n, "SrcT", tensorflow::DT_FLOAT);
  std::string e = ErrorOf(g);
  EXPECT_NE(e.find("node 'out' (Cast): attr DstT is missing"), std::string::npos) << e;
  SetType(n, "DstT", tensorflow::DT_STRING);
  e = ErrorOf(g);
  EXPECT_NE(e.find("attr DstT is DT_STRING, expected DT_FLOAT, DT_INT32, DT_INT64 or DT_BOOL"),
            std::string::npos) << e;
  SetType(n, "DstT", tensorflow::DT_INT32);
  SetType(n, "SrcT", tensorflow::DT_INT64);  // the input is float
  e = ErrorOf(g);
  EXPECT_NE(e.find("node 'out' (Cast): input 0 is DT_FLOAT [?], expected DT_INT64"),
            std::string::npos) << e;
}

TEST(GraphOpsTest, BoolConstsFromBoolValAndTensorContent) {
  GraphDef g;
  AddConst(&g, "v", tensorflow::DT_BOOL, {3})->add_bool_val(true);  // repeats to fill
  AddConst(&g, "c", tensorflow::DT_BOOL, {3})->set_tensor_content(std::string("\x00\x01\x02", 3));
  SetType(AddNode(&g, "out", "Equal", {"v", "c"}), "T", tensorflow::DT_BOOL);
  EXPECT_EQ(Ints(ImportAndRun(g, {}), tensorflow::DT_BOOL), (std::vector<int64_t>{0, 1, 1}));
  g.mutable_node(1)->mutable_attr()->at("value").mutable_tensor()->set_tensor_content("\x01");
  const std::string e = ErrorOf(g);
  EXPECT_NE(e.find("node 'c' (Const): tensor_content has 1 bytes, the shape needs 3"),
            std::string::npos) << e;
}

// half_plus_two's shape: a ParseExample on strings upstream of x, y = x * 0.5 + 2.
GraphDef HalfPlusTwo() {
  GraphDef g;
  AddPlaceholder(&g, "tf_example", tensorflow::DT_STRING, {-1});
  AddNode(&g, "ParseExample/ParseExample", "ParseExample", {"tf_example"});
  SetType(AddNode(&g, "x", "Identity", {"ParseExample/ParseExample"}), "T", tensorflow::DT_FLOAT);
  AddFloatConst(&g, "a", {}, {0.5f});
  AddFloatConst(&g, "b", {}, {2});
  SetType(AddNode(&g, "Mul", "Mul", {"a", "x"}), "T", tensorflow::DT_FLOAT);
  SetType(AddNode(&g, "y", "Add", {"Mul", "b"}), "T", tensorflow::DT_FLOAT);
  // Another fetch reads output 1 of the op we do not run: only y is fetched.
  SetType(AddNode(&g, "x2", "Identity", {"ParseExample/ParseExample:1"}), "T", tensorflow::DT_FLOAT);
  return g;
}

TEST(GraphOpsTest, AFeedCutsOffAnOpWeDoNotRun) {
  StatusOr<ImportedGraph> imported =
      ImportedGraph::Import(HalfPlusTwo(), {"hp2.pb", {"x"}, {"y"}, true});
  ASSERT_TRUE(imported.ok()) << imported.status().message();
  EXPECT_EQ(Floats(imported->Run({FloatTensor({3}, {1, 2, 5})})), (std::vector<float>{2.5f, 3, 4.5f}));
}

TEST(GraphOpsTest, WithoutTheFeedTheUnsupportedOpIsNamedFirst) {
  StatusOr<ImportedGraph> imported = ImportedGraph::Import(HalfPlusTwo(), {"hp2.pb", {}, {"y"}, true});
  ASSERT_FALSE(imported.ok());
  EXPECT_EQ(imported.status().code(), Status::Code::kFailedPrecondition);
  EXPECT_NE(imported.status().message().find(
                "hp2.pb: node 'ParseExample/ParseExample' (ParseExample): op ParseExample is not supported"),
            std::string::npos) << imported.status().message();
}

}  // namespace
}  // namespace mnist
