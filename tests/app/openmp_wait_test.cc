// Tests for app/process/openmp_wait.h: only the modes that compute run again
// with the short spin count, unless the user chose how OpenMP threads wait,
// and the second run gives the programs it starts the user's environment.
// libgomp itself says what it read: OMP_DISPLAY_ENV=verbose makes it print
// its settings, one block per time the program is loaded.
#include "app/process/openmp_wait.h"

#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/test_util.h"

namespace mnist {
namespace {

using testing::RunLimits;
using testing::RunMnistUnder;
using testing::TempDir;

constexpr char kBlock[] = "OPENMP DISPLAY ENVIRONMENT BEGIN";

class OpenMpWaitTest : public ::testing::Test {
 protected:
  // The variables the tests set, put back as they were afterwards.
  OpenMpWaitTest() {
    for (const char* name : kNames) {
      const char* value = std::getenv(name);
      saved_.push_back(value ? std::optional<std::string>(value) : std::nullopt);
      unsetenv(name);
    }
    setenv("OMP_DISPLAY_ENV", "verbose", 1);
  }
  ~OpenMpWaitTest() override {
    for (size_t i = 0; i < saved_.size(); ++i) {
      if (saved_[i]) {
        setenv(kNames[i], saved_[i]->c_str(), 1);
      } else {
        unsetenv(kNames[i]);
      }
    }
  }

  // What libgomp printed running `mnist <args>`: one block per load.
  std::vector<std::string> Blocks(const std::string& args) {
    std::string output;
    RunLimits limits;
    limits.timeout_seconds = 60;  // a run that kept starting itself again would hang
    RunMnistUnder(limits, args, &output);
    std::vector<std::string> blocks;
    for (size_t at = output.find(kBlock); at != std::string::npos; at = output.find(kBlock, at + 1)) {
      blocks.push_back(output.substr(at, output.find("OPENMP DISPLAY ENVIRONMENT END", at) - at));
    }
    EXPECT_FALSE(blocks.empty()) << output;
    return blocks;
  }

  static constexpr const char* kNames[] = {"GOMP_SPINCOUNT", "OMP_WAIT_POLICY", "OMP_DISPLAY_ENV",
                                           kOpenMpRerunVariable};
  std::vector<std::optional<std::string>> saved_;
};

TEST_F(OpenMpWaitTest, ModesThatDoNotComputeRunOnce) {
  TempDir dir;
  for (const std::string& args : {std::string("--version"), std::string("--help"),
                                  "--inspect " + (dir / "none"), "--plot --ckpt-dir " + dir.path()}) {
    EXPECT_EQ(Blocks(args).size(), 1u) << args;
  }
}

TEST_F(OpenMpWaitTest, ModesThatComputeRunAgainWithTheShortSpinCount) {
  TempDir dir;  // holds no checkpoint: the run fails, after starting again
  const std::vector<std::string> blocks = Blocks("--eval --ckpt-dir " + dir.path());
  ASSERT_EQ(blocks.size(), 2u);
  EXPECT_NE(blocks[1].find(std::string("GOMP_SPINCOUNT = '") + kOpenMpSpinCount + "'"),
            std::string::npos) << blocks[1];
}

TEST_F(OpenMpWaitTest, ModesThatComputeKeepTheUsersChoice) {
  TempDir dir;
  setenv("GOMP_SPINCOUNT", "7", 1);
  std::vector<std::string> blocks = Blocks("--eval --ckpt-dir " + dir.path());
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_NE(blocks[0].find("GOMP_SPINCOUNT = '7'"), std::string::npos) << blocks[0];
  unsetenv("GOMP_SPINCOUNT");
  setenv("OMP_WAIT_POLICY", "passive", 1);
  blocks = Blocks("--eval --ckpt-dir " + dir.path());
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_NE(blocks[0].find("OMP_WAIT_POLICY = 'PASSIVE'"), std::string::npos) << blocks[0];
}

// In a child process (it changes its environment): the second run, then a
// program it starts, which exits 42 when it sees neither variable.
TEST_F(OpenMpWaitTest, TheSecondRunGivesTheProgramsItStartsTheUsersEnvironment) {
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    alarm(30);
    setenv("GOMP_SPINCOUNT", kOpenMpSpinCount, 1);
    setenv(kOpenMpRerunVariable, "1", 1);
    // Should it run this test program again, these arguments make that run no test and exit 0.
    char name[] = "openmp_wait_test", filter[] = "--gtest_filter=None.None";
    char* argv[] = {name, filter, nullptr};
    RunAgainWithShortOpenMpSpins(argv);
    execl("/bin/sh", "sh", "-c", "test -z \"${GOMP_SPINCOUNT+x}${MNIST_OPENMP_RERUN+x}\" && exit 42",
          static_cast<char*>(nullptr));
    _exit(1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 42) << "the program started saw GOMP_SPINCOUNT or " << kOpenMpRerunVariable;
}

}  // namespace
}  // namespace mnist
