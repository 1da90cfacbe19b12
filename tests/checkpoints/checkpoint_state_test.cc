// Tests for checkpoints/state/checkpoint_state.h: TensorFlow's text format, paths
// kept inside the directory, and clear errors for bad state files.
#include "checkpoints/state/checkpoint_state.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "io/base/file.h"
#include "tests/support/test_util.h"

namespace mnist {
namespace {

using testing::TempDir;

TEST(CheckpointStateTest, WritesTensorFlowTextFormatOldestFirst) {
  TempDir dir;
  ASSERT_TRUE(WriteCheckpointState(dir.path(), "checkpoint", {{"mnist.ckpt-3", "mnist.ckpt-7"}}).ok());
  EXPECT_EQ(testing::ReadFileOrDie(dir / "checkpoint"),
            "model_checkpoint_path: \"mnist.ckpt-7\"\n"
            "all_model_checkpoint_paths: \"mnist.ckpt-3\"\n"
            "all_model_checkpoint_paths: \"mnist.ckpt-7\"\n");
  StatusOr<CheckpointState> back = ReadCheckpointState(dir.path(), "checkpoint");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->paths, (std::vector<std::string>{"mnist.ckpt-3", "mnist.ckpt-7"}));
}

TEST(CheckpointStateTest, AcceptsNewerTensorFlowTimestampFields) {
  TempDir dir;
  testing::WriteFileOrDie(dir / "checkpoint",
                          "model_checkpoint_path: \"m-2\"\nall_model_checkpoint_paths: \"m-1\"\n"
                          "all_model_checkpoint_paths: \"m-2\"\n"
                          "all_model_checkpoint_timestamps: 1700000000.5\n"
                          "all_model_checkpoint_timestamps: 1700000100.5\n"
                          "last_preserved_timestamp: 1699999999.0\n");
  StatusOr<CheckpointState> s = ReadCheckpointState(dir.path(), "checkpoint");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->latest(), "m-2");
}

TEST(CheckpointStateTest, AbsolutePathInsideDirectoryBecomesRelative) {
  TempDir dir;
  testing::WriteFileOrDie(dir / "checkpoint", "model_checkpoint_path: \"" + (dir / "m-5") + "\"\n");
  StatusOr<CheckpointState> s = ReadCheckpointState(dir.path(), "checkpoint");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->paths, std::vector<std::string>{"m-5"});
}

TEST(CheckpointStateTest, RefusesPathsLeadingOutOfTheDirectory) {
  TempDir dir;
  ASSERT_EQ(symlink("/etc", (dir / "link").c_str()), 0);
  for (const std::string& bad : {std::string("/etc/passwd"), std::string("../other/m-1"),
                                 std::string("sub/../../m-1"), std::string("link/m-1")}) {
    testing::WriteFileOrDie(dir / "checkpoint", "model_checkpoint_path: \"" + bad + "\"\n");
    StatusOr<CheckpointState> s = ReadCheckpointState(dir.path(), "checkpoint");
    ASSERT_FALSE(s.ok()) << bad;
    EXPECT_EQ(s.status().code(), Status::Code::kFailedPrecondition) << bad;
    EXPECT_NE(s.status().message().find(bad), std::string::npos) << s.status().message();
  }
}

// Issue 11, point 2: a name is checked as a name before it is used: a NUL
// (where unlink() would stop), any control byte, or a length no file name
// can have is DataLoss naming the state file, the byte escaped.
TEST(CheckpointStateTest, RefusesNamesWithNulOrControlBytesOrTooLongToExist) {
  TempDir dir;
  const struct {
    std::string escaped;  // as written in the file
    std::string message;  // what the error says of it
  } cases[] = {
      {"notes.txt\\000", "\"notes.txt\\x00\" has a NUL byte at byte 9"},
      {"m-1\\n", "\"m-1\\x0a\" has a control byte at byte 3"},
      {"\\033[2Jm-1", "\"\\x1b[2Jm-1\" has a control byte at byte 0"},
      {std::string(5000, 'a'), "\"" + std::string(80, 'a') + "...\" (5000 bytes) is too long"},
      {"sub/" + std::string(240, 'b'), "is too long for its files to exist"},
  };
  for (const auto& c : cases) {
    for (const std::string& text : {"model_checkpoint_path: \"" + c.escaped + "\"\n",
                                    "model_checkpoint_path: \"m-2\"\nall_model_checkpoint_paths: \"" +
                                        c.escaped + "\"\n"}) {
      testing::WriteFileOrDie(dir / "checkpoint", text);
      StatusOr<CheckpointState> s = ReadCheckpointState(dir.path(), "checkpoint");
      ASSERT_FALSE(s.ok()) << text;
      EXPECT_EQ(s.status().code(), Status::Code::kDataLoss) << text;
      EXPECT_EQ(s.status().message().find(dir / "checkpoint: checkpoint path "), 0u) << s.status().message();
      EXPECT_NE(s.status().message().find(c.message), std::string::npos) << s.status().message();
    }
  }
}

// Issue 11, point 3: a name listed twice (however spelt) counts once, in the
// place it is listed last.
TEST(CheckpointStateTest, CollapsesDuplicatesKeepingTheLastPlace) {
  TempDir dir;
  testing::WriteFileOrDie(dir / "checkpoint",
                          "model_checkpoint_path: \"m-3\"\n"
                          "all_model_checkpoint_paths: \"m-1\"\n"
                          "all_model_checkpoint_paths: \"m-2\"\n"
                          "all_model_checkpoint_paths: \"./m-1\"\n"
                          "all_model_checkpoint_paths: \"" + (dir / "m-2") + "\"\n"
                          "all_model_checkpoint_paths: \"m-3\"\n"
                          "all_model_checkpoint_paths: \"m-3\"\n");
  StatusOr<CheckpointState> s = ReadCheckpointState(dir.path(), "checkpoint");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->paths, (std::vector<std::string>{"m-1", "m-2", "m-3"}));
}

