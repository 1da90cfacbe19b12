// End-to-end tests of the one-file model workflow through the `mnist` binary
// (app/modes/freeze.h, app/modes/predict.h): train, freeze, predict with the accuracy of
// --eval, pipeable predictions, fixed-batch graphs, and clear failures.
#include <gtest/gtest.h>

#include <algorithm>
#include <regex>
#include <sstream>

#include "checkpoints/export/freeze.h"
#include "nn/graph/graph_file.h"
#include "nn/graph/graph_import.h"
#include "checkpoints/saver/model_loader.h"
#include "checkpoints/state/checkpoint_state.h"
#include "checkpoints/state/naming.h"
#include "tests/support/test_util.h"
#include "tests/support/tf_mlp_checkpoint.h"

namespace mnist {
namespace {

using testing::RunMnist;
using testing::TempDir;

// One small trained network shared by the tests (training takes a while).
class ModelExportWorkflowTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    testing::WriteSyntheticMnist(*dir_ / "data", 600, 200, false);
    std::string out;
    ASSERT_EQ(RunMnist("--train --validation-size 0 --hidden 32,16 --epochs 2 --ema-decay 0.9 " + Flags(), &out), 0) << out;
  }
  static void TearDownTestSuite() { delete dir_; }
  static std::string Flags() { return DataFlags() + " " + CkptDir(); }
  static std::string DataFlags() { return "--threads 2 --data-dir " + (*dir_ / "data"); }
  static std::string CkptDir() { return "--ckpt-dir " + (*dir_ / "ckpt"); }
  static std::string Images() { return " --images " + (*dir_ / "data/t10k-images-idx3-ubyte"); }
  static std::string Labels() { return " --labels " + (*dir_ / "data/t10k-labels-idx1-ubyte"); }
  static std::string ValAcc(const std::string& out) {
    std::smatch m;
    return std::regex_search(out, m, std::regex(R"(val_acc:(\d\.\d+))")) ? m[1].str() : "none";
  }
  static TempDir* dir_;
};
TempDir* ModelExportWorkflowTest::dir_ = nullptr;

TEST_F(ModelExportWorkflowTest, FrozenModelPredictsWithTheAccuracyOfEval) {
  std::string eval, freeze, predict;
  ASSERT_EQ(RunMnist("--eval " + Flags(), &eval), 0) << eval;
  ASSERT_EQ(RunMnist("--freeze --output " + (*dir_ / "model/frozen_model.pb") + " " + CkptDir(), &freeze), 0) << freeze;
  EXPECT_NE(freeze.find("Converted 6 variables to const ops."), std::string::npos) << freeze;
  EXPECT_NE(freeze.find("19 ops in the final graph."), std::string::npos) << freeze;
  ASSERT_EQ(RunMnist("--predict " + (*dir_ / "model/frozen_model.pb") + Images() + Labels(), &predict), 0) << predict;
  EXPECT_NE(predict.find("predicted 200 images"), std::string::npos) << predict;
  EXPECT_EQ(ValAcc(predict), ValAcc(eval)) << eval << predict;
  // The confusion matrices agree line for line too.
  EXPECT_NE(predict.find(eval.substr(eval.find("class  accuracy"))), std::string::npos) << eval << predict;
}

TEST_F(ModelExportWorkflowTest, EmaFrozenModelPredictsWithTheAccuracyOfEvalUseEma) {
  std::string eval, freeze, predict;
  ASSERT_EQ(RunMnist("--eval --use-ema " + Flags(), &eval), 0) << eval;
  ASSERT_EQ(RunMnist("--freeze --use-ema --text --output " + (*dir_ / "ema.pbtxt") + " " + CkptDir(), &freeze), 0)
      << freeze;
  ASSERT_EQ(RunMnist("--predict " + (*dir_ / "ema.pbtxt") + Images() + Labels(), &predict), 0) << predict;
  EXPECT_EQ(ValAcc(predict), ValAcc(eval)) << eval << predict;
}

TEST_F(ModelExportWorkflowTest, PredictWithoutLabelsPrintsOneClassPerLine) {
  std::string freeze, classes, probabilities;
  ASSERT_EQ(RunMnist("--freeze --output " + (*dir_ / "f.pb") + " " + CkptDir(), &freeze), 0) << freeze;
  ASSERT_EQ(RunMnist("--predict " + (*dir_ / "f.pb") + Images(), &classes), 0) << classes;
  classes = classes.substr(classes.find('\n') + 1);  // after the "mnist: imported" note
  std::istringstream lines(classes);
  std::string line;
  int count = 0;
  while (std::getline(lines, line)) {
    EXPECT_TRUE(std::regex_match(line, std::regex("[0-9]"))) << line;
    ++count;
  }
  EXPECT_EQ(count, 200);
  ASSERT_EQ(RunMnist("--predict " + (*dir_ / "f.pb") + Images() + " --probabilities --batch-size 7", &probabilities),
            0) << probabilities;
  EXPECT_NE(probabilities.find("batches of 7"), std::string::npos) << probabilities;
  std::istringstream rows(probabilities.substr(probabilities.find('\n') + 1)), first(classes);
  std::string class_line;
  while (std::getline(rows, line) && std::getline(first, class_line)) {
    std::istringstream fields(line);
    int predicted = -1;
    double p = 0, sum = 0;
    fields >> predicted;
    EXPECT_EQ(std::to_string(predicted), class_line);
    for (int c = 0; c < 10 && fields >> p; ++c) sum += p;
    EXPECT_NEAR(sum, 1.0, 1e-4) << line;
  }
}

