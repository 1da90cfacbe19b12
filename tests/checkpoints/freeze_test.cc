// Tests for checkpoints/export/freeze.h: the frozen graph holds exactly the
// inference nodes, its weights are the checkpoint's bytes (or the EMA
// shadows'), and it is written binary or as text, crash-safe.
#include "checkpoints/export/freeze.h"

#include <google/protobuf/text_format.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <filesystem>

#include "nn/graph/graph_import.h"
#include "checkpoints/saver/model_loader.h"
#include "io/bundle/bundle_reader.h"
#include "io/base/file.h"
#include "tests/support/model_fixture.h"
#include "tests/support/tf_mlp_checkpoint.h"
#include "tests/support/test_util.h"

namespace mnist {
namespace {

using testing::TempDir;

class FreezeTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(SaveCheckpoint(prefix_, fixture_.state).ok()); }

  tensorflow::GraphDef FreezeAndReadBack(bool use_ema) {
    RestoreOptions restore;
    restore.use_ema = use_ema;
    StatusOr<std::unique_ptr<Mlp>> model = LoadModel(prefix_, restore);
    EXPECT_TRUE(model.ok()) << model.status().ToString();
    const FrozenGraph frozen = FreezeModel(**model);
    EXPECT_EQ(frozen.converted_variables, 6);
    EXPECT_TRUE(WriteGraph(frozen.graph, dir_ / "frozen.pb", false).ok());
    tensorflow::GraphDef graph;
    EXPECT_TRUE(graph.ParseFromString(testing::ReadFileOrDie(dir_ / "frozen.pb")));
    return graph;
  }

  TempDir dir_;
  std::string prefix_ = dir_ / "mnist.ckpt-2";
  testing::ModelFixture fixture_{7};
};

TEST_F(FreezeTest, HoldsExactlyTheInferenceNodes) {
  const tensorflow::GraphDef graph = FreezeAndReadBack(false);
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"input", "Placeholder"},        {"dense/kernel", "Const"},      {"dense/bias", "Const"},
      {"dense_1/kernel", "Const"},     {"dense_1/bias", "Const"},      {"dense_2/kernel", "Const"},
      {"dense_2/bias", "Const"},       {"dense/MatMul", "MatMul"},     {"dense/BiasAdd", "BiasAdd"},
      {"dense/Relu", "Relu"},          {"dense_1/MatMul", "MatMul"},   {"dense_1/BiasAdd", "BiasAdd"},
      {"dense_1/Relu", "Relu"},        {"dense_2/MatMul", "MatMul"},   {"dense_2/BiasAdd", "BiasAdd"},
      {"logits", "Identity"},          {"probabilities", "Softmax"},
      {"predictions/dimension", "Const"}, {"predictions", "ArgMax"}};
  std::vector<std::pair<std::string, std::string>> actual;
  for (const tensorflow::NodeDef& n : graph.node()) actual.emplace_back(n.name(), n.op());
  EXPECT_EQ(actual, expected);
}

TEST_F(FreezeTest, NodesCarryTheAttributesTensorFlowOpsHave) {
  const tensorflow::GraphDef graph = FreezeAndReadBack(false);
  std::map<std::string, const tensorflow::NodeDef*> by_name;
  for (const tensorflow::NodeDef& n : graph.node()) by_name[n.name()] = &n;
  const auto& input = by_name.at("input")->attr();
  EXPECT_EQ(input.at("dtype").type(), tensorflow::DT_FLOAT);
  ASSERT_EQ(input.at("shape").shape().dim_size(), 2);
  EXPECT_EQ(input.at("shape").shape().dim(0).size(), -1);
  EXPECT_EQ(input.at("shape").shape().dim(1).size(), 12);
  const auto& matmul = by_name.at("dense_1/MatMul")->attr();
  EXPECT_EQ(matmul.at("T").type(), tensorflow::DT_FLOAT);
  EXPECT_FALSE(matmul.at("transpose_a").b());
  EXPECT_FALSE(matmul.at("transpose_b").b());
  EXPECT_EQ(by_name.at("dense_2/BiasAdd")->attr().at("data_format").s(), "NHWC");
  EXPECT_EQ(by_name.at("predictions")->attr().at("output_type").type(), tensorflow::DT_INT64);
  EXPECT_EQ(by_name.at("dense_1/MatMul")->input(0), "dense/Relu");
  EXPECT_EQ(by_name.at("dense_1/MatMul")->input(1), "dense_1/kernel");
}

