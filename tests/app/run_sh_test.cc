// Tests for run.sh, run with MNIST_RUN_SH_DRY=1 (it prints the commands it
// would run instead of running them) from a directory outside the
// repository, with relative paths: they stay the caller's, only the build is
// in the repository; --data-dir means no --download; --help builds nothing.
#include <gtest/gtest.h>

#include <filesystem>

#include "tests/support/test_util.h"

namespace mnist {
namespace {

using testing::TempDir;

const std::string kSource = MNIST_SOURCE_DIR;
const std::string kMnist = kSource + "/build/mnist";

// Runs `run.sh <args>` dry in `dir`; what it printed goes to `output`.
int RunShDry(const std::string& dir, const std::string& args, std::string* output) {
  return testing::RunShell("cd '" + dir + "' && MNIST_RUN_SH_DRY=1 timeout 60 " + kSource +
                               "/run.sh " + args,
                           output);
}

bool HasLine(const std::string& output, const std::string& line) {
  return ("\n" + output).find("\n" + line + "\n") != std::string::npos;
}

// A line that starts with `start` (what follows depends on the machine and
// the environment: the core count, CI's MNIST_WERROR).
bool HasLineStarting(const std::string& output, const std::string& start) {
  return ("\n" + output).find("\n" + start) != std::string::npos;
}

TEST(RunShTest, RelativePathsFromAnotherDirectoryStayThere) {
  TempDir work;
  std::filesystem::create_directories(work / "myck");
  testing::WriteFileOrDie(work / "myck/checkpoint", "");  // an earlier run to continue
  std::string out;
  ASSERT_EQ(RunShDry(work.path(), "--ckpt-dir myck --data-dir d --epochs 1", &out), 0) << out;
  const std::string would = "run.sh: would run: ";
  EXPECT_TRUE(HasLineStarting(out, would + "cmake -S " + kSource + " -B " + kSource +
                                       "/build -DCMAKE_BUILD_TYPE=Release")) << out;
  EXPECT_TRUE(HasLineStarting(out, would + "cmake --build " + kSource + "/build -j ")) << out;
  EXPECT_TRUE(HasLine(out, "run.sh: myck/ holds a run: continuing it (--resume); remove myck/ to "
                           "start anew")) << out;
  EXPECT_TRUE(HasLine(out, would + kMnist + " --train --resume --ckpt-dir myck --data-dir d --epochs 1"))
      << out;
  EXPECT_TRUE(HasLine(out, would + kMnist + " --eval --ckpt-dir myck --data-dir d")) << out;
  // --data-dir names the user's data: nothing is fetched.
  EXPECT_FALSE(HasLine(out, would + kMnist + " --download")) << out;
}

TEST(RunShTest, WithoutDataDirItFetchesIntoTheCallersDirectory) {
  TempDir work;
  std::string out;
  ASSERT_EQ(RunShDry(work.path(), "--epochs 1", &out), 0) << out;
  const std::string would = "run.sh: would run: ";
  EXPECT_TRUE(HasLine(out, would + kMnist + " --download")) << out;
  EXPECT_TRUE(HasLine(out, would + kMnist + " --train --epochs 1")) << out;
  // No ./ckpt/checkpoint here: nothing to evaluate.
  EXPECT_FALSE(HasLine(out, would + kMnist + " --eval --ckpt-dir ckpt")) << out;
}

TEST(RunShTest, HelpPrintsUsageAndMnistFlagsWithoutBuilding) {
  TempDir work;
  for (const std::string args : {"--help", "--epochs 3 --help"}) {
    std::string out;
    ASSERT_EQ(RunShDry(work.path(), args, &out), 0) << args << "\n" << out;
    EXPECT_EQ(out.rfind("usage: ./run.sh [test [--sanitize]|crash [N]|build|bench [REPS]|--help]\n", 0),
              0u) << args << "\n" << out;
    EXPECT_TRUE(HasLine(out, "mnist's flags (./run.sh passes them to mnist --train):")) << out;
    EXPECT_NE(out.find("--epochs"), std::string::npos) << out;
    EXPECT_EQ(out.find("run.sh: would run: "), std::string::npos) << args << "\n" << out;
  }
}

// `run.sh test` run for real, but on a copy of run.sh (so its build directory
// is a scratch one) with stand-ins for cmake, npm and ctest first on PATH:
// the fake ctest prints `log` and exits with `ctest_code`; asked for one
// test's details (-R), it prints GTEST_SKIP's two lines.
int RunShTestWithFakeCtest(const std::string& log, int ctest_code, std::string* output) {
  TempDir work;
  std::filesystem::create_directories(work / "repo/tests");
  std::filesystem::copy_file(kSource + "/run.sh", work / "repo/run.sh");
  std::filesystem::copy_file(kSource + "/tests/report_skips.sh", work / "repo/tests/report_skips.sh");
  std::filesystem::create_directories(work / "bin");
  testing::WriteFileOrDie(work / "bin/cmake", "#!/bin/sh\nexit 0\n");
  testing::WriteFileOrDie(work / "bin/npm", "#!/bin/sh\nexit 0\n");
  testing::WriteFileOrDie(work / "log", log);
  testing::WriteFileOrDie(
      work / "bin/ctest",
      "#!/bin/sh\ncase \"$*\" in\n"
      "  *-R*) printf '7: tests/x.cc:9: Skipped\\n7: node not found\\n' ;;\n"
      "  *) cat '" + work / "log" + "'; exit " + std::to_string(ctest_code) + " ;;\nesac\n");
  for (const char* tool : {"cmake", "npm", "ctest"}) {
    std::filesystem::permissions(work / std::string("bin/") + tool,
                                 std::filesystem::perms::owner_all);
  }
  return testing::RunShell("PATH='" + work / "bin" + "':$PATH timeout 60 bash '" +
                               work / "repo/run.sh" + "' test",
                           output);
}

TEST(RunShTest, TestModeExitsWithCtestsCodeWhenNothingSkipped) {
  std::string out;
  EXPECT_EQ(RunShTestWithFakeCtest("100% tests passed, 0 tests failed out of 3\n", 0, &out), 0)
      << out;
  EXPECT_TRUE(HasLine(out, "run.sh: 0 test(s) skipped")) << out;
  EXPECT_EQ(RunShTestWithFakeCtest("67% tests passed, 1 tests failed out of 3\n", 8, &out), 8)
      << out;
  EXPECT_TRUE(HasLine(out, "run.sh: 0 test(s) skipped")) << out;
}

TEST(RunShTest, TestModeCountsSkippedTestsAndGivesEachReason) {
  std::string out;
  const std::string log =
      "100% tests passed, 0 tests failed out of 3\n"
      "The following tests did not run:\n"
      "\t  7 - OnnxExportTest.Runtime (Skipped)\n";
  EXPECT_EQ(RunShTestWithFakeCtest(log, 0, &out), 0) << out;
  EXPECT_TRUE(HasLine(out, "run.sh: 1 test(s) skipped")) << out;
  EXPECT_TRUE(HasLine(out, "run.sh:   OnnxExportTest.Runtime: node not found")) << out;
}

}  // namespace
}  // namespace mnist
