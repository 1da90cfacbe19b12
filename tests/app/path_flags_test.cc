// Tests for app/modes/path_flags.h as `mnist` uses it (issue 15): the file
// name says the format (--freeze .pbtxt / .pb, --plot .svg, --errors .png),
// every mode that writes a file creates its folder before it works, and a
// path flag given the wrong kind of thing is one plain sentence saying what
// it is and what to give instead. Messages are matched whole, to the end of
// their line, without the code label in front.
#include "app/modes/path_flags.h"

#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "io/base/file.h"
#include "io/proto/graph.pb.h"
#include "tests/support/test_util.h"

namespace mnist {
namespace {

using testing::TempDir;

// Runs `mnist <args>` with the suite's deadline, so a hang fails instead.
int RunLimited(const std::string& args, std::string* out) {
  return testing::RunMnistUnder(testing::RunLimits{}, args, out);
}

// True when `out` holds `sentence` as the end of one of its lines.
bool SaysLine(const std::string& out, const std::string& sentence) {
  return out.find(sentence + "\n") != std::string::npos;
}

// One tiny trained run for the whole suite: data in data/, checkpoints in ckpt/.
class PathFlagsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    testing::WriteSyntheticMnist(Data(), 200, 100, /*gzip=*/false);
    std::string out;
    ASSERT_EQ(RunLimited("--train --hidden 8 --epochs 1 --threads 2 --validation-size 0 --data-dir " +
                      Data() + " --ckpt-dir " + Ckpt(), &out), 0) << out;
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static std::string Data() { return *dir_ / "data"; }
  static std::string Ckpt() { return *dir_ / "ckpt"; }
  static std::string Quoted(const std::string& path) { return "'" + path + "'"; }

  static TempDir* dir_;
  TempDir scratch_;  // each test's own outputs
};

TempDir* PathFlagsTest::dir_ = nullptr;

TEST(HasExtensionTest, IgnoresCaseAndNeedsTheWholeSuffix) {
  EXPECT_TRUE(HasExtension("a/plot.svg", ".svg"));
  EXPECT_TRUE(HasExtension("PLOT.SVG", ".svg"));
  EXPECT_FALSE(HasExtension("plot.svgz", ".svg"));
  EXPECT_FALSE(HasExtension("svg", ".svg"));
  EXPECT_FALSE(HasExtension("m.pbtxt", ".pb"));
}

TEST_F(PathFlagsTest, FreezeWritesTextForPbtxtAndBinaryForPb) {
  std::string out;
  const std::string text = scratch_ / "m.pbtxt", binary = scratch_ / "m.pb";
  ASSERT_EQ(RunLimited("--freeze --ckpt-dir " + Ckpt() + " --output " + text, &out), 0) << out;
  EXPECT_NE(out.find("wrote " + text + " (text, "), std::string::npos) << out;
  tensorflow::GraphDef from_text;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(testing::ReadFileOrDie(text), &from_text));
  EXPECT_GT(from_text.node_size(), 0);

  ASSERT_EQ(RunLimited("--freeze --ckpt-dir " + Ckpt() + " --output " + binary, &out), 0) << out;
  EXPECT_NE(out.find("wrote " + binary + " (binary, "), std::string::npos) << out;
  tensorflow::GraphDef from_binary;
  EXPECT_TRUE(from_binary.ParseFromString(testing::ReadFileOrDie(binary)));
  EXPECT_EQ(from_binary.node_size(), from_text.node_size());
}

TEST_F(PathFlagsTest, FreezeTextIntoAPbNameIsExit2NamingTheClash) {
  std::string out;
  const std::string binary = scratch_ / "m.pb";
  EXPECT_EQ(RunLimited("--freeze --text --ckpt-dir " + Ckpt() + " --output " + binary, &out), 2);
  EXPECT_TRUE(SaysLine(out, binary + ": --text writes protobuf text, and a .pb name says binary; "
                            "give a name ending in .pbtxt, or leave out --text")) << out;
  EXPECT_FALSE(FileExists(binary));
}

TEST_F(PathFlagsTest, PlotIntoAnythingButSvgIsExit2NamingTheExtension) {
  std::string out;
  const std::string png = scratch_ / "plot.png";
  EXPECT_EQ(RunLimited("--plot --ckpt-dir " + Ckpt() + " --output " + png, &out), 2);
  EXPECT_TRUE(SaysLine(out, png + ": --output writes SVG; give a name ending in .svg")) << out;
  EXPECT_FALSE(FileExists(png));
}

TEST_F(PathFlagsTest, ErrorsIntoAnythingButPngIsExit2BeforeEvaluating) {
  std::string out;
  const std::string svg = scratch_ / "e.svg";
  EXPECT_EQ(RunLimited("--eval --ckpt-dir " + Ckpt() + " --data-dir " + Data() + " --errors " + svg, &out), 2);
  EXPECT_TRUE(SaysLine(out, svg + ": --errors writes PNG; give a name ending in .png")) << out;
  EXPECT_EQ(out.find("val_acc"), std::string::npos) << out;
  EXPECT_FALSE(FileExists(svg));
}

