// Tests for app/process/openmp_wait.h through the `mnist` binary: it runs with the
// short spin count unless the user chose how OpenMP threads wait.
#include "app/process/openmp_wait.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <string>

#include "tests/support/test_util.h"

namespace mnist {
namespace {

// The OpenMP line of `env <env> mnist --version`.
std::string OpenMpLine(const std::string& env) {
  const std::string command = "env " + env + " " MNIST_BINARY " --version 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return "popen failed: " + command;
  std::string out;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) out.append(buf.data(), n);
  pclose(pipe);
  const size_t at = out.find("OpenMP ");
  return at == std::string::npos ? out : out.substr(at, out.find('\n', at) - at);
}

TEST(OpenMpWaitTest, RunsWithTheShortSpinCountWhenNothingIsSet) {
  EXPECT_NE(OpenMpLine("-u GOMP_SPINCOUNT -u OMP_WAIT_POLICY")
                .find(std::string("GOMP_SPINCOUNT=") + kOpenMpSpinCount),
            std::string::npos)
      << OpenMpLine("-u GOMP_SPINCOUNT -u OMP_WAIT_POLICY");
}

TEST(OpenMpWaitTest, KeepsTheUsersSpinCount) {
  const std::string line = OpenMpLine("-u OMP_WAIT_POLICY GOMP_SPINCOUNT=7");
  EXPECT_NE(line.find("GOMP_SPINCOUNT=7"), std::string::npos) << line;
}

TEST(OpenMpWaitTest, KeepsTheUsersWaitPolicyAndAddsNoSpinCount) {
  const std::string line = OpenMpLine("-u GOMP_SPINCOUNT OMP_WAIT_POLICY=passive");
  EXPECT_NE(line.find("OMP_WAIT_POLICY=passive"), std::string::npos) << line;
  EXPECT_EQ(line.find("GOMP_SPINCOUNT"), std::string::npos) << line;
}

}  // namespace
}  // namespace mnist
