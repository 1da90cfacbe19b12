// Tests for app/cli/flags.h: modes, defaults, and bad flags named in the error.
#include "app/cli/flags.h"

#include <gtest/gtest.h>

#include "data/dataset/batches.h"

namespace mnist {
namespace {

StatusOr<Command> Parse(std::vector<const char*> args) {
  args.insert(args.begin(), "mnist");
  return ParseCommandLine(static_cast<int>(args.size()), args.data());
}

void ExpectRejected(std::vector<const char*> args, const std::string& needle) {
  StatusOr<Command> c = Parse(args);
  ASSERT_FALSE(c.ok()) << "accepted: " << needle;
  EXPECT_EQ(c.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(c.status().message().find(needle), std::string::npos) << c.status().message();
}

TEST(FlagsTest, TrainDefaultsMatchTheDesign) {
  StatusOr<Command> c = Parse({"--train"});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->mode, Mode::kTrain);
  EXPECT_EQ(c->train.epochs, 20);
  EXPECT_EQ(c->train.batch_size, 100);
  EXPECT_FLOAT_EQ(c->train.learning_rate, 0.001f);
  EXPECT_FLOAT_EQ(c->train.l2, 1e-4f);
  EXPECT_EQ(c->train.hidden, (std::vector<int>{1024, 512}));
  EXPECT_EQ(c->train.ckpt_dir, "ckpt");
}

TEST(FlagsTest, ParsesTrainingFlags) {
  StatusOr<Command> c = Parse({"--train", "--epochs", "3", "--hidden", "64,32,16", "--l2", "0",
                               "--seed", "9", "--data-dir", "d"});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->train.epochs, 3);
  EXPECT_EQ(c->train.hidden, (std::vector<int>{64, 32, 16}));
  EXPECT_EQ(c->train.l2, 0.0f);
  EXPECT_EQ(c->train.seed, 9u);
  EXPECT_EQ(c->train.data_dir, "d");
}

TEST(FlagsTest, NoModeIsTheOneLineUsage) {
  const std::string usage =
      "usage: mnist --train|--eval|--inspect PREFIX|--freeze|--predict MODEL|--run GRAPH|--export-onnx FILE|"
      "--plot|--download|--version [options]; mnist --help lists the options";
  EXPECT_EQ(UsageLine(), usage);
  for (std::vector<const char*> args : std::vector<std::vector<const char*>>{
           {}, {"--epochs", "3"}, {"--ckpt-dir", "c", "--threads", "2"}}) {
    StatusOr<Command> c = Parse(args);
    ASSERT_FALSE(c.ok());
    EXPECT_EQ(c.status().code(), Status::Code::kInvalidArgument);
    EXPECT_EQ(c.status().message(), usage);
  }
  StatusOr<Command> help = Parse({"--help"});
  ASSERT_TRUE(help.ok());
  EXPECT_EQ(help->mode, Mode::kHelp);
  EXPECT_NE(help->help_text.find("--batch-size"), std::string::npos);
}

// Issue 15: a flag that would be silently ignored is an error naming it.
TEST(FlagsTest, RejectsAFlagAnotherOneLeavesUnread) {
  ExpectRejected({"--predict", "m.pb", "--images", "i", "--labels", "l", "--probabilities"},
                 "--probabilities and --labels: give one");
  ExpectRejected({"--eval", "--max", "5"}, "--max 5: it limits the --errors grid; give it with "
                                           "--errors FILE.png");
  for (const char* mode : {"--eval", "--freeze"}) {
    ExpectRejected({mode, "--ckpt-dir", "a", "--checkpoint", "x"}, "--checkpoint and --ckpt-dir: give one");
  }
  ExpectRejected({"--export-onnx", "m.onnx", "--checkpoint", "x", "--ckpt-dir", "a"},
                 "--checkpoint and --ckpt-dir: give one");
}

TEST(FlagsTest, RejectsARepeatedFlagNamingBothValues) {
  ExpectRejected({"--train", "--epochs", "3", "--epochs", "5"},
                 "--epochs is given twice (\"3\", then \"5\"); give it once");
  ExpectRejected({"--eval", "--use-ema", "--use-ema"}, "--use-ema is given twice");
  ExpectRejected({"--train", "--train"}, "--train is given twice");
  ExpectRejected({"--predict", "a.pb", "--predict", "b.pb", "--images", "i"}, "--predict is given twice");
}

TEST(FlagsTest, RejectsBadValuesNamingTheFlag) {
  ExpectRejected({"--train", "--epochs", "0"}, "--epochs 0");
  ExpectRejected({"--train", "--batch-size", "0"}, "--batch-size 0");
  ExpectRejected({"--train", "--lr", "0"}, "--lr");
  ExpectRejected({"--train", "--lr", "-1"}, "--lr");
  ExpectRejected({"--train", "--hidden", "1024,,512"}, "--hidden \"1024,,512\"");
  ExpectRejected({"--train", "--hidden", "abc"}, "--hidden");
  ExpectRejected({"--train", "--epochs", "many"}, "epochs");
  ExpectRejected({"--train", "--bogus"}, "bogus");
  ExpectRejected({"--train", "--eval"}, "one mode");
  ExpectRejected({"--train", "stray"}, "stray");
}

TEST(FlagsTest, QuotesNumbersAsTypedAndStatesTheirRange) {
  ExpectRejected({"--train", "--lr", "0"}, "--lr 0: out of range; must be a number > 0");
  ExpectRejected({"--train", "--lr", "0.000"}, "--lr 0.000: out of range");
  ExpectRejected({"--train", "--ema-decay", "2"}, "--ema-decay 2: out of range; must be a number in [0, 1)");
  ExpectRejected({"--train", "--l2", "-1e-3"}, "--l2 -1e-3: out of range; must be a number >= 0");
  ExpectRejected({"--train", "--lr", "1e39"}, "--lr 1e39: not a finite float; must be a number > 0");
  ExpectRejected({"--train", "--lr", "nan"}, "--lr nan: not a finite float");
  ExpectRejected({"--train", "--epochs", "99999999999"},
                 "--epochs 99999999999: out of range; must be an integer from 1 to 2147483647");
  ExpectRejected({"--train", "--epochs", "3.5"},
                 "--epochs \"3.5\": not a number; must be an integer from 1 to 2147483647");
  ExpectRejected({"--train", "--seed", "-1"},
                 "--seed -1: out of range; must be an integer from 0 to 18446744073709551615");
  ExpectRejected({"--train", "--max-to-keep", "-1"}, "--max-to-keep -1: out of range");
  ExpectRejected({"--eval", "--errors", "e.png", "--max", "0"}, "--max 0: out of range");
}

TEST(FlagsTest, RejectsAnEmptyValueNamingTheFlag) {
  ExpectRejected({"--export-onnx", ""}, "--export-onnx \"\": must not be empty");
  ExpectRejected({"--freeze", "--output", ""}, "--output \"\": must not be empty");
  ExpectRejected({"--train", "--ckpt-dir", ""}, "--ckpt-dir \"\": must not be empty");
  ExpectRejected({"--eval", "--checkpoint="}, "--checkpoint \"\": must not be empty");
}

TEST(FlagsTest, RejectsAFlagTheModeDoesNotReadNamingItsModes) {
  ExpectRejected({"--eval", "--epochs", "3"}, "--epochs is a --train flag, not for --eval");
  ExpectRejected({"--train", "--tensor", "foo"}, "--tensor is a --inspect flag, not for --train");
  ExpectRejected({"--eval", "--images", "foo"}, "--images is a --predict flag, not for --eval");
  ExpectRejected({"--freeze", "--errors", "x.png"}, "--errors is a --eval flag, not for --freeze");
  ExpectRejected({"--eval", "--hidden", "64"}, "--hidden is a --train flag, not for --eval");
  ExpectRejected({"--train", "--output", "x"},
                 "--output is a --eval, --freeze, --predict or --plot flag, not for --train");
  ExpectRejected({"--freeze", "--data-dir", "d"}, "--data-dir is a --train, --eval or --download flag");
  ExpectRejected({"--version", "--threads", "2"}, "not for --version");
  ExpectRejected({"--plot", "--mirror", "file:///a/"}, "--mirror is a --download flag, not for --plot");
}

TEST(FlagsTest, AcceptsASharedFlagInEveryModeThatReadsIt) {
  for (std::vector<const char*> args : std::vector<std::vector<const char*>>{
           {"--train", "--ckpt-dir", "c", "--data-dir", "d", "--threads", "2", "--batch-size", "5"},
           {"--eval", "--ckpt-dir", "c", "--data-dir", "d", "--threads", "2", "--use-ema",
            "--var-map", "a=b", "--input", "x", "--output", "y", "--errors", "e.png", "--max", "5"},
           {"--eval", "--checkpoint", "c/m-1"},
           {"--freeze", "--ckpt-dir", "c", "--use-ema", "--var-map", "a=b", "--output", "f.pb"},
           {"--freeze", "--checkpoint", "c/m-1"},
           {"--export-onnx", "m.onnx", "--ckpt-dir", "c", "--use-ema", "--var-map", "a=b"},
           {"--export-onnx", "m.onnx", "--checkpoint", "c/m-1"},
           {"--predict", "m.pb", "--images", "i", "--threads", "2", "--batch-size", "5", "--input", "x",
            "--output", "y"},
           {"--plot", "--ckpt-dir", "c", "--output", "p.svg"},
           {"--download", "--data-dir", "d", "--mirror", "file:///a/"},
       }) {
    StatusOr<Command> c = Parse(args);
    EXPECT_TRUE(c.ok()) << args[0] << ": " << c.status().ToString();
  }
}

TEST(FlagsTest, HelpGroupsFlagsByModeWithDefaults) {
  StatusOr<Command> c = Parse({"--help"});
  ASSERT_TRUE(c.ok());
  const std::string& help = c->help_text;
  size_t last = 0;
  for (const char* group : {"Train options:", "Eval options:", "Inspect options:", "Freeze options:",
                            "Predict options:", "Export options:", "Plot options:",
                            "Download options:", "Common options:"}) {
    const size_t at = help.find(group);
    ASSERT_NE(at, std::string::npos) << group << " missing:\n" << help;
    EXPECT_GT(at, last) << group << " out of order:\n" << help;
    last = at;
  }
  // Each mode's flags sit under its own heading.
  EXPECT_LT(help.find("--epochs"), help.find("Eval options:"));
  EXPECT_GT(help.find("--tensor"), help.find("Inspect options:"));
  EXPECT_NE(help.find("(default: 20)"), std::string::npos) << help;
}

TEST(FlagsTest, PlotTakesTheCheckpointDirectoryAndAnOutput) {
  StatusOr<Command> c = Parse({"--plot", "--ckpt-dir", "runs/a", "--output", "a.svg"});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->mode, Mode::kPlot);
  EXPECT_EQ(c->plot.ckpt_dir, "runs/a");
  EXPECT_EQ(c->plot.output, "a.svg");
  EXPECT_EQ(Parse({"--plot"})->plot.output, "");
}