TEST_F(FreezeTest, WeightsAreByteIdenticalToTheCheckpointTensors) {
  const tensorflow::GraphDef graph = FreezeAndReadBack(false);
  StatusOr<std::unique_ptr<BundleReader>> reader = BundleReader::Open(prefix_);
  ASSERT_TRUE(reader.ok());
  int checked = 0;
  for (const tensorflow::NodeDef& n : graph.node()) {
    if (n.op() != "Const" || n.name() == "predictions/dimension") continue;
    StatusOr<std::string> bytes = (*reader)->ReadBytes(n.name());
    ASSERT_TRUE(bytes.ok()) << n.name();
    EXPECT_EQ(n.attr().at("value").tensor().tensor_content(), *bytes) << n.name();
    ++checked;
  }
  EXPECT_EQ(checked, 6);
}

TEST_F(FreezeTest, UseEmaFreezesTheShadowsUnderTheVariableNames) {
  const tensorflow::GraphDef graph = FreezeAndReadBack(true);
  StatusOr<std::unique_ptr<BundleReader>> reader = BundleReader::Open(prefix_);
  ASSERT_TRUE(reader.ok());
  for (const tensorflow::NodeDef& n : graph.node()) {
    if (n.op() != "Const" || n.name() == "predictions/dimension") continue;
    const std::string& content = n.attr().at("value").tensor().tensor_content();
    EXPECT_EQ(content, *(*reader)->ReadBytes(n.name() + "/ExponentialMovingAverage")) << n.name();
    EXPECT_NE(content, *(*reader)->ReadBytes(n.name())) << n.name();
  }
}

TEST_F(FreezeTest, TextFormatHoldsTheSameGraph) {
  const FrozenGraph frozen = FreezeModel(fixture_.model);
  int64_t bytes = 0;
  ASSERT_TRUE(WriteGraph(frozen.graph, dir_ / "frozen.pbtxt", true, &bytes).ok());
  const std::string text = testing::ReadFileOrDie(dir_ / "frozen.pbtxt");
  EXPECT_EQ(static_cast<int64_t>(text.size()), bytes);
  EXPECT_NE(text.find("op: \"BiasAdd\""), std::string::npos);
  tensorflow::GraphDef parsed;
  ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &parsed));
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(parsed, frozen.graph));
}

TEST_F(FreezeTest, CreatesTheOutputDirectoryAndLeavesNoTemporary) {
  const FrozenGraph frozen = FreezeModel(fixture_.model);
  ASSERT_TRUE(WriteGraph(frozen.graph, dir_ / "model/sub/frozen_model.pb", false).ok());
  int files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir_ / "model/sub")) {
    EXPECT_EQ(e.path().filename(), "frozen_model.pb");
    ++files;
  }
  EXPECT_EQ(files, 1);
}

TEST_F(FreezeTest, BinaryOutputIsTheSameBytesEveryTime) {
  const FrozenGraph frozen = FreezeModel(fixture_.model);
  ASSERT_TRUE(WriteGraph(frozen.graph, dir_ / "a.pb", false).ok());
  ASSERT_TRUE(WriteGraph(FreezeModel(fixture_.model).graph, dir_ / "b.pb", false).ok());
  EXPECT_EQ(testing::ReadFileOrDie(dir_ / "a.pb"), testing::ReadFileOrDie(dir_ / "b.pb"));
  EXPECT_EQ(ConstTensorBytes(frozen.graph),
            int64_t{4} * (12 * 8 + 8 + 8 * 6 + 6 + 6 * 3 + 3) + 4);  // + predictions/dimension
}

TEST_F(FreezeTest, UnwritableOutputIsAnErrorNamingThePath) {
  testing::WriteFileOrDie(dir_ / "file", "x");
  Status s = WriteGraph(FreezeModel(fixture_.model).graph, dir_ / "file/frozen.pb", false);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find(dir_ / "file"), std::string::npos) << s.ToString();
}

TEST(ConvertVariablesToConstantsTest, KeepsOnlyTheInferencePathOfATensorFlowTrainingGraph) {
  TempDir dir;
  testing::ModelFixture fixture(5);
  testing::WriteTensorFlowMlpCheckpoint(fixture.model, dir / "model.ckpt-1999", -1);
  StatusOr<FrozenGraph> frozen = FreezeCheckpointGraph(dir / "model.ckpt-1999", {"softmax_linear/add"}, false);
  ASSERT_TRUE(frozen.ok()) << frozen.status().ToString();
  EXPECT_EQ(frozen->converted_variables, 6);
  std::vector<std::string> names;
  for (const tensorflow::NodeDef& n : frozen->graph.node()) {
    names.push_back(n.name());
    for (const std::string& input : n.input()) EXPECT_NE(input[0], '^') << n.name();
    if (n.name().find("/read") != std::string::npos) {
      EXPECT_EQ(n.op(), "Identity");
    }
  }
  const std::vector<std::string> expected = {
      "Placeholder",
      "hidden1/weights", "hidden1/weights/read", "hidden1/biases", "hidden1/biases/read",
      "hidden1/MatMul", "hidden1/add", "hidden1/Relu",
      "hidden2/weights", "hidden2/weights/read", "hidden2/biases", "hidden2/biases/read",
      "hidden2/MatMul", "hidden2/add", "hidden2/Relu",
      "softmax_linear/weights", "softmax_linear/weights/read", "softmax_linear/biases",
      "softmax_linear/biases/read", "softmax_linear/MatMul", "softmax_linear/add"};
  EXPECT_EQ(names, expected);
  EXPECT_EQ(frozen->graph.node(1).op(), "Const");
  EXPECT_EQ(frozen->graph.node(1).attr().at("value").tensor().tensor_content(),
            std::string(reinterpret_cast<const char*>(fixture.model.variables()[0].value.data()), 4 * 12 * 8));
}

