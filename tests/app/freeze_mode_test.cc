// Tests for app/modes/freeze.h through the `mnist` binary: --freeze
// --output-nodes on TensorFlow's own half_plus_two SavedModel (--meta
// saved_model.pb) and on TF1 tutorial checkpoints found through --ckpt-dir's
// state file, with TensorFlow's printed lines, and its errors and exit codes.
#include <gtest/gtest.h>

#include <cstring>
#include <map>

#include "nn/graph/graph_file.h"
#include "tests/support/model_fixture.h"
#include "tests/support/test_util.h"
#include "tests/support/tf_mlp_checkpoint.h"

namespace mnist {
namespace {

using testing::RunMnist;
using testing::TempDir;

const std::string kHalfPlusTwo = testing::TestdataPath("tf/serving_saved_model_half_plus_two_cpu");

std::map<std::string, const tensorflow::NodeDef*> ByName(const tensorflow::GraphDef& graph) {
  std::map<std::string, const tensorflow::NodeDef*> nodes;
  for (const tensorflow::NodeDef& n : graph.node()) nodes[n.name()] = &n;
  return nodes;
}

std::string Bytes(const Variable& v) {
  return std::string(reinterpret_cast<const char*>(v.value.data()), sizeof(float) * v.value.size());
}

TEST(FreezeModeTest, FreezesTheHalfPlusTwoSavedModelDownToY) {
  TempDir dir;
  std::string out;
  ASSERT_EQ(RunMnist("--freeze --checkpoint " + kHalfPlusTwo + "/variables/variables --meta " + kHalfPlusTwo +
                         "/saved_model.pb --output-nodes y --output " + (dir / "model/hp2.pb"),
                     &out),
            0) << out;
  EXPECT_NE(out.find("restored " + kHalfPlusTwo + "/variables/variables: TensorFlow graph " + kHalfPlusTwo +
                     "/saved_model.pb -> y\nConverted 2 variables to const ops.\n17 ops in the final graph.\n"
                     "wrote " + (dir / "model/hp2.pb") + " (binary, "),
            std::string::npos) << out;
  StatusOr<tensorflow::GraphDef> graph = ReadGraphDef(dir / "model/hp2.pb");
  ASSERT_TRUE(graph.ok()) << graph.status().ToString();
  EXPECT_EQ(graph->node_size(), 17);
  const auto nodes = ByName(*graph);
  for (const char* gone : {"c", "c/read", "y2", "a/Assign", "init", "filename_tensor"}) {
    EXPECT_EQ(nodes.count(gone), 0u) << gone;
  }
  EXPECT_EQ(nodes.at("ParseExample/ParseExample")->op(), "ParseExample");  // kept, though no executor op
  const std::map<std::string, float> values = {{"a", 0.5f}, {"b", 2.0f}};
  for (const auto& [name, expected] : values) {
    ASSERT_EQ(nodes.at(name)->op(), "Const") << name;
    const std::string& content = nodes.at(name)->attr().at("value").tensor().tensor_content();
    ASSERT_EQ(content.size(), 4u) << name;
    float value = 0;
    std::memcpy(&value, content.data(), 4);
    EXPECT_EQ(value, expected) << name;
  }
  // Run as import_graph_def(input_map={"x": ...}, return_elements=["y:0"]):
  // the feed cuts ParseExample off, so what runs is y = a * x + b.
  ASSERT_EQ(RunMnist("--run " + (dir / "model/hp2.pb") + " --feed x=[1,2,5] --fetch y", &out), 0) << out;
  EXPECT_EQ(out, "y:0 shape (3,) float32\n[2.5 3.  4.5]\n");
}

// Two TF1 tutorial checkpoints of different weights, listed by a `checkpoint`
// state file as TensorFlow's Saver writes it (absolute paths).
class FreezeCkptDirTest : public ::testing::Test {
 protected:
  void WriteState(const std::string& latest, const std::string& older) {
    testing::WriteFileOrDie(dir_ / "checkpoint",
                            "model_checkpoint_path: \"" + (dir_ / latest) + "\"\n" +
                                "all_model_checkpoint_paths: \"" + (dir_ / older) + "\"\n" +
                                "all_model_checkpoint_paths: \"" + (dir_ / latest) + "\"\n");
  }
  // --freeze --ckpt-dir: the first layer's weights it froze.
  std::string FrozenWeights() {
    std::string out;
    EXPECT_EQ(RunMnist("--freeze --ckpt-dir " + dir_.path() + " --output-nodes softmax_linear/add --output " +
                           (dir_ / "f.pb"),
                       &out),
              0) << out;
    EXPECT_NE(out.find("Converted 6 variables to const ops.\n21 ops in the final graph.\n"), std::string::npos)
        << out;
    StatusOr<tensorflow::GraphDef> graph = ReadGraphDef(dir_ / "f.pb");
    EXPECT_TRUE(graph.ok()) << graph.status().ToString();
    restored_ = out.substr(0, out.find('\n'));
    return graph.ok() ? ByName(*graph).at("hidden1/weights")->attr().at("value").tensor().tensor_content() : "";
  }

