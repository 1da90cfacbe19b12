// Tests of app/process/address_space.h: under an address-space limit too small for
// OpenBLAS's buffers `mnist` stops at once with one line saying the limit
// and what the run needs, exit 1; it used to spin at 100% CPU for ever in
// OpenBLAS's blas_memory_alloc (issue 11). Every run has a deadline, so a
// hang fails the test instead of hanging it.
#include "app/process/address_space.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include "tests/support/test_util.h"

namespace mnist {
namespace {

using testing::RunLimits;
using testing::TempDir;

class AddressSpaceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!testing::kMemoryLimitWorks) GTEST_SKIP() << "ulimit -v and AddressSanitizer do not mix";
#ifndef EIGEN_USE_BLAS
    GTEST_SKIP() << "built without OpenBLAS";
#endif
    testing::WriteSyntheticMnist(dir_ / "data", 200, 50, false);
  }
  // `mnist --train <flags>` with the address space limited to `mib` MiB.
  int Train(int64_t mib, const std::string& flags, std::string* out) {
    RunLimits limits;
    limits.memory_kib = mib * 1024;
    limits.timeout_seconds = 60;
    return testing::RunMnistUnder(limits, "--train --epochs 1 --hidden 16 --validation-size 0 " + flags + " --data-dir " +
                                              (dir_ / "data") + " --ckpt-dir " + (dir_ / ("ckpt" + std::to_string(mib))), out);
  }
  TempDir dir_;
};

TEST_F(AddressSpaceTest, ALimitTooSmallForOpenBlasIsOneLineAndExitOneNotAHang) {
  // OpenBLAS needs 128 MiB for each thread and the caller: even one thread
  // needs more than 300 MiB with the program itself. Below about 150 MiB the
  // dynamic loader cannot map the program's libraries (oneDNN's alone is
  // 40 MB) and fails before main (exit 127), which no program can help.
  for (int64_t mib : {150, 200, 300}) {
    SCOPED_TRACE(std::to_string(mib) + " MiB");
    std::string out;
    EXPECT_EQ(Train(mib, "", &out), 1) << out;
    EXPECT_NE(out.find("mnist: the address-space limit (ulimit -v) is " + std::to_string(mib) +
                       " MiB; this run needs about "), std::string::npos) << out;
  }
}

TEST_F(AddressSpaceTest, EveryLimitFromOneHundredFiftyToSevenHundredMiBTrainsOrSaysWhyAtOnce) {
  // From where the libraries load (above) up to where a run fits: each
  // either trains or says why not, at once.
  for (int64_t mib = 150; mib <= 700; mib += 50) {
    SCOPED_TRACE(std::to_string(mib) + " MiB");
    std::string out;
    const int code = Train(mib, "", &out);
    if (code == 0) continue;
    EXPECT_EQ(code, 1) << out;
    EXPECT_NE(out.find("mnist: "), std::string::npos) << out;
  }
}

TEST_F(AddressSpaceTest, MoreThreadsThanOpenBlasStartedWithAreCheckedToo) {
  // --threads 64 needs 64 buffers of 128 MiB: 8 GiB, never in 1.5 GiB, however
  // many threads OpenBLAS started with.
  std::string out;
  EXPECT_EQ(Train(1536, "--threads 64", &out), 1) << out;
  EXPECT_NE(out.find("mnist: the address-space limit (ulimit -v) is 1536 MiB; this run needs about "),
            std::string::npos) << out;
}

TEST(OpenBlasThreadsAtStartTest, FollowsOpenBlasEnvironmentOrder) {
  const long cpus = sysconf(_SC_NPROCESSORS_CONF);
  char openblas[] = "OPENBLAS_NUM_THREADS=1";
  char omp[] = "OMP_NUM_THREADS=2";
  char* both[] = {omp, openblas, nullptr};
  EXPECT_EQ(OpenBlasThreadsAtStart(both), 1);
  char* only_omp[] = {omp, nullptr};
  EXPECT_EQ(OpenBlasThreadsAtStart(only_omp), cpus >= 2 ? 2 : 1);
  char* none[] = {nullptr};
  EXPECT_GE(OpenBlasThreadsAtStart(none), 1);
}

}  // namespace
}  // namespace mnist