TEST(CheckpointStateTest, RefusesCheckpointFilesThatAreSymlinksLeadingOut) {
  TempDir dir, elsewhere;
  testing::WriteFileOrDie(elsewhere / "secret", "not a checkpoint");
  for (const std::string& file : {std::string("m-1.index"), std::string("m-1.data-00000-of-00001"),
                                  std::string("m-1.meta")}) {
    std::filesystem::remove_all(dir / file);
    ASSERT_EQ(symlink((elsewhere / "secret").c_str(), (dir / file).c_str()), 0);
    testing::WriteFileOrDie(dir / "checkpoint", "model_checkpoint_path: \"m-1\"\n");
    StatusOr<CheckpointState> s = ReadCheckpointState(dir.path(), "checkpoint");
    ASSERT_FALSE(s.ok()) << file;
    EXPECT_EQ(s.status().code(), Status::Code::kFailedPrecondition) << file;
    EXPECT_NE(s.status().message().find("resolves outside"), std::string::npos) << s.status().message();
    std::filesystem::remove(dir / file);
  }
}

TEST(CheckpointStateTest, RefusesStateFileThatIsASymlinkLeadingOut) {
  TempDir dir, elsewhere;
  testing::WriteFileOrDie(elsewhere / "checkpoint", "model_checkpoint_path: \"m-1\"\n");
  ASSERT_EQ(symlink((elsewhere / "checkpoint").c_str(), (dir / "checkpoint").c_str()), 0);
  StatusOr<CheckpointState> s = ReadCheckpointState(dir.path(), "checkpoint");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), Status::Code::kFailedPrecondition);
  EXPECT_NE(s.status().message().find("symlink leading out"), std::string::npos) << s.status().message();
}

TEST(CheckpointStateTest, SymlinksInsideTheDirectoryAreFine) {
  TempDir dir;
  testing::WriteFileOrDie(dir / "real_state", "model_checkpoint_path: \"m-1\"\n");
  testing::WriteFileOrDie(dir / "m-1.real_index", "");
  ASSERT_EQ(symlink((dir / "real_state").c_str(), (dir / "checkpoint").c_str()), 0);
  ASSERT_EQ(symlink("m-1.real_index", (dir / "m-1.index").c_str()), 0);
  StatusOr<CheckpointState> s = ReadCheckpointState(dir.path(), "checkpoint");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->paths, std::vector<std::string>{"m-1"});
}

TEST(CheckpointStateTest, EmptyOrGarbledFileIsDataLossNamingIt) {
  TempDir dir;
  testing::WriteFileOrDie(dir / "checkpoint", "");
  StatusOr<CheckpointState> empty = ReadCheckpointState(dir.path(), "checkpoint");
  EXPECT_EQ(empty.status().code(), Status::Code::kDataLoss);
  EXPECT_NE(empty.status().message().find(dir / "checkpoint"), std::string::npos);
  EXPECT_NE(empty.status().message().find("empty"), std::string::npos);

  testing::WriteFileOrDie(dir / "checkpoint", "model_checkpoint_path: \"m-1\n garbage {{");
  StatusOr<CheckpointState> garbled = ReadCheckpointState(dir.path(), "checkpoint");
  EXPECT_EQ(garbled.status().code(), Status::Code::kDataLoss);
  EXPECT_NE(garbled.status().message().find("line 1"), std::string::npos) << garbled.status().message();
}

TEST(CheckpointStateTest, MissingDirectoryAndMissingFileAreNotFound) {
  TempDir dir;
  StatusOr<CheckpointState> no_dir = ReadCheckpointState(dir / "absent", "checkpoint");
  EXPECT_EQ(no_dir.status().code(), Status::Code::kNotFound);
  EXPECT_NE(no_dir.status().message().find("directory does not exist"), std::string::npos);
  EXPECT_EQ(ReadCheckpointState(dir.path(), "checkpoint").status().code(), Status::Code::kNotFound);
}

TEST(CheckpointStateTest, LatestCheckpointNeedsTheIndexFile) {
  TempDir dir;
  ASSERT_TRUE(WriteCheckpointState(dir.path(), "checkpoint", {{"m-1"}}).ok());
  StatusOr<std::string> missing = LatestCheckpoint(dir.path(), "checkpoint");
  EXPECT_EQ(missing.status().code(), Status::Code::kNotFound);
  EXPECT_NE(missing.status().message().find("m-1.index does not exist"), std::string::npos);
  testing::WriteFileOrDie(dir / "m-1.index", "x");
  StatusOr<std::string> found = LatestCheckpoint(dir.path(), "checkpoint");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(*found, dir / "m-1");
}

TEST(CheckpointStateTest, TensorFlowV1FixtureGetsClearErrors) {
  const std::string fixture = testing::TestdataPath("tf/serving_bad_half_plus_two");
  // Its state file names an absolute path outside the directory.
  StatusOr<CheckpointState> s = ReadCheckpointState(fixture, "checkpoint");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("/tmp/bad_half_plus_two/00000123/export"), std::string::npos)
      << s.status().message();
  EXPECT_NE(s.status().message().find("outside"), std::string::npos);
}

}  // namespace
}  // namespace mnist
