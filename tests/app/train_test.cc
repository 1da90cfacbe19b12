// End-to-end tests of `mnist --train` (app/modes/train.h): learning on a small
// generated data set, acc.txt, determinism, and bad input at the command line.
#include "app/modes/train.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <memory>
#include <regex>
#include <sstream>

#include "app/training/metrics_log.h"
#include "io/bundle/bundle_reader.h"
#include "io/base/file.h"
#include "tests/support/idx_writer.h"
#include "tests/support/test_util.h"

namespace mnist {
namespace {

using testing::RunMnist;
using testing::TempDir;

TEST(TrainTest, LearnsSyntheticDigitsAndWritesOneAccLinePerEpoch) {
  TempDir dir;
  testing::WriteSyntheticMnist(dir / "data", 2000, 500, /*gzip=*/true);
  std::string out;
  int rc = RunMnist("--train --validation-size 0 --epochs 3 --hidden 128,64 --data-dir " + (dir / "data") +
                        " --ckpt-dir " + (dir / "ckpt"),
                    &out);
  ASSERT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("2000 training and 500 test images of 28x28"), std::string::npos) << out;

  const std::string acc = testing::ReadFileOrDie(dir / "ckpt/acc.txt");
  std::istringstream lines(acc);
  std::string line;
  const std::regex well_formed(R"((\d+), val_acc: (0\.\d{4}|1\.0000))");
  int n = 0;
  double last = 0.0;
  while (std::getline(lines, line)) {
    std::smatch m;
    ASSERT_TRUE(std::regex_match(line, m, well_formed)) << "bad line: " << line;
    EXPECT_EQ(std::stoi(m[1]), ++n);
    last = std::stod(m[2]);
  }
  EXPECT_EQ(n, 3);
  EXPECT_GT(last, 0.95) << acc;
  EXPECT_NE(out.find("epoch:3, val_loss:"), std::string::npos) << out;
}

TEST(TrainTest, SameSeedGivesSameWeightsAndAccuracies) {
  TempDir dir;
  testing::WriteSyntheticMnist(dir / "data", 500, 200, false);
  const std::string args = "--train --validation-size 0 --epochs 2 --hidden 32 --threads 2 --data-dir " + (dir / "data");
  std::string a, b;
  ASSERT_EQ(RunMnist(args + " --ckpt-dir " + (dir / "a"), &a), 0) << a;
  ASSERT_EQ(RunMnist(args + " --ckpt-dir " + (dir / "b"), &b), 0) << b;
  EXPECT_EQ(testing::ReadFileOrDie(dir / "a/acc.txt"), testing::ReadFileOrDie(dir / "b/acc.txt"));
  EXPECT_EQ(testing::ReadFileOrDie(dir / "a/last.ckpt-10.data-00000-of-00001"),
            testing::ReadFileOrDie(dir / "b/last.ckpt-10.data-00000-of-00001"));
}

TEST(TrainTest, NewRunStartsAccFileAfresh) {
  TempDir dir;
  testing::WriteSyntheticMnist(dir / "data", 200, 100, false);
  const std::string args = "--train --validation-size 0 --hidden 16 --data-dir " + (dir / "data") + " --ckpt-dir " + (dir / "ckpt");
  std::string out;
  ASSERT_EQ(RunMnist(args + " --epochs 2", &out), 0) << out;
  ASSERT_EQ(RunMnist(args + " --epochs 1 --overwrite", &out), 0) << out;
  const std::string acc = testing::ReadFileOrDie(dir / "ckpt/acc.txt");
  EXPECT_EQ(std::count(acc.begin(), acc.end(), '\n'), 1) << acc;
}

// The acc.txt lines as (epoch, val_acc text) pairs.
std::vector<std::pair<int64_t, std::string>> AccLines(const std::string& path) {
  std::vector<std::pair<int64_t, std::string>> lines;
  std::istringstream in(testing::ReadFileOrDie(path));
  std::string line;
  while (std::getline(in, line)) {
    lines.emplace_back(std::stoll(line), line.substr(line.find("val_acc: ") + 9));
  }
  return lines;
}

// metrics.csv's rows as (epoch, val_acc text) pairs, formatted as acc.txt does.
std::vector<std::pair<int64_t, std::string>> MetricsLines(const std::vector<MetricsRow>& rows) {
  std::vector<std::pair<int64_t, std::string>> lines;
  char acc[32];
  for (const MetricsRow& row : rows) {
    std::snprintf(acc, sizeof(acc), "%.4f", row.val_acc);
    lines.emplace_back(row.epoch, acc);
  }
  return lines;
}

TEST(TrainTest, MetricsRowsMatchAccFileAndNameSavedAndDeletedCheckpoints) {
  TempDir dir;
  testing::WriteSyntheticMnist(dir / "data", 500, 200, false);
  std::string out;
  ASSERT_EQ(RunMnist("--train --validation-size 0 --epochs 4 --max-to-keep 1 --hidden 32 --threads 2 --data-dir " +
                         (dir / "data") + " --ckpt-dir " + (dir / "ckpt"), &out), 0) << out;
  StatusOr<std::vector<MetricsRow>> rows = ReadMetrics(dir / "ckpt/metrics.csv");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(MetricsLines(*rows), AccLines(dir / "ckpt/acc.txt"));
  std::vector<std::string> saved;
  for (const MetricsRow& row : *rows) {
    EXPECT_EQ(row.global_step, row.epoch * 5);  // 500 examples, batch 100
    EXPECT_GT(row.train_loss, 0.0);
    EXPECT_GT(row.samples_per_sec, 0.0);
    char printed[64];
    std::snprintf(printed, sizeof(printed), "epoch:%lld, val_loss:%.6f,",
                  static_cast<long long>(row.epoch), row.val_loss);
    EXPECT_NE(out.find(printed), std::string::npos) << printed << "\n" << out;
    // With --max-to-keep 1 each save deletes the one saved before it.
    if (!row.saved.empty()) {
      EXPECT_EQ(row.saved, "mnist.ckpt-" + std::to_string(row.epoch));
      EXPECT_EQ(row.deleted, saved.empty() ? std::vector<std::string>{}
                                           : std::vector<std::string>{saved.back()});
      saved.push_back(row.saved);
    } else {
      EXPECT_TRUE(row.deleted.empty());
    }
  }
  ASSERT_FALSE(saved.empty());
  EXPECT_TRUE(FileExists(dir / ("ckpt/" + saved.back() + ".index")));
  EXPECT_NE(out.find("wrote " + (dir / "ckpt/training.svg")), std::string::npos) << out;
  EXPECT_TRUE(FileExists(dir / "ckpt/training.svg"));
}

TEST(TrainTest, ResumedRunAppendsMetricsAfterDroppingUncheckpointedEpochs) {
  TempDir dir;
  testing::WriteSyntheticMnist(dir / "data", 300, 100, false);
  const std::string args = "--train --validation-size 0 --hidden 16 --threads 2 --data-dir " + (dir / "data") +
                           " --ckpt-dir " + (dir / "ckpt");
  std::string out;
  ASSERT_EQ(RunMnist(args + " --epochs 2", &out), 0) << out;
  // A run stopped after writing epoch 3's rows but before its resume checkpoint.
  const std::string stray = "3,9,1.000000,1.000000,0.1000,1.000,1.0,,,0.001\n";
  ASSERT_TRUE(AppendToFile(dir / "ckpt/metrics.csv", stray).ok());
  ASSERT_TRUE(AppendToFile(dir / "ckpt/acc.txt", "3, val_acc: 0.1000\n").ok());
  ASSERT_EQ(RunMnist(args + " --epochs 3 --resume", &out), 0) << out;
  StatusOr<std::vector<MetricsRow>> rows = ReadMetrics(dir / "ckpt/metrics.csv");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ(MetricsLines(*rows), AccLines(dir / "ckpt/acc.txt"));
  EXPECT_EQ(testing::ReadFileOrDie(dir / "ckpt/metrics.csv").find(stray), std::string::npos);
}

// Writes 300 training images into `dir`/data; returns the --train flags for
// them in batches of 100 (3 steps an epoch) into `dir`/ckpt.
std::string ThreeStepEpochs(const TempDir& dir) {
  testing::WriteSyntheticMnist(dir / "data", 300, 100, false);
  return "--train --validation-size 0 --hidden 16 --threads 1 --batch-size 100 --data-dir " + (dir / "data") +
         " --ckpt-dir " + (dir / "ckpt");
}

// Issue 11: a save that fails (here its .meta cannot be renamed into place)
// used to lose its epoch's metrics row, appended only after the saves.
TEST(TrainTest, FailedSaveStillLeavesItsEpochInBothLogs) {
  TempDir dir;
  const std::string args = ThreeStepEpochs(dir);
  std::string out;
  ASSERT_EQ(RunMnist(args + " --epochs 1", &out), 0) << out;
  std::filesystem::create_directory(dir / "ckpt/last.ckpt-6.meta");  // epoch 2's resume save
  EXPECT_EQ(RunMnist(args + " --epochs 3 --resume", &out), 1) << out;
  StatusOr<std::vector<MetricsRow>> rows = ReadMetrics(dir / "ckpt/metrics.csv");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 2u) << out;
  EXPECT_EQ(MetricsLines(*rows), AccLines(dir / "ckpt/acc.txt"));
  EXPECT_FALSE(FileExists(dir / "ckpt/last.ckpt-6.index"));  // the failed save left nothing
}