  TempDir dir_;
  testing::ModelFixture first_{1}, second_{2};
  std::string restored_;  // the first line FrozenWeights printed
};

TEST_F(FreezeCkptDirTest, TakesTheStateFilesLatest) {
  testing::WriteTensorFlowMlpCheckpoint(first_.model, dir_ / "model.ckpt-1000", -1);
  testing::WriteTensorFlowMlpCheckpoint(second_.model, dir_ / "model.ckpt-2000", -1);
  WriteState("model.ckpt-2000", "model.ckpt-1000");
  EXPECT_EQ(FrozenWeights(), Bytes(second_.model.variables()[0]));
  EXPECT_EQ(restored_, "restored " + (dir_ / "model.ckpt-2000") + ": TensorFlow graph " +
                           (dir_ / "model.ckpt-2000.meta") + " -> softmax_linear/add");
  // The state file decides, not the step numbers.
  WriteState("model.ckpt-1000", "model.ckpt-2000");
  EXPECT_EQ(FrozenWeights(), Bytes(first_.model.variables()[0]));
  EXPECT_EQ(restored_.substr(0, restored_.find(':')), "restored " + (dir_ / "model.ckpt-1000"));
}

TEST(FreezeModeTest, BadOutputNodesAndMetaAreNamedWithTheirExitCodes) {
  TempDir dir;
  testing::ModelFixture fixture(3);
  testing::WriteTensorFlowMlpCheckpoint(fixture.model, dir / "m", -1);
  const std::string freeze = "--freeze --output " + (dir / "f.pb") + " --checkpoint " + (dir / "m") + " ";
  std::string out;
  EXPECT_EQ(RunMnist(freeze + "--output-nodes hidden1/Relu,nothing", &out), 2) << out;
  EXPECT_NE(out.find("--output-nodes hidden1/Relu,nothing: " + (dir / "m.meta") + ": output 'nothing' names no node"),
            std::string::npos) << out;
  EXPECT_EQ(RunMnist(freeze + "--output-nodes y --meta " + (dir / "none.meta"), &out), 2) << out;
  EXPECT_NE(out.find(dir / "none.meta: no such file; --meta takes a checkpoint's .meta graph or a SavedModel's "
                           "saved_model.pb"),
            std::string::npos) << out;
  testing::WriteFileOrDie(dir / "notes.txt", "not a graph at all");
  EXPECT_EQ(RunMnist(freeze + "--output-nodes y --meta " + (dir / "notes.txt"), &out), 1) << out;
  EXPECT_NE(out.find(dir / "notes.txt: not a MetaGraphDef (.meta) or a SavedModel (saved_model.pb)"),
            std::string::npos) << out;
  EXPECT_EQ(RunMnist(freeze + "--meta " + (dir / "m.meta"), &out), 2) << out;
  EXPECT_NE(out.find("give --output-nodes"), std::string::npos) << out;
  // A SavedModel's variables have no .meta beside them: the error says how to name the graph.
  EXPECT_EQ(RunMnist("--freeze --output " + (dir / "f.pb") + " --checkpoint " + kHalfPlusTwo +
                         "/variables/variables --output-nodes y", &out),
            1) << out;
  EXPECT_NE(out.find(kHalfPlusTwo + "/variables/variables.meta: no such file; name the graph with --meta"),
            std::string::npos) << out;
}

}  // namespace
}  // namespace mnist