TEST(FlagsTest, DownloadDefaultsToDataMnistAndTakesRepeatedMirrors) {
  StatusOr<Command> c = Parse({"--download"});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->mode, Mode::kDownload);
  EXPECT_EQ(c->download.dir, "data/mnist");
  EXPECT_TRUE(c->download.mirrors.empty());
  c = Parse({"--download", "--data-dir", "d", "--mirror", "file:///a/", "--mirror", "file:///b/"});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->download.dir, "d");
  EXPECT_EQ(c->download.mirrors, (std::vector<std::string>{"file:///a/", "file:///b/"}));
  EXPECT_EQ(c->help_text.find("--mirror"), std::string::npos);  // hidden
}

TEST(FlagsTest, RunTakesRepeatedFeedsInOrderAndFetchNames) {
  StatusOr<Command> c = Parse({"--run", "g.pb", "--feed", "x=[1,2]", "--feed", "input=4.",
                               "--fetch", "y,z:0"});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->mode, Mode::kRun);
  EXPECT_EQ(c->run.model, "g.pb");
  ASSERT_EQ(c->run.feeds.size(), 2u);  // a comma inside a value does not split it
  EXPECT_EQ(c->run.feeds[0].name, "x");
  EXPECT_EQ(c->run.feeds[0].value, "[1,2]");
  EXPECT_EQ(c->run.feeds[1].name, "input");
  EXPECT_EQ(c->run.feeds[1].value, "4.");
  EXPECT_EQ(c->run.fetches, (std::vector<std::string>{"y", "z:0"}));
  ExpectRejected({"--run", "g.pb", "--feed", "x"}, "--feed \"x\": expected NAME=VALUE");
  ExpectRejected({"--run", "g.pb", "--feed", "=4"}, "--feed \"=4\": expected NAME=VALUE");
  ExpectRejected({"--run", "g.pb", "--fetch", "a", "--fetch", "b"}, "--fetch is given twice");
  ExpectRejected({"--predict", "m.pb", "--images", "i", "--feed", "x=1"},
                 "--feed is a --run flag, not for --predict");
}

