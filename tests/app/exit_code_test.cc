// Tests for app/cli/exit_code.h: the README's exit-code table is kExitCodes,
// each Status code maps by the one rule, and the values the rule calls bad
// (issue 13, issue 15) exit 2 naming their flag.
#include "app/cli/exit_code.h"

#include <gtest/gtest.h>

#include <csignal>
#include <sstream>
#include <vector>

#include "tests/support/test_util.h"

namespace mnist {
namespace {

using testing::RunMnist;
using testing::TempDir;

// The rows "| code | meaning |" of README.md's "## Exit codes" table.
std::vector<std::pair<std::string, std::string>> ReadmeExitCodeRows() {
  std::istringstream readme(testing::ReadFileOrDie(MNIST_SOURCE_DIR "/README.md"));
  std::vector<std::pair<std::string, std::string>> rows;
  std::string line;
  bool in_section = false;
  while (std::getline(readme, line)) {
    if (line.rfind("## ", 0) == 0) {
      in_section = line == "## Exit codes";
      continue;
    }
    if (!in_section || line.rfind("| ", 0) != 0 || line == "| Code | Meaning |") continue;
    const size_t bar = line.find(" | ", 2);
    if (bar == std::string::npos || line.size() < bar + 5) continue;
    rows.emplace_back(line.substr(2, bar - 2), line.substr(bar + 3, line.size() - bar - 5));
  }
  return rows;
}

TEST(ExitCodeTest, ReadmeTableIsTheCodesArrayRowForRow) {
  const std::vector<std::pair<std::string, std::string>> rows = ReadmeExitCodeRows();
  ASSERT_EQ(rows.size(), std::size(kExitCodes));
  for (size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i].first, std::to_string(kExitCodes[i].code)) << "row " << i;
    EXPECT_EQ(rows[i].second, kExitCodes[i].meaning) << "row " << i;
  }
}

TEST(ExitCodeTest, EachStatusCodeMapsByTheOneRule) {
  EXPECT_EQ(ExitCode(Status::Ok()), 0);
  EXPECT_EQ(ExitCode(Status::InvalidArgument("--epochs 0: out of range")), 2);
  for (const Status& status : {Status::NotFound("f"), Status::DataLoss("f"), Status::IOError("f"),
                               Status::FailedPrecondition("f"), Status::OutOfMemory("f"),
                               Status::Cancelled("f")}) {
    EXPECT_EQ(ExitCode(status), 1) << status.ToString();
  }
  EXPECT_EQ(ExitCode(Status::Ok(), SIGINT), 130);
  EXPECT_EQ(ExitCode(Status::Ok(), SIGTERM), 143);
  // Every code the rule gives is a row of the table.
  for (int code : {0, 1, 2, 130, 143}) {
    bool listed = false;
    for (const ExitCodeMeaning& row : kExitCodes) listed = listed || row.code == code;
    EXPECT_TRUE(listed) << code;
  }
}

// Runs `mnist <args>`; expects exit 2 and `message` in the one line printed.
void ExpectExitTwo(const std::string& args, const std::string& message) {
  std::string out;
  EXPECT_EQ(RunMnist(args, &out), 2) << args << "\n" << out;
  EXPECT_NE(out.find("mnist: " + message), std::string::npos) << args << "\n" << out;
}

TEST(ExitCodeTest, BareMnistAndFlagsWithoutAModePrintTheOneLineUsage) {
  const std::string usage =
      "mnist: usage: mnist --train|--eval|--inspect PREFIX|--freeze|--predict MODEL|--run GRAPH|"
      "--export-onnx FILE|--plot|--download|--version [options]; mnist --help lists the options\n";
  for (const char* args : {"", "--epochs 3"}) {
    std::string out;
    EXPECT_EQ(RunMnist(args, &out), 2) << args;
    EXPECT_EQ(out, usage) << args;
  }
  std::string help;
  EXPECT_EQ(RunMnist("--help", &help), 0);
  EXPECT_NE(help.find("Train options:"), std::string::npos) << help;
}

TEST(ExitCodeTest, FlagsThatWouldBeIgnoredExitTwoNamingTheFlag) {
  ExpectExitTwo("--predict m.pb --images i --labels l --probabilities",
                "--probabilities and --labels: give one");
  ExpectExitTwo("--eval --max 5", "--max 5: it limits the --errors grid");
  ExpectExitTwo("--eval --ckpt-dir a --checkpoint x", "--checkpoint and --ckpt-dir: give one");
  ExpectExitTwo("--train --epochs 3 --epochs 5", "--epochs is given twice (\"3\", then \"5\")");
}

// One small trained run, its frozen graph, and the values that name nothing in them.
class ExitCodeOfValuesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    testing::WriteSyntheticMnist(*dir_ / "data", 200, 50, false);
    std::string out;
    ASSERT_EQ(RunMnist("--train --epochs 1 --hidden 8 --threads 2 --validation-size 0 --data-dir " +
                           (*dir_ / "data") + " --ckpt-dir " + Ckpt(), &out), 0) << out;
    ASSERT_EQ(RunMnist("--freeze --ckpt-dir " + Ckpt() + " --output " + Model(), &out), 0) << out;
  }
  static void TearDownTestSuite() { delete dir_; }
  static std::string Ckpt() { return *dir_ / "ckpt"; }
  static std::string Model() { return *dir_ / "m.pb"; }
  static std::string Predict() {
    return "--predict " + Model() + " --images " + (*dir_ / "data/t10k-images-idx3-ubyte");
  }
  static TempDir* dir_;
};
TempDir* ExitCodeOfValuesTest::dir_ = nullptr;

TEST_F(ExitCodeOfValuesTest, ADirectoryGivenAsACheckpointPrefixIsExitTwo) {
  for (const char* mode : {"--eval", "--freeze", "--export-onnx x.onnx"}) {
    ExpectExitTwo(std::string(mode) + " --checkpoint " + Ckpt(),
                  "--checkpoint " + Ckpt() + " is a directory, not a checkpoint prefix: use --ckpt-dir " +
                      Ckpt() + " for its latest checkpoint, or give the prefix of one, e.g. --checkpoint " +
                      Ckpt() + "/mnist.ckpt-1");
  }
  ExpectExitTwo("--eval --checkpoint " + Ckpt() + "/mnist.ckpt-9",
                "--checkpoint " + Ckpt() + "/mnist.ckpt-9.index: no such file");
  ExpectExitTwo("--inspect " + Ckpt(), "--inspect " + Ckpt() + " is a directory");
}

TEST_F(ExitCodeOfValuesTest, ATensorOrNodeThatIsNotThereIsExitTwo) {
  ExpectExitTwo("--inspect " + Ckpt() + "/mnist.ckpt-1 --tensor nope",
                "--tensor nope: " + Ckpt() + "/mnist.ckpt-1: no tensor 'nope'");
  ExpectExitTwo(Predict() + " --input logits", "--input logits");
  ExpectExitTwo(Predict() + " --input nowhere", "--input nowhere");
  ExpectExitTwo(Predict() + " --output bogus", "--output bogus");
  ExpectExitTwo("--eval --ckpt-dir " + Ckpt() + " --output bogus --data-dir " + (*dir_ / "data"),
                "--output bogus");
}

}  // namespace
}  // namespace mnist
