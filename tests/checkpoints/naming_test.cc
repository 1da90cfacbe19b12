// Tests for checkpoints/state/naming.h: building and parsing checkpoint names,
// table-driven over good and bad inputs.
#include "checkpoints/state/naming.h"

#include <gtest/gtest.h>

namespace mnist {
namespace {

TEST(NamingTest, BuildsTensorFlowStyleNames) {
  EXPECT_EQ(CheckpointName(kBestBasename, 7), "mnist.ckpt-7");
  EXPECT_EQ(MetaFilename("ckpt/mnist.ckpt-7"), "ckpt/mnist.ckpt-7.meta");
  EXPECT_EQ(JoinPath("ckpt", "checkpoint"), "ckpt/checkpoint");
  EXPECT_EQ(JoinPath("ckpt/", "checkpoint"), "ckpt/checkpoint");
  EXPECT_EQ(JoinPath("", "checkpoint"), "checkpoint");
}

TEST(NamingTest, ParsesGoodNames) {
  const struct {
    const char* name;
    const char* basename;
    int64_t step;
  } cases[] = {{"mnist.ckpt-7", "mnist.ckpt", 7},
               {"last.ckpt-0", "last.ckpt", 0},
               {"model.ckpt-1999", "model.ckpt", 1999},
               {"a-b-12", "a-b", 12}};
  for (const auto& c : cases) {
    std::string basename;
    int64_t step = -1;
    ASSERT_TRUE(ParseCheckpointName(c.name, &basename, &step)) << c.name;
    EXPECT_EQ(basename, c.basename) << c.name;
    EXPECT_EQ(step, c.step) << c.name;
  }
}

TEST(NamingTest, RejectsBadNames) {
  for (const char* name : {"", "mnist.ckpt", "mnist.ckpt-", "-7", "mnist.ckpt-7a",
                           "dir/mnist.ckpt-7", "mnist.ckpt-+7",
                           "mnist.ckpt-9999999999999999999"}) {
    std::string basename;
    int64_t step;
    EXPECT_FALSE(ParseCheckpointName(name, &basename, &step)) << name;
  }
}

TEST(NamingTest, KnowsTheFilesOfACheckpoint) {
  for (const char* name : {"mnist.ckpt-7.index", "mnist.ckpt-7.data-00000-of-00001",
                           "mnist.ckpt-0.meta"}) {
    EXPECT_TRUE(IsCheckpointFile(name, "mnist.ckpt")) << name;
  }
  for (const char* name : {"mnist.ckpt-7", "last.ckpt-7.index", "mnist.ckpt-7.index.bak",
                           "mnist.ckpt-x.meta", "mnist.ckpt-7.data-00001-of-00002", "checkpoint",
                           ".index", "mnist.ckpt-07.index"}) {
    EXPECT_FALSE(IsCheckpointFile(name, "mnist.ckpt")) << name;
  }
}

// Only names a manager of that basename writes are its own (issue 11, point 2).
TEST(NamingTest, KnowsTheNamesAManagerWrites) {
  EXPECT_TRUE(IsCheckpointNameOf("mnist.ckpt-7", "mnist.ckpt"));
  EXPECT_TRUE(IsCheckpointNameOf("last.ckpt-0", "last.ckpt"));
  for (const std::string& name :
       {std::string("last.ckpt-7"), std::string("mnist.ckpt-07"), std::string("mnist.ckpt"),
        std::string("./mnist.ckpt-7"), std::string("sub/mnist.ckpt-7"), std::string("metrics.csv"),
        std::string("mnist.ckpt-7\0", 13), std::string("xmnist.ckpt-7")}) {
    EXPECT_FALSE(IsCheckpointNameOf(name, "mnist.ckpt")) << name;
  }
}

TEST(NamingTest, ParsesTheFilesOfACheckpointAsWeNameThem) {
  std::string name;
  int64_t step = -1;
  ASSERT_TRUE(ParseCheckpointFilename("last.ckpt-240.data-00000-of-00001", "last.ckpt", &name, &step));
  EXPECT_EQ(name, "last.ckpt-240");
  EXPECT_EQ(step, 240);
  for (const char* file : {"last.ckpt-0240.index", "last.ckpt-240.index.bak", "mnist.ckpt-240.meta",
                           "last.ckpt-240", "last.ckpt-.index", "../last.ckpt-1.index"}) {
    EXPECT_FALSE(ParseCheckpointFilename(file, "last.ckpt", &name, &step)) << file;
  }
}

}  // namespace
}  // namespace mnist