TEST(FlagsTest, VersionIsAMode) {
  StatusOr<Command> c = Parse({"--version"});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->mode, Mode::kVersion);
  ExpectRejected({"--version", "--train"}, "one mode");
}

TEST(FlagsTest, FreezeTakesTheCheckpointOutputAndFormat) {
  StatusOr<Command> c = Parse({"--freeze", "--checkpoint", "ck/m-3", "--output", "m/f.pbtxt",
                               "--text", "--use-ema"});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->mode, Mode::kFreeze);
  EXPECT_EQ(c->freeze.source.checkpoint, "ck/m-3");
  EXPECT_TRUE(c->freeze.source.use_ema);
  EXPECT_EQ(c->freeze.output, "m/f.pbtxt");
  EXPECT_TRUE(c->freeze.text);
  c = Parse({"--freeze"});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->freeze.output, "model/frozen_model.pb");
  EXPECT_EQ(c->freeze.source.ckpt_dir, "ckpt");
  ExpectRejected({"--freeze", "--eval"}, "one mode");
}

TEST(FlagsTest, PredictTakesModelImagesAndTensorNames) {
  StatusOr<Command> c = Parse({"--predict", "m.pb", "--images", "i", "--input", "x",
                               "--output", "logits,probabilities", "--probabilities"});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->mode, Mode::kPredict);
  EXPECT_EQ(c->predict.model, "m.pb");
  EXPECT_EQ(c->predict.images, "i");
  EXPECT_EQ(c->predict.input, "x");
  EXPECT_EQ(c->predict.outputs, (std::vector<std::string>{"logits", "probabilities"}));
  EXPECT_TRUE(c->predict.probabilities);
  EXPECT_EQ(c->predict.batch_size, 0);  // the graph's fixed batch, else 1000
  c = Parse({"--predict", "m.pb", "--images", "i", "--batch-size", "64"});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->predict.batch_size, 64);
  EXPECT_EQ(Parse({"--predict", "m.pb", "--images", "i", "--labels", "l"})->predict.labels, "l");
  ExpectRejected({"--predict", "m.pb"}, "--images");
  ExpectRejected({"--predict", "m.pb", "--images", "i", "--batch-size", "0"}, "--batch-size 0");
}

