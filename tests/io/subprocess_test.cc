// Tests for io/base/subprocess.h: exit codes, captured stdout and stderr,
// arguments passed verbatim (no shell), a missing program, and a cap on
// how much output is taken.
#include "io/base/subprocess.h"

#include <gtest/gtest.h>

namespace mnist {
namespace {

TEST(SubprocessTest, CapturesStdoutStderrAndTheExitCode) {
  StatusOr<ProgramOutput> run =
      RunProgram({"sh", "-c", "echo out; echo err >&2; exit 3"}, 1000);
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_EQ(run->exit_code, 3);
  EXPECT_EQ(run->out, "out\n");
  EXPECT_EQ(run->err, "err\n");
}

TEST(SubprocessTest, PassesArgumentsVerbatimWithoutAShell) {
  StatusOr<ProgramOutput> run = RunProgram({"printf", "%s|", "a b", "$HOME", "*", "x;y"}, 1000);
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_EQ(run->exit_code, 0);
  EXPECT_EQ(run->out, "a b|$HOME|*|x;y|");
}

TEST(SubprocessTest, MissingProgramIsNotFoundNamingIt) {
  StatusOr<ProgramOutput> run = RunProgram({"no-such-program-mnist-test"}, 1000);
  ASSERT_FALSE(run.ok());
  EXPECT_EQ(run.status().code(), Status::Code::kNotFound);
  EXPECT_NE(run.status().message().find("no-such-program-mnist-test: cannot run"),
            std::string::npos) << run.status().message();
}

TEST(SubprocessTest, StopsAProgramThatPrintsTooMuch) {
  StatusOr<ProgramOutput> run = RunProgram({"yes"}, 100000);
  ASSERT_FALSE(run.ok());
  EXPECT_EQ(run.status().code(), Status::Code::kDataLoss);
  EXPECT_NE(run.status().message().find("more than 100000 bytes"), std::string::npos);
}

TEST(SubprocessTest, LargeOutputOnBothStreamsDoesNotDeadlock) {
  StatusOr<ProgramOutput> run = RunProgram(
      {"sh", "-c", "head -c 300000 /dev/zero; head -c 300000 /dev/zero >&2"}, 1 << 20);
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_EQ(run->out.size(), 300000u);
  EXPECT_EQ(run->err.size(), 300000u);
}

}  // namespace
}  // namespace mnist
