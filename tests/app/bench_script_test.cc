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
  EXPECT_NE(log.find("| training, samples/s"), std::string::npos) << log;
  EXPECT_NE(log.find("| peak RSS while training"), std::string::npos) << log;
  EXPECT_NE(log.find("| SGEMM 2048x2048x2048, GFLOP/s (the arithmetic limit) | "), std::string::npos) << log;
  // 300 images of 2 * (2 * (784*1024 + 1024*512 + 512*10) + 1024*512 + 512*10) FLOPs.
  EXPECT_NE(log.find("| matrix-product FLOPs (2mnk summed) | one 300-image epoch 1.9 GFLOP"), std::string::npos) << log;
  EXPECT_NE(log.find("| training, % of the arithmetic limit ("), std::string::npos) << log;
  EXPECT_NE(log.find("| evaluation, % of the arithmetic limit ("), std::string::npos) << log;
  EXPECT_NE(log.find("| time to val_acc 0.88 (defaults, --validation-size 0, at most 2 epochs) | "),
            std::string::npos) << log;
  // Each fusion's gain, where an epoch and an evaluation go, Adam's bytes,
  // the products alone with their operands in cache and with it flushed.
  EXPECT_NE(log.find("| bias and ReLU as oneDNN post-ops of the forward's products | "), std::string::npos) << log;
  EXPECT_NE(log.find("| L2 term and EMA inside Adam's pass | "), std::string::npos) << log;
  EXPECT_NE(log.find("| backward | "), std::string::npos) << log;
  EXPECT_NE(log.find("| Adam's bytes: "), std::string::npos) << log;
  EXPECT_NE(log.find("| the same, with the caches flushed before each step "), std::string::npos) << log;
  EXPECT_NE(log.find("| gathering the 100 images | "), std::string::npos) << log;
  int reports = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir / "results")) reports += e.path().extension() == ".md";
  EXPECT_EQ(reports, 1);
}

}  // namespace
}  // namespace mnist