TEST_F(ModelExportWorkflowTest, FixedBatchPlaceholderIsFedPaddedBatches) {
  std::string out, fixed, free_batch;
  ASSERT_EQ(RunMnist("--freeze --output " + (*dir_ / "g.pb") + " " + CkptDir(), &out), 0) << out;
  StatusOr<tensorflow::GraphDef> graph = ReadGraphDef(*dir_ / "g.pb");
  ASSERT_TRUE(graph.ok());
  // As a TF graph frozen with tf.placeholder(tf.float32, [64, 784]) would be.
  (*graph->mutable_node(0)->mutable_attr())["shape"].mutable_shape()->mutable_dim(0)->set_size(64);
  ASSERT_TRUE(WriteGraph(*graph, *dir_ / "fixed.pb", false).ok());
  ASSERT_EQ(RunMnist("--predict " + (*dir_ / "fixed.pb") + Images(), &fixed), 0) << fixed;
  EXPECT_NE(fixed.find("batches of 64"), std::string::npos) << fixed;
  ASSERT_EQ(RunMnist("--predict " + (*dir_ / "g.pb") + Images() + " --output logits --input input", &free_batch), 0)
      << free_batch;
  EXPECT_EQ(fixed.substr(fixed.find('\n')), free_batch.substr(free_batch.find('\n')));  // 200 = 3 x 64 + 8
  EXPECT_EQ(RunMnist("--predict " + (*dir_ / "fixed.pb") + Images() + " --batch-size 50", &out), 2);
  EXPECT_NE(out.find("takes batches of exactly 64"), std::string::npos) << out;
}

TEST_F(ModelExportWorkflowTest, EvalOfATensorFlowMlpCheckpointFollowsItsGraph) {
  std::string ours, theirs, out;
  ASSERT_EQ(RunMnist("--eval " + Flags(), &ours), 0) << ours;
  StatusOr<std::string> latest = LatestCheckpoint(*dir_ / "ckpt", kBestStateFilename);
  ASSERT_TRUE(latest.ok()) << latest.status().ToString();
  StatusOr<std::unique_ptr<Mlp>> model = LoadModel(*latest, RestoreOptions{});
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  // The same weights in a TF1 tutorial training graph, with a fixed batch of 64.
  testing::WriteTensorFlowMlpCheckpoint(**model, *dir_ / "tf/model.ckpt-1999", 64);
  ASSERT_EQ(RunMnist("--eval --checkpoint " + (*dir_ / "tf/model.ckpt-1999") + " --output softmax_linear/add " +
                     DataFlags(), &theirs), 0) << theirs;
  EXPECT_NE(theirs.find("TensorFlow graph Placeholder -> softmax_linear/add, 6 variables as constants"),
            std::string::npos) << theirs;
  EXPECT_EQ(theirs.substr(theirs.find("val_loss")), ours.substr(ours.find("val_loss"))) << ours << theirs;
  // --var-map loads the same variables into our network instead (the shapes match).
  const std::string var_map =
      " --var-map hidden1/weights=dense/kernel,hidden1/biases=dense/bias,hidden2/weights=dense_1/kernel,"
      "hidden2/biases=dense_1/bias,softmax_linear/weights=dense_2/kernel,softmax_linear/biases=dense_2/bias ";
  ASSERT_EQ(RunMnist("--eval --checkpoint " + (*dir_ / "tf/model.ckpt-1999") + var_map + DataFlags(), &out), 0) << out;
  EXPECT_EQ(out.substr(out.find("val_loss")), ours.substr(ours.find("val_loss"))) << ours << out;
  // Without --output the one node feeding the loss is the logits.
  ASSERT_EQ(RunMnist("--eval --checkpoint " + (*dir_ / "tf/model.ckpt-1999") + " " + DataFlags(), &out), 0) << out;
  EXPECT_NE(out.find("\nlogits: softmax_linear/add (feeds SparseSoftmaxCrossEntropyWithLogits), [64,10]\n"),
            std::string::npos) << out;
  EXPECT_EQ(out.substr(out.find("val_loss")), ours.substr(ours.find("val_loss"))) << ours << out;
  EXPECT_EQ(RunMnist("--eval --checkpoint " + (*dir_ / "tf/model.ckpt-1999") + " --output xentropy " + DataFlags(), &out),
            1);
  EXPECT_NE(out.find("node 'xentropy' (SparseSoftmaxCrossEntropyWithLogits): "
                     "op SparseSoftmaxCrossEntropyWithLogits is not supported"),
            std::string::npos) << out;
  EXPECT_EQ(RunMnist("--eval --checkpoint " + (*dir_ / "tf/model.ckpt-1999") + " --output nothing " + DataFlags(), &out),
            2);
  EXPECT_NE(out.find("output 'nothing' names no node"), std::string::npos) << out;
}