// Issue 11: rows lost (a kill, a failed write) are restored on --resume from
// what acc.txt and the checkpoint know; unknown values stay empty.
TEST(TrainTest, ResumeRestoresTheRowsItsCheckpointAndAccTxtKnowOf) {
  TempDir dir;
  const std::string args = ThreeStepEpochs(dir);
  std::string out;
  ASSERT_EQ(RunMnist(args + " --epochs 2", &out), 0) << out;
  const std::string acc = testing::ReadFileOrDie(dir / "ckpt/acc.txt");
  testing::WriteFileOrDie(dir / "ckpt/metrics.csv", std::string(kMetricsHeader) + "\n");
  testing::WriteFileOrDie(dir / "ckpt/acc.txt", acc.substr(0, acc.find('\n') + 1));  // epoch 1's line only
  ASSERT_EQ(RunMnist(args + " --epochs 3 --resume", &out), 0) << out;
  StatusOr<std::vector<MetricsRow>> rows = ReadMetrics(dir / "ckpt/metrics.csv");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 3u) << testing::ReadFileOrDie(dir / "ckpt/metrics.csv");
  EXPECT_EQ((*rows)[0].val_acc, std::stod(acc.substr(acc.find(": ") + 2)));
  EXPECT_EQ((*rows)[1].epoch, 2);
  EXPECT_EQ((*rows)[1].global_step, 6);  // what its checkpoint, last.ckpt-6, knows
  EXPECT_GT((*rows)[2].train_loss, 0.0);
  for (const MetricsRow& row : *rows) {
    if (std::isfinite(row.val_acc)) continue;
    EXPECT_EQ(row.epoch, 2);  // known only when mnist.ckpt-2 was the resume point
  }
  std::vector<std::pair<int64_t, std::string>> known;
  for (const auto& line : MetricsLines(*rows)) {
    if (line.second != "nan") known.push_back(line);
  }
  EXPECT_EQ(known, AccLines(dir / "ckpt/acc.txt"));
}

