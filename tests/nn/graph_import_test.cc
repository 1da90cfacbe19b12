// Tests for nn/graph/graph_import.h and nn/graph/graph_ops.h: TF's
// fixture graphs, our frozen network against Mlp::Forward, each op, feeding
// and returning chosen tensors, and every bad graph named by its node.
#include "nn/graph/graph_import.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "checkpoints/export/freeze.h"
#include "nn/graph/graph_file.h"
#include "io/base/file.h"
#include "tests/support/graph_builder.h"
#include "tests/support/model_fixture.h"
#include "tests/support/test_util.h"

namespace mnist {
namespace {

using tensorflow::DataType;
using tensorflow::GraphDef;
using tensorflow::NodeDef;

using testing::AddConst;
using testing::AddFloatConst;
using testing::AddIntConst;
using testing::AddNode;
using testing::AddPlaceholder;
using testing::FloatTensor;
using testing::IntTensor;
using testing::SetType;

using testing::ErrorOf;
using testing::ImportAndRun;

// ---- TensorFlow's own graphs ----
TEST(GraphImportTest, TensorFlowAdditionGraphAddsInt32Scalars) {
  const std::string path = testing::TestdataPath("tf/rust_addition_graph/model.pb");
  StatusOr<GraphDef> g = ReadGraphDef(path);
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  StatusOr<ImportedGraph> imported = ImportedGraph::Import(*g, {path, {}, {}});
  ASSERT_TRUE(imported.ok()) << imported.status().ToString();
  EXPECT_EQ(imported->input_names(), (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(imported->output_names(), std::vector<std::string>{"z"});
  StatusOr<std::vector<TensorPtr>> z = imported->Run(
      {IntTensor(tensorflow::DT_INT32, {}, {40}), IntTensor(tensorflow::DT_INT32, {}, {2})});
  ASSERT_TRUE(z.ok()) << z.status().ToString();
  EXPECT_EQ((*z)[0]->dtype, tensorflow::DT_INT32);
  EXPECT_EQ((*z)[0]->ints, std::vector<int64_t>{42});
  // A scalar placeholder takes scalars only (GraphDef version 1882).
  EXPECT_NE(imported->Run({IntTensor(tensorflow::DT_INT32, {2}, {1, 2}), IntTensor(tensorflow::DT_INT32, {}, {2})})
                .status().message().find("node 'x' (Placeholder): fed DT_INT32 [2], but it takes DT_INT32 []"),
            std::string::npos);
}

TEST(GraphImportTest, TensorFlowMultiplicationGraphMultipliesFloats) {
  const std::string path = testing::TestdataPath("tf/rust_addition_graph/multiplication.pb");
  StatusOr<GraphDef> g = ReadGraphDef(path);
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  StatusOr<std::vector<TensorPtr>> c = ImportAndRun(*g, {FloatTensor({}, {2.5f}), FloatTensor({}, {-4.0f})});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ((*c)[0]->floats, std::vector<float>{-10.0f});
  // Version 9: the empty shape means any shape, so vectors multiply too.
  c = ImportAndRun(*g, {FloatTensor({3}, {1, 2, 3}), FloatTensor({3}, {4, 5, 6})});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ((*c)[0]->floats, (std::vector<float>{4, 10, 18}));
}

// ---- our frozen network ----
TEST(GraphImportTest, FrozenNetworkGivesExactlyTheLogitsOfMlpForward) {
  testing::ModelFixture fixture(11, {784, 1024, 512, 10});
  const int batch = 1000;
  std::vector<float> x(size_t{784} * batch);
  std::mt19937 rng(5);
  for (float& v : x) v = static_cast<float>(rng() % 256) / 255.0f;
  ConstMatrixMap logits = fixture.model.Forward(x.data(), batch);

  StatusOr<ImportedGraph> imported = ImportedGraph::Import(
      FreezeModel(fixture.model).graph, {"frozen", {}, {"logits", "probabilities", "predictions"}});
  ASSERT_TRUE(imported.ok()) << imported.status().ToString();
  EXPECT_EQ(imported->input_names(), std::vector<std::string>{"input"});
  StatusOr<std::vector<TensorPtr>> out = imported->Run({FloatTensor({batch, 784}, x)});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  const Tensor& graph_logits = *(*out)[0];
  ASSERT_EQ(graph_logits.shape, (std::vector<int64_t>{batch, 10}));
  float max_diff = 0;
  for (int b = 0; b < batch; ++b) {
    for (int c = 0; c < 10; ++c) max_diff = std::max(max_diff, std::abs(graph_logits.floats[b * 10 + c] - logits(c, b)));
  }
  std::printf("max |logit difference| = %g over %d x 10\n", max_diff, batch);
  EXPECT_EQ(max_diff, 0.0f);
  const Tensor& probabilities = *(*out)[1];
  const Tensor& predictions = *(*out)[2];
  EXPECT_EQ(predictions.dtype, tensorflow::DT_INT64);
  for (int b = 0; b < batch; ++b) {
    Eigen::Index best = 0;
    logits.col(b).maxCoeff(&best);
    EXPECT_EQ(predictions.ints[b], best) << b;
    float sum = 0;
    for (int c = 0; c < 10; ++c) sum += probabilities.floats[b * 10 + c];
    EXPECT_NEAR(sum, 1.0f, 1e-5f) << b;
  }
}

TEST(GraphImportTest, DefaultOutputsAreTheSinks) {
  testing::ModelFixture fixture(3);
  StatusOr<ImportedGraph> imported = ImportedGraph::Import(FreezeModel(fixture.model).graph, {"frozen", {}, {}});
  ASSERT_TRUE(imported.ok()) << imported.status().ToString();
  EXPECT_EQ(imported->output_names(), (std::vector<std::string>{"probabilities", "predictions"}));
  EXPECT_EQ(imported->output_op(0), "Softmax");
  EXPECT_EQ(imported->input_specs()[0].shape, (std::vector<int64_t>{-1, 12}));
  EXPECT_EQ(imported->output_specs()[1].shape, std::vector<int64_t>{-1});
}

// ---- ops ----
TEST(GraphImportTest, MatMulHonoursBothTransposeAttrs) {
  // a = [[1,2,3],[4,5,6]] (2x3), b = [[1,0],[0,1],[1,1]] (3x2): a*b = [[4,5],[10,11]].
  const std::vector<float> a = {1, 2, 3, 4, 5, 6}, at = {1, 4, 2, 5, 3, 6};
  const std::vector<float> b = {1, 0, 0, 1, 1, 1}, bt = {1, 0, 1, 0, 1, 1};
  for (int ta = 0; ta < 2; ++ta) {
    for (int tb = 0; tb < 2; ++tb) {
      GraphDef g;
      AddFloatConst(&g, "a", ta ? std::vector<int64_t>{3, 2} : std::vector<int64_t>{2, 3}, ta ? at : a);
      AddFloatConst(&g, "b", tb ? std::vector<int64_t>{2, 3} : std::vector<int64_t>{3, 2}, tb ? bt : b);
      NodeDef* mm = AddNode(&g, "mm", "MatMul", {"a", "b:0"});
      (*mm->mutable_attr())["transpose_a"].set_b(ta);
      (*mm->mutable_attr())["transpose_b"].set_b(tb);
      StatusOr<std::vector<TensorPtr>> out = ImportAndRun(g, {});
      ASSERT_TRUE(out.ok()) << out.status().ToString();
      EXPECT_EQ((*out)[0]->shape, (std::vector<int64_t>{2, 2}));
      EXPECT_EQ((*out)[0]->floats, (std::vector<float>{4, 5, 10, 11})) << ta << tb;
    }
  }
}

TEST(GraphImportTest, ElementwiseOpsBroadcastAndInt32Wraps) {
  GraphDef g;
  AddFloatConst(&g, "m", {2, 3}, {1, 2, 3, 4, 5, 6});
  AddFloatConst(&g, "row", {3}, {10, 20, 30});
  AddFloatConst(&g, "col", {2, 1}, {2, -1});
  AddNode(&g, "add", "Add", {"m", "row"});
  AddNode(&g, "mul", "Mul", {"col", "row"});
  AddNode(&g, "bias", "BiasAdd", {"m", "row"});
  AddIntConst(&g, "big", {}, {2147483647});
  AddIntConst(&g, "one", {2}, {1, -5});
  AddNode(&g, "wrap", "AddV2", {"big", "one"});
  StatusOr<std::vector<TensorPtr>> out = ImportAndRun(g, {}, {}, {"add", "mul", "bias", "wrap"});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ((*out)[0]->floats, (std::vector<float>{11, 22, 33, 14, 25, 36}));
  EXPECT_EQ((*out)[1]->shape, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ((*out)[1]->floats, (std::vector<float>{20, 40, 60, -10, -20, -30}));
  EXPECT_EQ((*out)[2]->floats, (*out)[0]->floats);
  EXPECT_EQ((*out)[3]->ints, (std::vector<int64_t>{-2147483647 - 1, 2147483642}));
}

TEST(GraphImportTest, ReluSoftmaxArgMaxAndReshape) {
  GraphDef g;
  AddFloatConst(&g, "x", {2, 3}, {-1, 3, 3, 0, -2, 1});
  AddNode(&g, "relu", "Relu", {"x"});
  AddNode(&g, "soft", "Softmax", {"x"});
  AddIntConst(&g, "last", {}, {-1});
  AddIntConst(&g, "first", {}, {0});
  NodeDef* am = AddNode(&g, "argmax", "ArgMax", {"x", "last"});
  SetType(am, "output_type", tensorflow::DT_INT32);
  AddNode(&g, "argmax0", "ArgMax", {"x", "first"});
  AddIntConst(&g, "shape", {2}, {3, -1});
  AddNode(&g, "reshape", "Reshape", {"x", "shape"});
  StatusOr<std::vector<TensorPtr>> out =
      ImportAndRun(g, {}, {}, {"relu", "soft", "argmax", "argmax0", "reshape"});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ((*out)[0]->floats, (std::vector<float>{0, 3, 3, 0, 0, 1}));
  const float e = std::exp(-4.0f), s = 1 + 1 + e;
  EXPECT_NEAR((*out)[1]->floats[0], e / s, 1e-7);
  EXPECT_NEAR((*out)[1]->floats[1], 1 / s, 1e-7);
  EXPECT_EQ((*out)[2]->dtype, tensorflow::DT_INT32);
  EXPECT_EQ((*out)[2]->ints, (std::vector<int64_t>{1, 2}));  // the first of two maxima wins
  EXPECT_EQ((*out)[3]->ints, (std::vector<int64_t>{1, 0, 0}));
  EXPECT_EQ((*out)[4]->shape, (std::vector<int64_t>{3, 2}));
}

TEST(GraphImportTest, InputMapFeedsAnInnerNodeAndCutsOffWhatItReads) {
  GraphDef g;
  AddPlaceholder(&g, "x", tensorflow::DT_FLOAT, {-1, 4});
  NodeDef* id = AddNode(&g, "hidden", "Identity", {"x"});
  SetType(id, "T", tensorflow::DT_FLOAT);
  AddNode(&g, "relu", "Relu", {"hidden"});
  AddNode(&g, "train", "NoOp", {"^relu"});
  StatusOr<ImportedGraph> imported = ImportedGraph::Import(g, {"g", {"hidden"}, {}});
  ASSERT_TRUE(imported.ok()) << imported.status().ToString();
  EXPECT_EQ(imported->output_names(), std::vector<std::string>{"relu"});  // NoOp sinks are skipped
  StatusOr<std::vector<TensorPtr>> out = imported->Run({FloatTensor({1, 4}, {-1, 0, 2, -3})});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ((*out)[0]->floats, (std::vector<float>{0, 0, 2, 0}));
}

TEST(GraphImportTest, AFedInnerNodeTakesOnlyWhatItWouldProduce) {
  // As TensorFlow: a value fed into `logits` must have logits' shape.
  GraphDef g;
  AddPlaceholder(&g, "x", tensorflow::DT_FLOAT, {-1, 4});
  AddFloatConst(&g, "w", {4, 2}, {1, 0, 0, 1, 1, 0, 0, 1});
  SetType(AddNode(&g, "logits", "MatMul", {"x", "w"}), "T", tensorflow::DT_FLOAT);
  AddNode(&g, "probabilities", "Softmax", {"logits"});
  StatusOr<ImportedGraph> imported = ImportedGraph::Import(g, {"g", {"logits"}, {}});
  ASSERT_TRUE(imported.ok()) << imported.status().ToString();
  EXPECT_EQ(ShapeString(imported->input_specs()[0].shape), "[?,2]");
  EXPECT_EQ(imported->input_specs()[0].dtype, tensorflow::DT_FLOAT);
  EXPECT_NE(ErrorOf(g, {FloatTensor({1, 4}, {1, 2, 3, 4})}, {"logits"})
                .find("node 'logits' (MatMul): fed DT_FLOAT [1,4], but it takes DT_FLOAT [?,2]"),
            std::string::npos);
  EXPECT_TRUE(ImportAndRun(g, {FloatTensor({1, 2}, {0, 0})}, {"logits"}).ok());
}

TEST(GraphImportTest, AFedNodeAfterAnOpWeDoNotRunTakesAnyShape) {
  // Feeding is how a graph's unsupported preprocessing is cut off.
  GraphDef g;
  AddPlaceholder(&g, "jpeg", tensorflow::DT_STRING, {});
  NodeDef* decoded = AddNode(&g, "decoded", "DecodeJpeg", {"jpeg"});
  SetType(decoded, "T", tensorflow::DT_FLOAT);
  AddNode(&g, "relu", "Relu", {"decoded"});
  StatusOr<ImportedGraph> imported = ImportedGraph::Import(g, {"g", {"decoded"}, {}});
  ASSERT_TRUE(imported.ok()) << imported.status().ToString();
  EXPECT_TRUE(imported->input_specs()[0].unknown_rank);
  StatusOr<std::vector<TensorPtr>> out = imported->Run({FloatTensor({3}, {-1, 0, 2})});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ((*out)[0]->floats, (std::vector<float>{0, 0, 2}));
}

TEST(GraphImportTest, AFedNodeAfterAnOpWeDoNotRunTakesItsOpsOutputDtype) {
  // ArgMax's output is its output_type and a comparison's is bool, whatever
  // their input dtype T is.
  GraphDef g;
  AddPlaceholder(&g, "jpeg", tensorflow::DT_STRING, {});
  SetType(AddNode(&g, "decoded", "DecodeJpeg", {"jpeg"}), "T", tensorflow::DT_FLOAT);
  AddIntConst(&g, "axis", {}, {0});
  NodeDef* am = AddNode(&g, "class", "ArgMax", {"decoded", "axis"});
  SetType(am, "T", tensorflow::DT_FLOAT);
  SetType(am, "output_type", tensorflow::DT_INT32);
  NodeDef* cast = AddNode(&g, "class_f", "Cast", {"class"});
  SetType(cast, "SrcT", tensorflow::DT_INT32);
  SetType(cast, "DstT", tensorflow::DT_FLOAT);
  AddFloatConst(&g, "zero", {}, {0});
  SetType(AddNode(&g, "positive", "Greater", {"decoded", "zero"}), "T", tensorflow::DT_FLOAT);
  AddNode(&g, "same", "Identity", {"positive"});
  StatusOr<ImportedGraph> imported = ImportedGraph::Import(g, {"g", {"class", "positive"}, {"class_f", "same"}});
  ASSERT_TRUE(imported.ok()) << imported.status().ToString();
  EXPECT_EQ(imported->input_specs()[0].dtype, tensorflow::DT_INT32);
  EXPECT_EQ(imported->input_specs()[1].dtype, tensorflow::DT_BOOL);
}

// ---- bad graphs: each error names the node ----
TEST(GraphImportTest, UnsupportedOpIsNamed) {
  GraphDef g;
  AddPlaceholder(&g, "x", tensorflow::DT_FLOAT, {-1, 4});
  AddNode(&g, "conv", "Conv2D", {"x"});
  const std::string error = ErrorOf(g);
  EXPECT_NE(error.find("test.pb: node 'conv' (Conv2D): op Conv2D is not supported"), std::string::npos) << error;
}

TEST(GraphImportTest, DanglingInputIsNamed) {
  GraphDef g;
  AddPlaceholder(&g, "x", tensorflow::DT_FLOAT, {-1, 4});
  AddNode(&g, "add", "Add", {"x", "nowhere"});
  EXPECT_NE(ErrorOf(g).find("node 'add' (Add): input 'nowhere' names no node"), std::string::npos);
  GraphDef control;
  AddPlaceholder(&control, "x", tensorflow::DT_FLOAT, {});
  AddNode(&control, "id", "Identity", {"x", "^gone"});
  EXPECT_NE(ErrorOf(control).find("node 'id' (Identity): input '^gone' names no node"), std::string::npos);
}

TEST(GraphImportTest, CycleIsNamed) {
  GraphDef g;
  AddPlaceholder(&g, "x", tensorflow::DT_FLOAT, {});
  AddNode(&g, "a", "Add", {"x", "c"});
  AddNode(&g, "b", "Relu", {"a"});
  AddNode(&g, "c", "Identity", {"b"});
  AddNode(&g, "out", "Identity", {"c"});
  const std::string error = ErrorOf(g);
  EXPECT_NE(error.find("node 'a' (Add): is on a cycle: 'a' -> 'b' -> 'c' -> 'a'"), std::string::npos)
      << error;
}

TEST(GraphImportTest, WrongDtypeIsNamed) {
  GraphDef g;
  AddPlaceholder(&g, "x", tensorflow::DT_INT32, {-1, 4});
  AddFloatConst(&g, "w", {4, 2}, {1});
  AddNode(&g, "mm", "MatMul", {"x", "w"});
  EXPECT_NE(ErrorOf(g).find("node 'mm' (MatMul): input 0 is DT_INT32 [?,4], expected DT_FLOAT"), std::string::npos);
  GraphDef mixed;
  AddIntConst(&mixed, "i", {}, {1});
  AddFloatConst(&mixed, "f", {}, {1});
  NodeDef* add = AddNode(&mixed, "add", "AddV2", {"i", "f"});
  SetType(add, "T", tensorflow::DT_INT32);
  EXPECT_NE(ErrorOf(mixed).find("node 'add' (AddV2): input 1 is DT_FLOAT [], expected DT_INT32"), std::string::npos);
}

TEST(GraphImportTest, ShapeMismatchesAreNamed) {
  GraphDef g;
  AddPlaceholder(&g, "x", tensorflow::DT_FLOAT, {-1, 784});
  AddFloatConst(&g, "w", {500, 10}, {0});
  AddNode(&g, "mm", "MatMul", {"x", "w"});
  EXPECT_NE(ErrorOf(g).find("node 'mm' (MatMul): inner dimensions differ: [?,784] x [500,10]"), std::string::npos);

  GraphDef bias;
  AddPlaceholder(&bias, "x", tensorflow::DT_FLOAT, {-1, 3});
  AddFloatConst(&bias, "b", {4}, {0});
  AddNode(&bias, "ba", "BiasAdd", {"x", "b"});
  EXPECT_NE(ErrorOf(bias).find("node 'ba' (BiasAdd): bias [4] does not match the last dim of [?,3]"), std::string::npos);

  GraphDef fed;  // shapes known only when run
  AddPlaceholder(&fed, "x", tensorflow::DT_FLOAT, {-1, 2});
  AddPlaceholder(&fed, "y", tensorflow::DT_FLOAT, {-1, 2});
  AddNode(&fed, "add", "Add", {"x", "y"});
  EXPECT_NE(ErrorOf(fed, {FloatTensor({2, 2}, {1, 2, 3, 4}), FloatTensor({3, 2}, {1, 2, 3, 4, 5, 6})})
                .find("node 'add' (Add): shapes [2,2] and [3,2] do not broadcast"), std::string::npos);
  EXPECT_NE(ErrorOf(fed, {FloatTensor({1, 3}, {1, 2, 3}), FloatTensor({1, 2}, {1, 2})})
                .find("node 'x' (Placeholder): fed DT_FLOAT [1,3], but it takes DT_FLOAT [?,2]"), std::string::npos);

  GraphDef reshape;
  AddFloatConst(&reshape, "x", {2, 3}, {0});
  AddIntConst(&reshape, "s", {1}, {4});
  AddNode(&reshape, "r", "Reshape", {"x", "s"});
  EXPECT_NE(ErrorOf(reshape).find("node 'r' (Reshape): cannot reshape [2,3] into [4]"), std::string::npos);

  GraphDef content;
  AddConst(&content, "c", tensorflow::DT_FLOAT, {2})->set_tensor_content(std::string(7, '\0'));
  EXPECT_NE(ErrorOf(content).find("node 'c' (Const): tensor_content has 7 bytes, the shape needs 8"), std::string::npos);
}

TEST(GraphImportTest, TooManyNodesIsRefusedBeforeAnythingElse) {
  GraphDef g;
  for (int i = 0; i <= kMaxGraphNodes; ++i) AddNode(&g, "n" + std::to_string(i), "NoOp");
  EXPECT_NE(ErrorOf(g).find("100001 nodes, more than the 100000"), std::string::npos);
}

TEST(GraphImportTest, TensorsBeyondTheElementLimitAreRefusedBeforeAllocation) {
  GraphDef big_const;
  AddFloatConst(&big_const, "c", {int64_t{1} << 27}, {1.0f});  // one value, repeated
  EXPECT_NE(ErrorOf(big_const).find("node 'c' (Const): shape [134217728] has more than 67108864"),
            std::string::npos);
  GraphDef outer;
  AddFloatConst(&outer, "col", {8192, 1}, {1.0f});
  AddFloatConst(&outer, "row", {1, 16384}, {1.0f});
  AddNode(&outer, "add", "Add", {"col", "row"});
  EXPECT_NE(ErrorOf(outer).find("node 'add' (Add): output shape [8192,16384] has more than"),
            std::string::npos);
  GraphDef fed;
  AddPlaceholder(&fed, "x", tensorflow::DT_FLOAT, {-1, 1});
  AddPlaceholder(&fed, "y", tensorflow::DT_FLOAT, {1, -1});
  AddNode(&fed, "mul", "Mul", {"x", "y"});
  EXPECT_NE(ErrorOf(fed, {FloatTensor({10000, 1}, std::vector<float>(10000)),
                          FloatTensor({1, 10000}, std::vector<float>(10000))})
                .find("node 'mul' (Mul): output shape [10000,10000] has more than"),
            std::string::npos);
}

TEST(GraphImportTest, FeedsOutputsAndNamesAreChecked) {
  GraphDef g;
  AddPlaceholder(&g, "x", tensorflow::DT_INT32, {});
  AddPlaceholder(&g, "y", tensorflow::DT_INT32, {});
  AddNode(&g, "z", "AddV2", {"x", "y"});
  EXPECT_NE(ErrorOf(g, {}, {"x"}).find("node 'y' (Placeholder): a placeholder the outputs need, but not fed (fed: x)"),
            std::string::npos);
  EXPECT_NE(ErrorOf(g, {}, {}, {"w"}).find("output 'w' names no node"), std::string::npos);
  EXPECT_NE(ErrorOf(g, {}, {"x", "y", "x"}).find("node 'x' (Placeholder): fed twice"), std::string::npos);
  EXPECT_NE(ErrorOf(g, {}, {"z"}, {"x"}).find("node 'z' (AddV2): fed, but the outputs do not read it"),
            std::string::npos);
  EXPECT_NE(ErrorOf(g, {}, {}, {"z:1"}).find("output 'z:1': node 'z' has only output 0"), std::string::npos);
  GraphDef two_outputs;
  AddPlaceholder(&two_outputs, "x", tensorflow::DT_FLOAT, {});
  AddNode(&two_outputs, "id", "Identity", {"x:1"});
  EXPECT_NE(ErrorOf(two_outputs).find("node 'id' (Identity): input 'x:1' asks for output 1 of 'x'"), std::string::npos);
  GraphDef twice;
  AddPlaceholder(&twice, "x", tensorflow::DT_FLOAT, {});
  AddPlaceholder(&twice, "x", tensorflow::DT_FLOAT, {});
  EXPECT_NE(ErrorOf(twice).find("node 'x' (Placeholder): a second node has this name"), std::string::npos);
  GraphDef strings;
  AddPlaceholder(&strings, "s", tensorflow::DT_STRING, {});
  EXPECT_NE(ErrorOf(strings).find("node 's' (Placeholder): fed, but its dtype is DT_STRING"), std::string::npos);
}

}  // namespace
}  // namespace mnist