TEST(FlagsTest, EvalTakesTheLogitsNodeOfATensorFlowGraph) {
  StatusOr<Command> c = Parse({"--eval", "--checkpoint", "tf/model.ckpt-1999", "--output",
                               "softmax_linear/add", "--input", "Placeholder"});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->eval.output, "softmax_linear/add");
  EXPECT_EQ(c->eval.input, "Placeholder");
  EXPECT_EQ(c->eval.source.checkpoint, "tf/model.ckpt-1999");
}

TEST(FlagsTest, PixelScaleTakesNumbersAndFractionsForEvalAndPredict) {
  StatusOr<Command> c = Parse({"--eval"});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->eval.pixel_scale, 1.0f / 255.0f);
  c = Parse({"--eval", "--pixel-scale", "1"});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->eval.pixel_scale, 1.0f);
  c = Parse({"--eval", "--pixel-scale", "1/255"});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->eval.pixel_scale, kDefaultPixelScale);  // the same float as the default
  c = Parse({"--predict", "m.pb", "--images", "i", "--pixel-scale", "0.5"});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->predict.pixel_scale, 0.5f);
  c = Parse({"--run", "m.pb", "--feed", "x=i.gz", "--pixel-scale", "1"});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->run.pixel_scale, 1.0f);
  c = Parse({"--predict", "m.pb", "--images", "i"});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->predict.pixel_scale, kDefaultPixelScale);
}