// Issue 11: files of checkpoints no state file lists (a killed save or
// prune) stayed forever, 16 MB each with the default network.
TEST(TrainTest, OpeningForTrainingRemovesOlderUnlistedCheckpointsInOneLine) {
  TempDir dir;
  const std::string args = ThreeStepEpochs(dir);
  std::string out;
  ASSERT_EQ(RunMnist(args + " --epochs 2", &out), 0) << out;
  const std::string ckpt = dir / "ckpt";
  const std::vector<std::string> orphans = {"last.ckpt-3.index", "last.ckpt-3.data-00000-of-00001",
                                            "last.ckpt-3.meta", "mnist.ckpt-0.meta"};
  const std::vector<std::string> others = {"last.ckpt-99.index", "last.ckpt-03.index", "notes.txt"};
  for (const std::string& name : orphans) testing::WriteFileOrDie(ckpt + "/" + name, "x");
  for (const std::string& name : others) testing::WriteFileOrDie(ckpt + "/" + name, "x");
  ASSERT_EQ(RunMnist(args + " --epochs 3 --resume", &out), 0) << out;
  EXPECT_NE(out.find("removed 4 files of unlisted checkpoints in " + ckpt +
                     ": mnist.ckpt-0 (.meta), last.ckpt-3 (.data-00000-of-00001 .index .meta)\n"),
            std::string::npos) << out;
  for (const std::string& name : orphans) EXPECT_FALSE(FileExists(ckpt + "/" + name)) << name;
  for (const std::string& name : others) EXPECT_TRUE(FileExists(ckpt + "/" + name)) << name;

  ASSERT_EQ(RunMnist(args + " --epochs 1 --overwrite", &out), 0) << out;
  EXPECT_NE(out.find("removed 1 file of unlisted checkpoints in " + ckpt + ": last.ckpt-99 (.index)"),
            std::string::npos) << out;
  EXPECT_FALSE(FileExists(ckpt + "/last.ckpt-99.index"));
  EXPECT_TRUE(FileExists(ckpt + "/last.ckpt-03.index"));
}