// --freeze, --export-onnx, --plot, --eval --errors and --train each create
// the folders of what they write, "new dir/sub" with a space included.
TEST_F(PathFlagsTest, EveryModeThatWritesAFileCreatesItsFolder) {
  const std::string flags = " --ckpt-dir " + Ckpt() + " --data-dir " + Data();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"--freeze --ckpt-dir " + Ckpt() + " --output ", "frozen/sub/m.pb"},
      {"--export-onnx ", "onnx/sub/m.onnx"},
      {"--plot --ckpt-dir " + Ckpt() + " --output ", "plot/sub/x.svg"},
      {"--eval" + flags + " --errors ", "errors/sub/e.png"},
  };
  for (const auto& [mode, name] : cases) {
    const std::string path = scratch_ / ("new dir/" + name);
    std::string args = mode + Quoted(path);
    if (mode == "--export-onnx ") args += " --ckpt-dir " + Ckpt();
    std::string out;
    EXPECT_EQ(RunLimited(args, &out), 0) << args << "\n" << out;
    EXPECT_TRUE(std::filesystem::is_regular_file(path)) << args << "\n" << out;
  }
  const std::string ckpt = scratch_ / "new dir/train/sub";
  std::string out;
  EXPECT_EQ(RunLimited("--train --hidden 8 --epochs 1 --threads 2 --validation-size 0 --data-dir " +
                    Data() + " --ckpt-dir " + Quoted(ckpt), &out), 0) << out;
  EXPECT_TRUE(std::filesystem::is_regular_file(ckpt + "/checkpoint")) << out;
}

// A folder for --errors that cannot be made fails at once, not after the
// whole evaluation has been printed.
TEST_F(PathFlagsTest, ErrorsThatCannotBeWrittenFailBeforeTheEvaluation) {
  testing::WriteFileOrDie(scratch_ / "plain", "a file, not a folder");
  std::string out;
  EXPECT_EQ(RunLimited("--eval --ckpt-dir " + Ckpt() + " --data-dir " + Data() + " --errors " +
                    (scratch_ / "plain/e.png"), &out), 1);
  EXPECT_NE(out.find(scratch_ / "plain"), std::string::npos) << out;
  EXPECT_EQ(out.find("val_acc"), std::string::npos) << out;
}

TEST_F(PathFlagsTest, OutputThatIsADirectorySaysItTakesTheFile) {
  std::string out;
  const std::string dir = scratch_.path();
  EXPECT_EQ(RunLimited("--freeze --ckpt-dir " + Ckpt() + " --output " + dir, &out), 2);
  EXPECT_TRUE(SaysLine(out, dir + " is a directory; --output takes the file to write")) << out;
  EXPECT_EQ(RunLimited("--export-onnx " + dir + " --ckpt-dir " + Ckpt(), &out), 2);
  EXPECT_TRUE(SaysLine(out, dir + " is a directory; --export-onnx takes the file to write")) << out;
}

TEST_F(PathFlagsTest, CkptDirThatIsAFileSaysItTakesAFolder) {
  const std::string file = scratch_ / "FILE";
  testing::WriteFileOrDie(file, "x");
  for (const std::string& mode : {"--train --epochs 1 --data-dir " + Data(), std::string("--eval"),
                                  "--freeze --output " + (scratch_ / "m.pb"), std::string("--plot")}) {
    std::string out;
    EXPECT_EQ(RunLimited(mode + " --ckpt-dir " + file, &out), 2) << mode;
    EXPECT_TRUE(SaysLine(out, file + " is a file; --ckpt-dir takes a folder")) << mode << "\n" << out;
  }
}

TEST_F(PathFlagsTest, DataDirThatIsAFileSaysItTakesTheFolderOfTheIdxFiles) {
  const std::string file = scratch_ / "train-images-idx3-ubyte.gz";
  testing::WriteFileOrDie(file, "x");
  for (const std::string& mode :
       {"--train --epochs 1 --ckpt-dir " + (scratch_ / "ck"), "--eval --ckpt-dir " + Ckpt()}) {
    std::string out;
    EXPECT_EQ(RunLimited(mode + " --data-dir " + file, &out), 2) << mode;
    EXPECT_TRUE(SaysLine(out, file + " is a file; --data-dir takes the folder that holds the four "
                              "IDX files")) << mode << "\n" << out;
  }
}

TEST_F(PathFlagsTest, PredictOnAMetaGraphSaysWhatItIsAndWhatToUse) {
  std::string out;
  const std::string meta = Ckpt() + "/mnist.ckpt-1.meta";
  ASSERT_TRUE(FileExists(meta));
  EXPECT_EQ(RunLimited("--predict " + meta + " --images " + Data() + "/t10k-images-idx3-ubyte", &out), 2);
  EXPECT_TRUE(SaysLine(out, meta + " is a MetaGraphDef (a checkpoint's graph); use --eval "
                            "--checkpoint PREFIX or --freeze")) << out;
}

// The message names the folder the user gave, not the state file inside it.
TEST_F(PathFlagsTest, EvalOfAFolderWithoutCheckpointsNamesTheFolder) {
  std::string out;
  const std::string empty = scratch_.path();
  EXPECT_EQ(RunLimited("--eval --ckpt-dir " + empty + " --data-dir " + Data(), &out), 1);
  EXPECT_TRUE(SaysLine(out, empty + " holds no checkpoint (no checkpoint file there); train first "
                             "with mnist --train")) << out;
  const std::string missing = scratch_ / "missing";
  EXPECT_EQ(RunLimited("--eval --ckpt-dir " + missing + " --data-dir " + Data(), &out), 1);
  EXPECT_TRUE(SaysLine(out, missing + ": no such folder; train first with mnist --train")) << out;
}

}  // namespace
}  // namespace mnist
