// Tests for `mnist --run` (app/modes/run.h): the tutorial's three graphs
// (a + b; a + b + input fed 4.; greater(input * W1 + B1, 50)) built here,
// run through the binary and their printed output compared exactly; a feed
// cutting off an op we do not run (half_plus_two's ParseExample); .npy and
// text graphs; and every bad feed refused with exit 2, naming it.
#include <gtest/gtest.h>

#include <google/protobuf/text_format.h>

#include "tests/support/graph_builder.h"
#include "tests/support/idx_writer.h"
#include "tests/support/test_util.h"

namespace mnist {
namespace {

using namespace testing;  // NOLINT: the graph builders and the runners

void SetT(NodeDef* n) { SetType(n, "T", tensorflow::DT_FLOAT); }

// The tutorial's frozen a + b: Consts a [[3], [4]] and b [[4]], "add".
GraphDef APlusB() {
  GraphDef g;
  AddFloatConst(&g, "a", {2, 1}, {3, 4});
  AddFloatConst(&g, "b", {1, 1}, {4});
  SetT(AddNode(&g, "add", "Add", {"a", "b"}));
  return g;
}

// The same plus a scalar float placeholder `input`: "out" = a + b + input.
GraphDef APlusBPlusInput() {
  GraphDef g = APlusB();
  AddPlaceholder(&g, "input", tensorflow::DT_FLOAT, {});
  g.mutable_versions()->set_producer(27);  // a shape [] is a scalar, not "any shape"
  SetT(AddNode(&g, "out", "AddV2", {"add", "input"}));
  return g;
}

// predictions = tf.greater(input_holder * W1 + B1, 50), input_holder [?, 1].
GraphDef Greater() {
  GraphDef g;
  AddPlaceholder(&g, "input_holder", tensorflow::DT_FLOAT, {-1, 1});
  AddFloatConst(&g, "W1", {1, 3}, {10, 20, 30});
  AddFloatConst(&g, "B1", {3}, {1});
  AddFloatConst(&g, "threshold", {}, {50});
  SetT(AddNode(&g, "mul", "Mul", {"input_holder", "W1"}));
  SetT(AddNode(&g, "add", "Add", {"mul", "B1"}));
  SetT(AddNode(&g, "predictions", "Greater", {"add", "threshold"}));
  return g;
}

// half_plus_two's shape: a ParseExample on strings upstream of x, y = x * 0.5 + 2.
GraphDef HalfPlusTwo() {
  GraphDef g;
  AddPlaceholder(&g, "tf_example", tensorflow::DT_STRING, {-1});
  AddNode(&g, "ParseExample/ParseExample", "ParseExample", {"tf_example"});
  SetT(AddNode(&g, "x", "Identity", {"ParseExample/ParseExample"}));
  AddFloatConst(&g, "a", {}, {0.5f});
  AddFloatConst(&g, "b", {}, {2});
  SetT(AddNode(&g, "Mul", "Mul", {"a", "x"}));
  SetT(AddNode(&g, "y", "Add", {"Mul", "b"}));
  return g;
}

class RunModeTest : public ::testing::Test {
 protected:
  // Writes `g` as dir/name (binary, or text for .pbtxt) and returns its path.
  std::string Write(const GraphDef& g, const std::string& name) {
    std::string bytes;
    if (name.size() > 6 && name.substr(name.size() - 6) == ".pbtxt") {
      google::protobuf::TextFormat::PrintToString(g, &bytes);
    } else {
      g.SerializeToString(&bytes);
    }
    WriteFileOrDie(dir_ / name, bytes);
    return dir_ / name;
  }
  // Runs `mnist --run <args>` with a deadline; returns the exit code.
  int Run(const std::string& args) { return RunMnistUnder(RunLimits{}, "--run " + args, &out_); }