TEST(TrainTest, UsesLastPartialBatch) {
  // 150 examples at batch 100: two steps an epoch. Learning at all on the 50
  // leftovers is not checked here; the run must simply accept the size.
  TempDir dir;
  testing::WriteSyntheticMnist(dir / "data", 150, 50, false);
  std::string out;
  EXPECT_EQ(RunMnist("--train --validation-size 0 --epochs 1 --hidden 8 --data-dir " + (dir / "data") +
                         " --ckpt-dir " + (dir / "ckpt"), &out), 0) << out;
}

TEST(TrainCommandLineTest, DataDirWithoutFilesFailsNamingIt) {
  TempDir dir;
  std::string out;
  int rc = RunMnist("--train --validation-size 0 --data-dir " + dir.path() + " --ckpt-dir " + (dir / "ckpt"), &out);
  EXPECT_NE(rc, 0);
  EXPECT_NE(out.find(dir.path()), std::string::npos) << out;
  EXPECT_NE(out.find("train-images-idx3-ubyte"), std::string::npos) << out;
}

TEST(TrainCommandLineTest, CorruptImageFileFailsNamingFileAndProblem) {
  TempDir dir;
  testing::WriteSyntheticMnist(dir / "data", 20, 10, false);
  std::string bytes = testing::ReadFileOrDie(dir / "data/train-images-idx3-ubyte");
  bytes.resize(bytes.size() - 1);
  testing::WriteFileOrDie(dir / "data/train-images-idx3-ubyte", bytes);
  std::string out;
  int rc = RunMnist("--train --validation-size 0 --data-dir " + (dir / "data") + " --ckpt-dir " + (dir / "ckpt"), &out);
  EXPECT_EQ(rc, 1);
  EXPECT_NE(out.find("train-images-idx3-ubyte: header declares 20 x 28 x 28"), std::string::npos)
      << out;
}

TEST(TrainCommandLineTest, BadFlagsExitTwoWithTheFlagNamed) {
  std::string out;
  EXPECT_EQ(RunMnist("--train --epochs 0", &out), 2);
  EXPECT_NE(out.find("--epochs 0"), std::string::npos) << out;
  EXPECT_EQ(RunMnist("--train --unknown-flag", &out), 2);
  EXPECT_NE(out.find("unknown-flag"), std::string::npos) << out;
}

