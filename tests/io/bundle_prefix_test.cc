// Tests for io/bundle/bundle_prefix.h: what a checkpoint prefix names when it is not
// one, and what the error says to give instead.
#include "io/bundle/bundle_prefix.h"

#include <gtest/gtest.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <utility>
#include <vector>

#include "io/bundle/bundle_writer.h"
#include "tests/support/test_util.h"

namespace mnist {
namespace {

using testing::TempDir;

// A one-tensor bundle under `prefix`, with a .meta beside it as TF writes.
void WriteBundle(const std::string& prefix) {
  BundleWriter writer(prefix);
  const float v = 1.0f;
  ASSERT_TRUE(writer.Add("v", tensorflow::DT_FLOAT, {}, &v, sizeof(v)).ok());
  ASSERT_TRUE(writer.Finish().ok());
  testing::WriteFileOrDie(prefix + ".meta", "");
}

// Sets `path`'s modification time to `seconds` after the epoch.
void SetMtime(const std::string& path, time_t seconds) {
  const struct timespec times[2] = {{seconds, 0}, {seconds, 0}};
  ASSERT_EQ(::utimensat(AT_FDCWD, path.c_str(), times, 0), 0) << path;
}

TEST(CheckBundlePrefixTest, APrefixWithAnIndexIsOk) {
  TempDir dir;
  WriteBundle(dir / "m.ckpt-1");
  EXPECT_TRUE(CheckBundlePrefix(dir / "m.ckpt-1").ok());
}

TEST(CheckBundlePrefixTest, NothingThereIsNotFoundNamingTheIndex) {
  TempDir dir;
  const Status st = CheckBundlePrefix(dir / "m.ckpt-1");
  EXPECT_EQ(st.code(), Status::Code::kNotFound);
  EXPECT_EQ(st.message(), dir / "m.ckpt-1.index: no such file, so no checkpoint with prefix " + (dir / "m.ckpt-1"));
}

TEST(CheckBundlePrefixTest, AFileOfACheckpointSaysToGiveItsPrefix) {
  TempDir dir;
  WriteBundle(dir / "m.ckpt-3");
  for (const std::string& file : {dir / "m.ckpt-3.index", dir / "m.ckpt-3.data-00000-of-00001", dir / "m.ckpt-3.meta"}) {
    const Status st = CheckBundlePrefix(file);
    EXPECT_EQ(st.code(), Status::Code::kInvalidArgument) << file;
    EXPECT_EQ(st.message(), file + " is a file of the checkpoint " + (dir / "m.ckpt-3") +
                                ", not its prefix; give the prefix " + (dir / "m.ckpt-3"));
  }
}

TEST(CheckBundlePrefixTest, ADirectoryNamesItsNewestCheckpoint) {
  TempDir dir;
  WriteBundle(dir / "mnist.ckpt-9");
  WriteBundle(dir / "mnist.ckpt-10");
  SetMtime(dir / "mnist.ckpt-9.index", 1000);
  SetMtime(dir / "mnist.ckpt-10.index", 2000);
  for (const std::string& given : {dir.path(), dir.path() + "/"}) {
    const Status st = CheckBundlePrefix(given);
    EXPECT_EQ(st.code(), Status::Code::kInvalidArgument) << given;
    EXPECT_EQ(st.message(), given + " is a directory, not a checkpoint prefix; give the prefix of a checkpoint in "
                                    "it, e.g. " + (dir / "mnist.ckpt-10"));
  }
}

TEST(CheckBundlePrefixTest, ADirectoryWithoutCheckpointsSaysSo) {
  TempDir dir;
  const Status st = CheckBundlePrefix(dir.path());
  EXPECT_EQ(st.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(st.message(), dir.path() + " is a directory, not a checkpoint prefix, and holds no checkpoint (no "
                                       ".index file)");
}

TEST(CheckBundlePrefixTest, AnotherFileIsNoPrefix) {
  TempDir dir;
  testing::WriteFileOrDie(dir / "model.pb", "not a checkpoint");
  const Status st = CheckBundlePrefix(dir / "model.pb");
  EXPECT_EQ(st.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(st.message(), dir / "model.pb" + " is a file, not a checkpoint prefix: a prefix P names the files "
                                             "P.index and P.data-00000-of-00001");
}

TEST(CheckBundlePrefixTest, AnIndexRenamedToThePrefixReadsAsAV1Checkpoint) {
  // A V1 checkpoint is one leveldb table named exactly the prefix, as an
  // .index is: one copied to a bare name stands in for it.
  TempDir dir;
  WriteBundle(dir / "src");
  testing::WriteFileOrDie(dir / "export", testing::ReadFileOrDie(dir / "src.index"));
  const Status st = CheckBundlePrefix(dir / "export");
  EXPECT_EQ(st.code(), Status::Code::kFailedPrecondition);
  EXPECT_NE(st.message().find(dir / "export is a TensorFlow V1 checkpoint"), std::string::npos) << st.message();
}

}  // namespace
}  // namespace mnist
