// Tests for data/dataset/dataset.h: finding the four files and cross-checking splits.
#include "data/dataset/dataset.h"

#include <gtest/gtest.h>

#include "io/base/file.h"
#include "io/base/gzip.h"
#include "tests/support/idx_writer.h"
#include "tests/support/test_util.h"

namespace mnist {
namespace {

using testing::TempDir;

TEST(DatasetTest, LoadsRawAndGzipNames) {
  TempDir dir;
  testing::WriteSyntheticMnist(dir.path(), 30, 20, /*gzip=*/true);
  // Replace one gzip file by its raw twin: both spellings must be found.
  std::string labels;
  ASSERT_TRUE(ReadFileMaybeGzip(dir / "t10k-labels-idx1-ubyte.gz", &labels).ok());
  testing::WriteFileOrDie(dir / "t10k-labels-idx1-ubyte", labels);
  ASSERT_TRUE(RemoveFileIfExists(dir / "t10k-labels-idx1-ubyte.gz").ok());
  StatusOr<Dataset> d = LoadDataset(dir.path(), 784);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->train.size(), 30u);
  EXPECT_EQ(d->test.size(), 20u);
  EXPECT_TRUE(HasMnistFiles(dir.path()));
}

// Both a raw file and its .gz: the raw one is read, and a note names the pair.
TEST(DatasetTest, BothRawAndGzipAreNamedAndTheRawOneIsRead) {
  TempDir dir;
  testing::WriteSyntheticMnist(dir.path(), 30, 20, /*gzip=*/true);
  const std::vector<std::string> stems = {kTrainImagesStem, kTrainLabelsStem, kTestImagesStem,
                                          kTestLabelsStem};
  EXPECT_EQ(BothCopiesNote(dir.path(), stems), "");
  std::string labels;
  ASSERT_TRUE(ReadFileMaybeGzip(dir / "t10k-labels-idx1-ubyte.gz", &labels).ok());
  testing::WriteFileOrDie(dir / "t10k-labels-idx1-ubyte", labels);
  EXPECT_EQ(BothCopiesNote(dir.path(), stems),
            "note: " + dir.path() +
                " holds t10k-labels-idx1-ubyte both raw and as .gz: reading the raw file");
  std::string images;
  ASSERT_TRUE(ReadFileMaybeGzip(dir / "train-images-idx3-ubyte.gz", &images).ok());
  testing::WriteFileOrDie(dir / "train-images-idx3-ubyte", images);
  EXPECT_EQ(BothCopiesNote(dir.path(), stems),
            "note: " + dir.path() + " holds train-images-idx3-ubyte and t10k-labels-idx1-ubyte "
                                    "both raw and as .gz: reading the raw files");
  EXPECT_EQ(*FindIdxFile(dir.path(), kTestLabelsStem), dir / "t10k-labels-idx1-ubyte");

  // `mnist --train` says it right after its data line.
  std::string out;
  ASSERT_EQ(testing::RunMnist("--train --validation-size 0 --epochs 1 --hidden 8 --data-dir " +
                                  dir.path() + " --ckpt-dir " + (dir / "ckpt"),
                              &out),
            0) << out;
  EXPECT_NE(out.find(" training and 20 test images of 28x28; the test set validates "
                     "(--validation-size 0)\nnote: " + dir.path() +
                     " holds train-images-idx3-ubyte and t10k-labels-idx1-ubyte both raw and as "
                     ".gz: reading the raw files\n"),
            std::string::npos) << out;
}

TEST(DatasetTest, MissingFileNamesBothCandidates) {
  TempDir dir;
  StatusOr<std::string> f = FindIdxFile(dir.path(), kTrainImagesStem);
  EXPECT_EQ(f.status().code(), Status::Code::kNotFound);
  EXPECT_NE(f.status().message().find("train-images-idx3-ubyte.gz"), std::string::npos);
}

TEST(DatasetTest, MissingDirectoryIsNotFound) {
  StatusOr<Dataset> d = LoadDataset("/nonexistent/data", 784);
  EXPECT_EQ(d.status().code(), Status::Code::kNotFound);
  EXPECT_NE(d.status().message().find("/nonexistent/data"), std::string::npos);
}

TEST(DatasetTest, RejectsImageAndLabelCountMismatch) {
  TempDir dir;
  testing::WriteSyntheticMnist(dir.path(), 30, 20, false);
  ASSERT_TRUE(WriteIdxFile(dir / "train-labels-idx1-ubyte", EncodeIdxLabels(std::string(29, 1)), false).ok());
  StatusOr<Dataset> d = LoadDataset(dir.path(), 784);
  EXPECT_EQ(d.status().code(), Status::Code::kDataLoss);
  EXPECT_NE(d.status().message().find("30 images but"), std::string::npos) << d.status().message();
}

TEST(DatasetTest, RejectsImagesOfWrongSizeForNetwork) {
  TempDir dir;
  testing::WriteSyntheticMnist(dir.path(), 4, 4, false);
  ASSERT_TRUE(WriteIdxFile(dir / "t10k-images-idx3-ubyte",
                           EncodeIdxImages(4, 20, 20, std::string(4 * 400, 0)), false).ok());
  StatusOr<Dataset> d = LoadDataset(dir.path(), 784);
  EXPECT_EQ(d.status().code(), Status::Code::kDataLoss);
  EXPECT_NE(d.status().message().find("20 x 20 = 400 pixels, but the network takes 784"),
            std::string::npos) << d.status().message();
}

TEST(DatasetTest, RejectsTrainAndTestDimensionsThatDiffer) {
  TempDir dir;
  testing::WriteSyntheticMnist(dir.path(), 4, 4, false);
  ASSERT_TRUE(WriteIdxFile(dir / "t10k-images-idx3-ubyte",
                           EncodeIdxImages(4, 14, 56, std::string(4 * 784, 0)), false).ok());
  StatusOr<Dataset> d = LoadDataset(dir.path(), 784);
  EXPECT_EQ(d.status().code(), Status::Code::kDataLoss);
  EXPECT_NE(d.status().message().find("but test images are 14 x 56"), std::string::npos)
      << d.status().message();
}

}  // namespace
}  // namespace mnist
