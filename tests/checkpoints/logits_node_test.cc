// Tests of which node --eval takes as a TensorFlow graph's logits
// (checkpoints/export/logits_node.h, app/modes/eval.cc): found when exactly
// one float [N, 10] node feeds a Softmax, an ArgMax, an InTopK or a softmax
// cross-entropy loss; none or several is exit 2 saying why; an --output that
// is a hidden layer or a Softmax is exit 2 naming its shape or op.
#include <gtest/gtest.h>

#include <functional>
#include <regex>

#include "checkpoints/saver/checkpoint_layers.h"
#include "checkpoints/saver/model_loader.h"
#include "checkpoints/state/checkpoint_state.h"
#include "checkpoints/state/naming.h"
#include "io/base/file.h"
#include "tests/support/test_util.h"
#include "tests/support/tf_mlp_checkpoint.h"

namespace mnist {
namespace {

using testing::AddTfNode;
using testing::RunMnist;
using testing::TempDir;

class LogitsNodeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    testing::WriteSyntheticMnist(*dir_ / "data", 300, 100, false);
    std::string out;
    ASSERT_EQ(RunMnist("--train --validation-size 0 --hidden 32 --epochs 1 " + Data() + " --ckpt-dir " +
                       (*dir_ / "ckpt"), &out), 0) << out;
    StatusOr<std::string> latest = LatestCheckpoint(*dir_ / "ckpt", kBestStateFilename);
    ASSERT_TRUE(latest.ok()) << latest.status().ToString();
    StatusOr<std::unique_ptr<Mlp>> loaded = LoadModel(*latest, RestoreOptions{});
    ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
    model_ = loaded->release();
  }
  static void TearDownTestSuite() {
    delete model_;
    delete dir_;
  }
  static std::string Data() { return "--threads 2 --data-dir " + (*dir_ / "data"); }

  // The TF1 tutorial checkpoint of our network at tf/<name> (placeholder
  // batch `batch`), its graph changed by `edit`; returns `--eval --checkpoint` of it.
  static std::string TfCheckpoint(const std::string& name, int64_t batch,
                                  const std::function<void(tensorflow::GraphDef*)>& edit = nullptr) {
    const std::string prefix = *dir_ / ("tf/" + name);
    testing::WriteTensorFlowMlpCheckpoint(*model_, prefix, batch);
    if (edit) {
      StatusOr<tensorflow::MetaGraphDef> meta = ReadMetaGraph(prefix);
      EXPECT_TRUE(meta.ok()) << meta.status().ToString();
      edit(meta->mutable_graph_def());
      EXPECT_TRUE(WriteFileAtomically(MetaFilename(prefix), meta->SerializeAsString()).ok());
    }
    return "--eval --checkpoint " + prefix + " " + Data();
  }
  static tensorflow::NodeDef* Node(tensorflow::GraphDef* g, const std::string& name) {
    for (tensorflow::NodeDef& n : *g->mutable_node()) {
      if (n.name() == name) return &n;
    }
    ADD_FAILURE() << "no node " << name;
    return g->add_node();
  }
  static std::string ValLoss(const std::string& out) {
    std::smatch m;
    return std::regex_search(out, m, std::regex(R"(val_loss:\S+)")) ? m[0].str() : "none";
  }

  static TempDir* dir_;
  static Mlp* model_;
};
TempDir* LogitsNodeTest::dir_ = nullptr;
Mlp* LogitsNodeTest::model_ = nullptr;

TEST_F(LogitsNodeTest, TheOneNodeFeedingTheLossIsTheLogits) {
  std::string found, named;
  const std::string eval = TfCheckpoint("one.ckpt-1", -1);
  ASSERT_EQ(RunMnist(eval, &found), 0) << found;
  EXPECT_NE(found.find("\nlogits: softmax_linear/add (feeds SparseSoftmaxCrossEntropyWithLogits), [?,10]\n"),
            std::string::npos) << found;
  ASSERT_EQ(RunMnist(eval + " --output softmax_linear/add", &named), 0) << named;
  EXPECT_EQ(named.find("\nlogits: "), std::string::npos) << named;  // named, so not said
  EXPECT_EQ(found.substr(found.find("val_loss")), named.substr(named.find("val_loss")));
}

TEST_F(LogitsNodeTest, ATensorFlowGraphWritesTheErrorsGridToo) {
  std::string out;
  const std::string png = *dir_ / "tf_errors.png";
  ASSERT_EQ(RunMnist(TfCheckpoint("errors.ckpt-1", -1) + " --errors " + png, &out), 0) << out;
  // 3 steps of training leave some misclassified (the file is written only then).
  EXPECT_NE(out.find("misclassified test images to " + png), std::string::npos) << out;
  EXPECT_TRUE(FileExists(png)) << out;
}