TEST(TrainCommandLineTest, ThreadsOutsideOneTo1024AreExitTwo) {
  std::string out;
  for (const char* threads : {"0", "65535", "40000", "1025", "-1"}) {
    EXPECT_EQ(RunMnist(std::string("--train --threads ") + threads, &out), 2) << threads << ": " << out;
    EXPECT_NE(out.find(std::string("--threads ") + threads + ": out of range; must be an integer from 1 to 1024"),
              std::string::npos) << out;
  }
  TempDir dir;
  testing::WriteSyntheticMnist(dir / "data", 200, 50, false);
  int run = 0;
  for (const char* threads : {" --threads 1", ""}) {  // the least, and not given (all cores)
    EXPECT_EQ(RunMnist("--train --epochs 1 --hidden 8 --validation-size 0 --data-dir " + (dir / "data") +
                           " --ckpt-dir " + (dir / ("ckpt" + std::to_string(++run))) + threads, &out),
              0) << threads << ": " << out;
  }
}

// The val_loss of the epoch line and the one --eval prints for the same
// checkpoint: equal when the test set validates, not when images are held out.
TEST(TrainTest, HeldOutImagesValidateAndTheTestSetIsLeftToEval) {
  TempDir dir;
  testing::WriteSyntheticMnist(dir / "data", 5200, 100, false);
  const std::regex epoch_loss(R"(epoch:1, val_loss:([0-9.]+))");
  const std::regex eval_loss(R"(\nval_loss:([0-9.]+))");
  for (const char* size : {"0", "5000", ""}) {
    SCOPED_TRACE(std::string("--validation-size ") + size);
    const std::string ckpt = dir / ("ckpt" + std::string(size));
    const std::string flag = *size ? std::string(" --validation-size ") + size : "";
    std::string out, eval;
    ASSERT_EQ(RunMnist("--train --epochs 1 --hidden 8 --threads 2 --data-dir " + (dir / "data") +
                           " --ckpt-dir " + ckpt + flag, &out), 0) << out;
    ASSERT_EQ(RunMnist("--eval --ckpt-dir " + ckpt, &eval), 0) << eval;
    EXPECT_NE(eval.find("data: " + (dir / "data") + ": test set, 100 images"), std::string::npos) << eval;
    std::smatch a, b;
    ASSERT_TRUE(std::regex_search(out, a, epoch_loss)) << out;
    ASSERT_TRUE(std::regex_search(eval, b, eval_loss)) << eval;
    if (std::string(size) == "0") {
      EXPECT_NE(out.find("5200 training and 100 test images of 28x28; the test set validates"),
                std::string::npos) << out;
      EXPECT_EQ(a[1].str(), b[1].str());
    } else {  // the default is 5000
      EXPECT_NE(out.find("5200 training and 100 test images of 28x28; the first 5000 training "
                         "images validate, the other 200 train"), std::string::npos) << out;
      EXPECT_NE(a[1].str(), b[1].str());
    }
  }
  std::string out;
  EXPECT_EQ(RunMnist("--train --epochs 1 --hidden 8 --validation-size 5200 --data-dir " + (dir / "data") +
                         " --ckpt-dir " + (dir / "big"), &out), 2) << out;
  EXPECT_NE(out.find("--validation-size 5200: cannot hold out 5200 images: the data set has only 5200 training images"),
            std::string::npos) << out;
}

