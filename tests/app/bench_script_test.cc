// Runs bench/run.sh end to end on a tiny generated data set: the benchmark's
// scripts must keep working. No figure is asserted (timings stay out of the
// tests); skipped when PyTorch is not installed (./run.sh bench installs it).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "io/base/file.h"
#include "tests/support/test_util.h"

namespace mnist {
namespace {

TEST(BenchScriptTest, ProducesAReportOnATinyDataSet) {
  if (std::system("/usr/bin/python3 -c 'import torch, numpy' >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "python3-torch is not installed (./run.sh bench installs it)";
  }
  testing::TempDir dir;
  testing::WriteSyntheticMnist(dir / "data", 300, 100, /*gzip=*/true);
  const std::string command = "cd " MNIST_SOURCE_DIR " && MNIST_BENCH_DATA=" + (dir / "data") +
                              " MNIST_BENCH_RESULTS=" + (dir / "results") + " MNIST_BENCH_SAME_EPOCHS=0 BUILD_DIR=" MNIST_BUILD_DIR
                              " bench/run.sh 1 > " + (dir / "log") + " 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0) << testing::ReadFileOrDie(dir / "log");
  const std::string log = testing::ReadFileOrDie(dir / "log");
  EXPECT_NE(log.find("| training, samples/s"), std::string::npos) << log;
  EXPECT_NE(log.find("| peak RSS while training"), std::string::npos) << log;
  int reports = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir / "results")) reports += e.path().extension() == ".md";
  EXPECT_EQ(reports, 1);
}

}  // namespace
}  // namespace mnist