TEST(FlagsTest, PixelScaleMustBeAFinitePositiveNumber) {
  const std::vector<std::pair<const char*, const char*>> bad = {
      {"0", "--pixel-scale 0: out of range; must be a number > 0"},
      {"-1", "--pixel-scale -1: out of range; must be a number > 0"},
      {"nan", "--pixel-scale nan: not a finite float; must be a number > 0"},
      {"inf", "--pixel-scale inf: not a finite float"},
      {"1/0", "--pixel-scale 1/0: not a finite float"},
      {"0/0", "--pixel-scale 0/0: not a finite float"},
      {"x", "--pixel-scale \"x\": not a number; must be a number > 0, or a fraction A/B"},
      {"1/", "--pixel-scale \"1/\": not a number"},
      {"1/2/3", "--pixel-scale \"1/2/3\": not a number"},
  };
  for (const auto& [value, message] : bad) ExpectRejected({"--eval", "--pixel-scale", value}, message);
  ExpectRejected({"--train", "--pixel-scale", "1"}, "--pixel-scale is a --eval, --predict or --run flag, not for --train");
}

TEST(FlagsTest, ExportOnnxTakesTheFileAndTheCheckpoint) {
  StatusOr<Command> c = Parse({"--export-onnx", "out/model.onnx", "--checkpoint", "ck/m-2", "--use-ema"});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->mode, Mode::kExportOnnx);
  EXPECT_EQ(c->export_onnx.output, "out/model.onnx");
  EXPECT_EQ(c->export_onnx.source.checkpoint, "ck/m-2");
  EXPECT_TRUE(c->export_onnx.source.use_ema);
  ExpectRejected({"--export-onnx"}, "export-onnx");
}

TEST(FlagsTest, FreezeReadsOutputNodesAndMeta) {
  StatusOr<Command> c = Parse({"--freeze", "--checkpoint", "m/variables/variables", "--meta",
                               "m/saved_model.pb", "--output-nodes", "y,y2:0"});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->freeze.output_nodes, (std::vector<std::string>{"y", "y2:0"}));
  EXPECT_EQ(c->freeze.meta, "m/saved_model.pb");
  EXPECT_EQ(c->freeze.source.checkpoint, "m/variables/variables");
  EXPECT_TRUE(Parse({"--freeze"})->freeze.output_nodes.empty());  // our network, as before
  ExpectRejected({"--freeze", "--meta", "g.meta"}, "--meta g.meta: it names the graph --output-nodes freezes");
  ExpectRejected({"--freeze", "--output-nodes", ","}, "--output-nodes \",\": names no node");
  ExpectRejected({"--freeze", "--output-nodes", "y", "--var-map", "a=b"}, "--output-nodes and --var-map: give one");
  ExpectRejected({"--eval", "--output-nodes", "y"}, "--output-nodes is a --freeze flag, not for --eval");
}

}  // namespace
}  // namespace mnist