// --lr 1e30 makes the loss NaN within the first batches (the same ones every
// time: the seed fixes them): exit 1 naming where, and no saved tensor holds
// anything that is not finite.
TEST(TrainTest, ANonFiniteLossStopsTrainingWithExitOneAndSavesNothingNonFinite) {
  TempDir dir;
  testing::WriteSyntheticMnist(dir / "data", 600, 100, false);
  std::string out;
  ASSERT_EQ(RunMnist("--train --epochs 3 --hidden 64 --lr 1e30 --threads 2 --validation-size 0 "
                     "--data-dir " + (dir / "data") + " --ckpt-dir " + (dir / "ckpt"), &out), 1) << out;
  EXPECT_TRUE(std::regex_search(out, std::regex(R"(training loss is (NaN|[+-]Inf) at epoch \d+, batch \d+ of 6)")))
      << out;
  EXPECT_NE(out.find("last good checkpoint: "), std::string::npos) << out;
  EXPECT_EQ(out.find("epoch:3"), std::string::npos) << out;
  StatusOr<std::vector<std::string>> names = ListDirectory(dir / "ckpt");
  ASSERT_TRUE(names.ok());
  for (const std::string& name : *names) {
    if (name.size() < 6 || name.substr(name.size() - 6) != ".index") continue;
    const std::string prefix = dir / ("ckpt/" + name.substr(0, name.size() - 6));
    StatusOr<std::unique_ptr<BundleReader>> reader = BundleReader::Open(prefix);
    ASSERT_TRUE(reader.ok()) << reader.status().ToString();
    for (const std::string& key : (*reader)->Keys()) {
      StatusOr<BundleReader::Entry> entry = (*reader)->Lookup(key);
      ASSERT_TRUE(entry.ok());
      if (entry->dtype != tensorflow::DT_FLOAT && entry->dtype != tensorflow::DT_DOUBLE) continue;
      StatusOr<std::string> bytes = (*reader)->ReadBytes(key);
      ASSERT_TRUE(bytes.ok());
      for (size_t i = 0; i < bytes->size(); i += entry->dtype == tensorflow::DT_FLOAT ? 4 : 8) {
        double value = 0;
        if (entry->dtype == tensorflow::DT_FLOAT) {
          float f;
          std::memcpy(&f, bytes->data() + i, 4);
          value = f;
        } else {
          std::memcpy(&value, bytes->data() + i, 8);
        }
        ASSERT_TRUE(std::isfinite(value)) << prefix << " " << key << " [" << i << "]";
      }
    }
  }
}

// `mnist --train --threads 1 <flags>` on 600 generated images, in 2 GiB of
// address space: room for mnist itself, far from what the networks and
// batches below would take, so they fail at once if they are allocated.
int TrainInTwoGiB(const TempDir& dir, const std::string& flags, std::string* out) {
  testing::WriteSyntheticMnist(dir / "data", 600, 100, false);
  return testing::RunMnistWithMemoryLimit("--train --validation-size 0 --threads 1 " + flags + " --data-dir " + (dir / "data") +
                                              " --ckpt-dir " + (dir / "ckpt"),
                                          2 * 1024 * 1024, out);
}

TEST(TrainTest, ABatchSizeAboveTheTrainingSetTakesTheWholeSetEachStep) {
  if (!testing::kMemoryLimitWorks) GTEST_SKIP() << "ulimit -v and AddressSanitizer do not mix";
  TempDir dir;
  std::string out;
  // 784 x 20000000 floats of batch would be 62.7 GB.
  ASSERT_EQ(TrainInTwoGiB(dir, "--epochs 2 --hidden 8 --batch-size 20000000", &out), 0) << out;
  EXPECT_NE(out.find("--batch-size 20000000 is more than the 600 training images: each step takes all of them"),
            std::string::npos) << out;
  StatusOr<std::vector<MetricsRow>> rows = ReadMetrics(dir / "ckpt/metrics.csv");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[1].global_step, 2);  // one step an epoch
}

TEST(TrainCommandLineTest, ANetworkTooBigForMemoryIsOneLineNamingItAndExitsOne) {
  if (!testing::kMemoryLimitWorks) GTEST_SKIP() << "ulimit -v and AddressSanitizer do not mix";
  TempDir dir;
  std::string out;
  // Its third kernel alone is 2^40 floats.
  EXPECT_EQ(TrainInTwoGiB(dir, "--epochs 1 --hidden 1,1048576,1048576", &out), 1) << out;
  EXPECT_NE(out.find("mnist: the network 784-1-1048576-1048576-10 needs 17592.4 GB for its "
                     "weights, gradients and Adam's slots; try a smaller --hidden\n"),
            std::string::npos) << out;
  EXPECT_EQ(out.find("terminate"), std::string::npos) << out;
}

TEST(TrainCommandLineTest, HelpShowsDefaults) {
  std::string out;
  EXPECT_EQ(RunMnist("--help", &out), 0);
  EXPECT_NE(out.find("(default: 100)"), std::string::npos) << out;
}

}  // namespace
}  // namespace mnist