TEST_F(LogitsNodeTest, AFixedBatchAndSeveralReadersOfOneNodeStillGiveOne) {
  std::string out;
  // As the tutorial's graph: placeholder [100, 784], the loss, in_top_k and an
  // argmax of a softmax (the Softmax itself is not taken for logits).
  const std::string eval = TfCheckpoint("fixed.ckpt-1", 100, [](tensorflow::GraphDef* g) {
    AddTfNode(g, "InTopKV2", "InTopKV2", {"softmax_linear/add", "Placeholder_1", "k"});
    AddTfNode(g, "probabilities", "Softmax", {"softmax_linear/add"});
    AddTfNode(g, "predictions", "ArgMax", {"probabilities", "dimension"});
    AddTfNode(g, "k", "Const");
    AddTfNode(g, "dimension", "Const");
  });
  ASSERT_EQ(RunMnist(eval, &out), 0) << out;
  EXPECT_NE(out.find("\nlogits: softmax_linear/add (feeds SparseSoftmaxCrossEntropyWithLogits, InTopKV2, "
                     "Softmax), [100,10]\n"),
            std::string::npos) << out;
}

TEST_F(LogitsNodeTest, TwoCandidatesAreListedAndExit2) {
  std::string out;
  const std::string eval = TfCheckpoint("two.ckpt-1", -1, [](tensorflow::GraphDef* g) {
    AddTfNode(g, "aux/logits", "Identity", {"softmax_linear/add"});
    AddTfNode(g, "aux/predictions", "ArgMax", {"aux/logits", "aux/dimension"});
    AddTfNode(g, "aux/dimension", "Const");
  });
  ASSERT_EQ(RunMnist(eval, &out), 2) << out;
  EXPECT_NE(out.find("two.ckpt-1.meta: 2 nodes could be the float [N, 10] logits: softmax_linear/add (feeds "
                     "SparseSoftmaxCrossEntropyWithLogits), [?,10]; aux/logits (feeds ArgMax), [?,10]; name the "
                     "logits node with --output NODE"),
            std::string::npos) << out;
  ASSERT_EQ(RunMnist(eval + " --output aux/logits", &out), 0) << out;  // naming one settles it
}

TEST_F(LogitsNodeTest, NoCandidateIsExit2SayingWhy) {
  std::string out;
  // The loss reads the hidden layer: the one candidate is [?, 16], not 10 classes.
  std::string eval = TfCheckpoint("hidden.ckpt-1", -1, [](tensorflow::GraphDef* g) {
    Node(g, "xentropy")->set_input(0, "hidden1/Relu");
  });
  ASSERT_EQ(RunMnist(eval, &out), 2) << out;
  EXPECT_NE(out.find("hidden.ckpt-1.meta: no node is float [N, 10] logits (the ones that feed a Softmax, an "
                     "ArgMax, an InTopK or a softmax cross-entropy loss: hidden1/Relu (feeds "
                     "SparseSoftmaxCrossEntropyWithLogits), [?,32]); name the logits node with --output NODE"),
            std::string::npos) << out;
  // Nothing reads logits at all.
  eval = TfCheckpoint("none.ckpt-1", -1, [](tensorflow::GraphDef* g) { Node(g, "xentropy")->set_op("Mean"); });
  ASSERT_EQ(RunMnist(eval, &out), 2) << out;
  EXPECT_NE(out.find("none.ckpt-1.meta: no node feeds a Softmax, an ArgMax, an InTopK or a softmax cross-entropy "
                     "loss, so none is known to be the float [N, 10] logits; name the logits node with --output "
                     "NODE"),
            std::string::npos) << out;
}

TEST_F(LogitsNodeTest, AnOutputThatIsNotLogitsIsExit2NamingItsShapeOrOp) {
  std::string plain, logits, out;
  const std::string ckpt = " --ckpt-dir " + (*dir_ / "ckpt") + " " + Data();
  ASSERT_EQ(RunMnist("--eval" + ckpt, &plain), 0) << plain;
  ASSERT_EQ(RunMnist("--eval --output logits" + ckpt, &logits), 0) << logits;
  EXPECT_EQ(ValLoss(logits), ValLoss(plain)) << plain << logits;
  EXPECT_EQ(RunMnist("--eval --output dense/Relu" + ckpt, &out), 2) << out;
  EXPECT_NE(out.find("--output dense/Relu: " + (*dir_ / "ckpt/mnist.ckpt-1.meta") +
                     ": output 'dense/Relu' is DT_FLOAT [?,32], not [N, 10] logits (the labels have 10 classes)"),
            std::string::npos) << out;
  EXPECT_EQ(RunMnist("--eval --output probabilities" + ckpt, &out), 2) << out;
  EXPECT_NE(out.find("output 'probabilities' is DT_FLOAT [?,10] from a Softmax: probabilities, not logits (give "
                     "the node it reads, 'logits')"),
            std::string::npos) << out;
  EXPECT_EQ(out.find("val_loss"), std::string::npos) << out;
}

}  // namespace
}  // namespace mnist
