// Runs bench/run.sh end to end on a tiny generated data set: the benchmark's
// scripts must keep working and print every row, the arithmetic limit and the
// time to accuracy included, and the tables of each fusion's gain and of where
// an epoch and an evaluation go. No figure is asserted (timings stay out of the
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
                              " MNIST_BENCH_RESULTS=" + (dir / "results") + " MNIST_BENCH_SAME_EPOCHS=0 MNIST_BENCH_TTA_EPOCHS=2 BUILD_DIR=" MNIST_BUILD_DIR
                              " timeout 900 bench/run.sh 1 > " + (dir / "log") + " 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0) << testing::ReadFileOrDie(dir / "log");
  const std::string log = testing::ReadFileOrDie(dir / "log");
  // Every row and table the report promises, each found in the log.
  for (const char* row : {
           "| training, samples/s", "| peak RSS while training",
           "| SGEMM 2048x2048x2048, GFLOP/s (the arithmetic limit) | ",
           // 300 images of 2 * (2 * (784*1024 + 1024*512 + 512*10) + 1024*512 + 512*10) FLOPs.
           "| matrix-product FLOPs (2mnk summed) | one 300-image epoch 1.9 GFLOP",
           "| training, % of the arithmetic limit (", "| evaluation, % of the arithmetic limit (",
           "| time to val_acc 0.88 (defaults, --validation-size 0, at most 2 epochs) | ",
           // Each fusion's gain, where an epoch and an evaluation go, Adam's bytes,
           // the products alone with their operands in cache and with it flushed.
           "| bias and ReLU as oneDNN post-ops of the forward's products | ",
           "| L2 term and EMA inside Adam's pass | ", "| backward | ", "| Adam's bytes: ",
           "| the same, with the caches flushed before each step ", "| gathering the 100 images | "}) {
    EXPECT_NE(log.find(row), std::string::npos) << row << "\n" << log;
  }
  int reports = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir / "results")) reports += e.path().extension() == ".md";
  EXPECT_EQ(reports, 1);
}

}  // namespace
}  // namespace mnist