  TempDir dir_;
  std::string out_;
};

TEST_F(RunModeTest, TutorialAPlusBWithNoInput) {
  EXPECT_EQ(Run(Write(APlusB(), "ab.pb") + " --fetch add"), 0) << out_;
  EXPECT_EQ(out_, "add:0 shape (2, 1) float32\n[[7.]\n [8.]]\n");
}

TEST_F(RunModeTest, TutorialInputFedFour) {
  const std::string graph = Write(APlusBPlusInput(), "abi.pbtxt");  // text format too
  EXPECT_EQ(Run(graph + " --feed input=4. --fetch out:0"), 0) << out_;
  EXPECT_EQ(out_, "out:0 shape (2, 1) float32\n[[11.]\n [12.]]\n");
  // Feeding `add`, which is no placeholder, overrides it (input_map).
  EXPECT_EQ(Run(graph + " --feed input=1 --feed 'add=[[0.5],[1e-5]]' --fetch out,add"), 0) << out_;
  EXPECT_EQ(out_,
            "out:0 shape (2, 1) float32\n[[1.5    ]\n [1.00001]]\n"
            "add:0 shape (2, 1) float32\n[[5.e-01]\n [1.e-05]]\n");
}

TEST_F(RunModeTest, TutorialGreaterGivesBools) {
  EXPECT_EQ(Run(Write(Greater(), "g.pb") + " --feed 'input_holder=[[2],[1]]' --fetch predictions"), 0)
      << out_;
  EXPECT_EQ(out_, "predictions:0 shape (2, 3) bool\n[[False False  True]\n [False False False]]\n");
}

TEST_F(RunModeTest, AFeedCutsOffAnOpWeDoNotRun) {
  const std::string graph = Write(HalfPlusTwo(), "hp2.pb");
  EXPECT_EQ(Run(graph + " --feed 'x=[1,2,5]' --fetch y"), 0) << out_;
  EXPECT_EQ(out_, "y:0 shape (3,) float32\n[2.5 3.  4.5]\n");
  EXPECT_EQ(Run(graph + " --fetch y"), 1) << out_;
  EXPECT_EQ(out_, "mnist: " + graph +
                      ": node 'ParseExample/ParseExample' (ParseExample): op ParseExample is not "
                      "supported (supported: Placeholder, Const, Identity, MatMul, Add, AddV2, Sub, "
                      "Mul, RealDiv, BiasAdd, Relu, Sigmoid, Tanh, Softmax, ArgMax, Greater, Less, "
                      "Equal, Cast, Reshape, NoOp)\n");
}

TEST_F(RunModeTest, NpyFeed) {
  const double value = 4;
  std::string header = "{'descr': '<f8', 'fortran_order': False, 'shape': (), }";
  header += std::string(63 - (10 + header.size()) % 64, ' ') + "\n";
  std::string npy = std::string("\x93NUMPY\x01\x00", 8) + static_cast<char>(header.size()) + '\0' +
                    header + std::string(reinterpret_cast<const char*>(&value), 8);
  WriteFileOrDie(dir_ / "four.npy", npy);
  EXPECT_EQ(Run(Write(APlusBPlusInput(), "abi.pb") + " --feed input=" + (dir_ / "four.npy") +
                " --fetch out"),
            0) << out_;
  EXPECT_EQ(out_, "out:0 shape (2, 1) float32\n[[11.]\n [12.]]\n");
}

TEST_F(RunModeTest, IdxImagesFeedAsPixelsOver255) {
  GraphDef g;
  AddPlaceholder(&g, "images", tensorflow::DT_FLOAT, {-1, 4});
  AddFloatConst(&g, "ones", {4, 1}, {1});
  SetT(AddNode(&g, "sum", "MatMul", {"images", "ones"}));
  const std::string pixels = std::string(6, '\xff') + std::string(2, '\0');
  ASSERT_TRUE(WriteIdxFile(dir_ / "images-idx3-ubyte.gz", EncodeIdxImages(2, 2, 2, pixels), true).ok());
  EXPECT_EQ(Run(Write(g, "sum.pb") + " --feed images=" + (dir_ / "images-idx3-ubyte.gz")), 0) << out_;
  EXPECT_EQ(out_, "sum:0 shape (2, 1) float32\n[[4.]\n [2.]]\n");
  // --pixel-scale 1: the bytes as they are, for a graph trained on raw pixels.
  EXPECT_EQ(Run(Write(g, "sum.pb") + " --pixel-scale 1 --feed images=" + (dir_ / "images-idx3-ubyte.gz")), 0)
      << out_;
  EXPECT_EQ(out_, "sum:0 shape (2, 1) float32\n[[1020.]\n [ 510.]]\n");
}

TEST_F(RunModeTest, BadFeedsExitTwoNamingThem) {
  const std::string graph = Write(Greater(), "g.pb");
  EXPECT_EQ(Run(graph + " --feed 'input_holder=[[1],[2' --fetch predictions"), 2);
  EXPECT_EQ(out_, "mnist: --feed input_holder=[[1],[2: missing ']' at character 8\n");
  EXPECT_EQ(Run(graph + " --feed input_holder --fetch predictions"), 2);
  EXPECT_NE(out_.find("--feed \"input_holder\": expected NAME=VALUE"), std::string::npos) << out_;
  EXPECT_EQ(Run(graph + " --feed nope=1 --fetch predictions"), 2);
  EXPECT_EQ(out_, "mnist: --feed nope --fetch predictions: " + graph + ": input 'nope' names no node\n");
  EXPECT_EQ(Run(graph + " --feed 'input_holder=[1,2]' --fetch predictions"), 2);
  EXPECT_EQ(out_, "mnist: --feed input_holder=[1,2]: 'input_holder' takes shape [?,1], the value "
                  "has shape [2]\n");
  EXPECT_EQ(Run(graph + " --feed 'input_holder=[[x]]' --fetch predictions"), 2);
  EXPECT_EQ(out_, "mnist: --feed input_holder=[[x]]: 'input_holder' takes DT_FLOAT: 'x' is no number\n");
  EXPECT_EQ(Run(graph + " --fetch predictions"), 2);
  EXPECT_EQ(out_, "mnist: --fetch predictions: " + graph +
                      ": node 'input_holder' (Placeholder): a placeholder the outputs need, but not "
                      "fed (nothing is fed)\n");
  EXPECT_EQ(Run(graph + " --feed input_holder=1 --feed input_holder=2 --fetch predictions"), 2);
  EXPECT_NE(out_.find("node 'input_holder' (Placeholder): fed twice"), std::string::npos) << out_;
  EXPECT_EQ(Run(graph + " --feed 'input_holder=[[1]]' --fetch nothing"), 2);
  EXPECT_NE(out_.find("output 'nothing' names no node"), std::string::npos) << out_;
}

TEST_F(RunModeTest, AnIntFeedRefusesAFraction) {
  GraphDef g;
  AddPlaceholder(&g, "i", tensorflow::DT_INT32, {-1});
  SetType(AddNode(&g, "j", "Identity", {"i"}), "T", tensorflow::DT_INT32);
  const std::string graph = Write(g, "i.pb");
  EXPECT_EQ(Run(graph + " --feed 'i=[1,-20]'"), 0) << out_;
  EXPECT_EQ(out_, "j:0 shape (2,) int32\n[  1 -20]\n");
  EXPECT_EQ(Run(graph + " --feed i=[1.5]"), 2);
  EXPECT_EQ(out_, "mnist: --feed i=[1.5]: 'i' takes DT_INT32: '1.5' is no integer (the feed is DT_INT32)\n");
}

}  // namespace
}  // namespace mnist