TEST(ConvertVariablesToConstantsTest, FrozenTensorFlowGraphGivesExactlyTheLogitsOfOurNetwork) {
  TempDir dir;
  testing::ModelFixture fixture(6);
  testing::WriteTensorFlowMlpCheckpoint(fixture.model, dir / "model.ckpt-1999", 4);
  StatusOr<FrozenGraph> frozen = FreezeCheckpointGraph(dir / "model.ckpt-1999", {"softmax_linear/add:0"}, false);
  ASSERT_TRUE(frozen.ok()) << frozen.status().ToString();
  StatusOr<ImportedGraph> graph = ImportedGraph::Import(frozen->graph, {"tf", {}, {"softmax_linear/add"}});
  ASSERT_TRUE(graph.ok()) << graph.status().ToString();
  EXPECT_EQ(graph->input_names(), std::vector<std::string>{"Placeholder"});
  auto x = std::make_shared<Tensor>();
  x->shape = {4, 12};
  for (int i = 0; i < 48; ++i) x->floats.push_back(static_cast<float>(i % 7) / 7.0f);
  StatusOr<std::vector<TensorPtr>> logits = graph->Run({x});
  ASSERT_TRUE(logits.ok()) << logits.status().ToString();
  ConstMatrixMap expected = fixture.model.Forward(x->floats.data(), 4);
  ASSERT_EQ((*logits)[0]->floats.size(), 12u);
  for (int i = 0; i < 12; ++i) EXPECT_EQ((*logits)[0]->floats[i], expected.data()[i]) << i;
}