TEST_F(ModelExportWorkflowTest, FrozenTensorFlowCheckpointPredictsWhatEvalOutputGives) {
  StatusOr<std::string> latest = LatestCheckpoint(*dir_ / "ckpt", kBestStateFilename);
  ASSERT_TRUE(latest.ok()) << latest.status().ToString();
  StatusOr<std::unique_ptr<Mlp>> model = LoadModel(*latest, RestoreOptions{});
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  const std::string tf = *dir_ / "tf_freeze/model.ckpt-1999";
  testing::WriteTensorFlowMlpCheckpoint(**model, tf, -1);
  std::string eval, freeze, predict, classes, ours, our_classes;
  ASSERT_EQ(RunMnist("--eval --checkpoint " + tf + " --output softmax_linear/add " + DataFlags(), &eval), 0) << eval;
  ASSERT_EQ(RunMnist("--freeze --checkpoint " + tf + " --output-nodes softmax_linear/add --output " +
                         (*dir_ / "tf_frozen.pb"), &freeze),
            0) << freeze;
  EXPECT_NE(freeze.find("restored " + tf + ": TensorFlow graph " + tf + ".meta -> softmax_linear/add\n"
                        "Converted 6 variables to const ops.\n21 ops in the final graph.\n"),
            std::string::npos) << freeze;
  ASSERT_EQ(RunMnist("--predict " + (*dir_ / "tf_frozen.pb") + Images() + Labels(), &predict), 0) << predict;
  EXPECT_EQ(ValAcc(predict), ValAcc(eval)) << eval << predict;
  EXPECT_NE(predict.find(eval.substr(eval.find("class  accuracy"))), std::string::npos) << eval << predict;
  // Image by image, the classes are those of our own frozen network, the same weights.
  ASSERT_EQ(RunMnist("--predict " + (*dir_ / "tf_frozen.pb") + Images(), &classes), 0) << classes;
  ASSERT_EQ(RunMnist("--freeze --output " + (*dir_ / "ours.pb") + " " + CkptDir(), &ours), 0) << ours;
  ASSERT_EQ(RunMnist("--predict " + (*dir_ / "ours.pb") + Images(), &our_classes), 0) << our_classes;
  classes = classes.substr(classes.find('\n') + 1);  // after the "mnist: imported" note
  EXPECT_EQ(std::count(classes.begin(), classes.end(), '\n'), 200);
  EXPECT_EQ(classes, our_classes.substr(our_classes.find('\n') + 1));
}

TEST_F(ModelExportWorkflowTest, PredictFailuresNameTheFileAndTheProblem) {
  std::string out;
  testing::WriteFileOrDie(*dir_ / "junk.pb", "\xff\xfe not a graph {{");
  EXPECT_EQ(RunMnist("--predict " + (*dir_ / "junk.pb") + Images(), &out), 1);
  EXPECT_NE(out.find(*dir_ / "junk.pb"), std::string::npos) << out;
  ASSERT_EQ(RunMnist("--freeze --output " + (*dir_ / "h.pb") + " " + CkptDir(), &out), 0) << out;
  EXPECT_EQ(RunMnist("--predict " + (*dir_ / "h.pb") + Images() + " --output nothing", &out), 2);
  EXPECT_NE(out.find("output 'nothing' names no node"), std::string::npos) << out;
  EXPECT_EQ(RunMnist("--predict " + (*dir_ / "h.pb") + Images() + " --output probabilities --probabilities "
                     "--input dense/kernel", &out), 2);
  EXPECT_NE(out.find("node 'input' (Placeholder): a placeholder the outputs need, but not fed (fed: dense/kernel)"),
            std::string::npos) << out;
  // Images fed into a node of another shape: an error naming it and both shapes, not rubbish.
  for (const std::string& labels : {std::string(), Labels()}) {
    EXPECT_EQ(RunMnist("--predict " + (*dir_ / "h.pb") + Images() + labels + " --input logits", &out), 2) << out;
    EXPECT_NE(out.find(*dir_ / "h.pb: input 'logits' takes [?,10], not images of 784 values ([?,784])"),
              std::string::npos) << out;
  }
  ASSERT_EQ(RunMnist("--export-onnx " + (*dir_ / "m.onnx") + " " + CkptDir(), &out), 0) << out;
  EXPECT_EQ(RunMnist("--predict " + (*dir_ / "m.onnx") + Images(), &out), 1);
  EXPECT_NE(out.find(*dir_ / "m.onnx: an ONNX model, not a TensorFlow GraphDef"), std::string::npos) << out;
  EXPECT_EQ(RunMnist("--predict " + (*dir_ / "h.pb"), &out), 2);
  EXPECT_NE(out.find("--images"), std::string::npos) << out;
}

}  // namespace
}  // namespace mnist