TEST(ConvertVariablesToConstantsTest, MissingVariablesAndOutputsAreNamed) {
  TempDir dir;
  testing::ModelFixture fixture(7);
  testing::WriteTensorFlowMlpCheckpoint(fixture.model, dir / "m", -1);
  StatusOr<FrozenGraph> frozen = FreezeCheckpointGraph(dir / "m", {"softmax_linear/add"}, /*use_ema=*/true);
  ASSERT_FALSE(frozen.ok());
  // Requests the checkpoint cannot serve are not damage: no older checkpoint would do better.
  EXPECT_EQ(frozen.status().code(), Status::Code::kFailedPrecondition);
  EXPECT_EQ(frozen.status().message(), dir / "m" + " has no ExponentialMovingAverage shadows");
  frozen = FreezeCheckpointGraph(dir / "m", {"logits"}, false);
  ASSERT_FALSE(frozen.ok());
  EXPECT_EQ(frozen.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(frozen.status().message().find("output 'logits' names no node"), std::string::npos);
  // The training half is dropped, so its unsupported ops never matter; asking for it does.
  frozen = FreezeCheckpointGraph(dir / "m", {"xentropy_mean"}, false);
  ASSERT_TRUE(frozen.ok()) << frozen.status().ToString();
  StatusOr<ImportedGraph> graph = ImportedGraph::Import(frozen->graph, {"m.meta", {}, {}});
  ASSERT_FALSE(graph.ok());
  EXPECT_NE(graph.status().message().find("node 'xentropy' (SparseSoftmaxCrossEntropyWithLogits): "
                                          "op SparseSoftmaxCrossEntropyWithLogits is not supported"),
            std::string::npos)
      << graph.status().ToString();
}

// TensorFlow's own half_plus_two SavedModel (tests/testdata/README.md): y =
// a * x + b with a = 0.5, b = 2, where x is an Identity of a ParseExample on
// serialized tf.Example strings, beside y2 (reading c), y3 and the saver.
TEST(ConvertVariablesToConstantsTest, FreezesTheHalfPlusTwoSavedModelDownToY) {
  const std::string dir = testing::TestdataPath("tf/serving_saved_model_half_plus_two_cpu");
  StatusOr<FrozenGraph> frozen =
      FreezeCheckpointGraph(dir + "/variables/variables", {"y"}, false, dir + "/saved_model.pb");
  ASSERT_TRUE(frozen.ok()) << frozen.status().ToString();
  EXPECT_EQ(frozen->converted_variables, 2);
  std::vector<std::pair<std::string, std::string>> nodes;
  for (const tensorflow::NodeDef& n : frozen->graph.node()) nodes.emplace_back(n.name(), n.op());
  // Everything y needs in graph order, ParseExample included (the executor
  // cannot run it, and freezing does not ask); c, y2, y3, init and save are gone.
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"a", "Const"}, {"a/read", "Identity"}, {"b", "Const"}, {"b/read", "Identity"},
      {"tf_example", "Placeholder"}, {"ParseExample/Const", "Const"},
      {"ParseExample/key_x2", "Const"}, {"ParseExample/Reshape/shape", "Const"},
      {"ParseExample/Reshape", "Reshape"}, {"ParseExample/ParseExample/names", "Const"},
      {"ParseExample/ParseExample/dense_keys_0", "Const"},
      {"ParseExample/ParseExample/dense_keys_1", "Const"},
      {"ParseExample/ParseExample", "ParseExample"}, {"x", "Identity"}, {"Mul", "Mul"},
      {"Add", "Add"}, {"y", "Identity"}};
  EXPECT_EQ(nodes, expected);
  StatusOr<std::unique_ptr<BundleReader>> reader = BundleReader::Open(dir + "/variables/variables");
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  for (int i : {0, 2}) {
    const tensorflow::NodeDef& c = frozen->graph.node(i);
    const tensorflow::TensorProto& value = c.attr().at("value").tensor();
    EXPECT_EQ(value.dtype(), tensorflow::DT_FLOAT) << c.name();
    EXPECT_EQ(value.tensor_shape().dim_size(), 0) << c.name();  // scalars, as in the bundle
    EXPECT_EQ(value.tensor_content(), *(*reader)->ReadBytes(c.name())) << c.name();
  }
  float a = 0, b = 0;
  std::memcpy(&a, frozen->graph.node(0).attr().at("value").tensor().tensor_content().data(), 4);
  std::memcpy(&b, frozen->graph.node(2).attr().at("value").tensor().tensor_content().data(), 4);
  EXPECT_EQ(a, 0.5f);
  EXPECT_EQ(b, 2.0f);

  // Feeding x cuts off the ParseExample, as input_map does.
  StatusOr<ImportedGraph> graph = ImportedGraph::Import(frozen->graph, {"half_plus_two", {"x"}, {"y"}});
  ASSERT_TRUE(graph.ok()) << graph.status().ToString();
  auto x = std::make_shared<Tensor>();
  x->shape = {3};
  x->floats = {1, 2, 5};
  StatusOr<std::vector<TensorPtr>> y = graph->Run({x});
  ASSERT_TRUE(y.ok()) << y.status().ToString();
  EXPECT_EQ((*y)[0]->shape, std::vector<int64_t>{3});
  EXPECT_EQ((*y)[0]->floats, (std::vector<float>{2.5f, 3.0f, 4.5f}));
}

TEST(ConvertVariablesToConstantsTest, AnotherMetaFileNamesTheGraphInErrors) {
  TempDir dir;
  testing::ModelFixture fixture(5);
  testing::WriteTensorFlowMlpCheckpoint(fixture.model, dir / "m", -1);
  ASSERT_EQ(std::rename((dir / "m.meta").c_str(), (dir / "graph.meta").c_str()), 0);
  StatusOr<FrozenGraph> frozen = FreezeCheckpointGraph(dir / "m", {"hidden1/Relu"}, false, dir / "graph.meta");
  ASSERT_TRUE(frozen.ok()) << frozen.status().ToString();
  EXPECT_EQ(frozen->converted_variables, 2);
  frozen = FreezeCheckpointGraph(dir / "m", {"nothing"}, false, dir / "graph.meta");
  ASSERT_FALSE(frozen.ok());
  EXPECT_EQ(frozen.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(frozen.status().message().find(dir / "graph.meta: output 'nothing' names no node"), std::string::npos)
      << frozen.status().ToString();
  frozen = FreezeCheckpointGraph(dir / "m", {"hidden1/Relu"}, false);  // m.meta is gone
  ASSERT_FALSE(frozen.ok());
  EXPECT_EQ(frozen.status().code(), Status::Code::kNotFound);
  EXPECT_NE(frozen.status().message().find(dir / "m.meta"), std::string::npos) << frozen.status().ToString();
}

}  // namespace
}  // namespace mnist
