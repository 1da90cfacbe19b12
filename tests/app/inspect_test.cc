// Tests for app/modes/inspect.h: --inspect lists each tensor, then a summary
// saying what the checkpoint table (checkpoints/saver/checkpoint_contents.h)
// recognises, for our checkpoints and TensorFlow's.
#include "app/modes/inspect.h"

#include <gtest/gtest.h>

#include <cstdio>

#include "checkpoints/saver/saver.h"
#include "tests/support/model_fixture.h"
#include "tests/support/test_util.h"
#include "tests/support/tf_mlp_checkpoint.h"

namespace mnist {
namespace {

using testing::TempDir;

// What RunInspect(prefix) prints; fails the test when it does not succeed.
std::string Inspect(const std::string& prefix) {
  std::FILE* out = std::tmpfile();
  EXPECT_NE(out, nullptr);
  if (out == nullptr) return "";
  const Status status = RunInspect(prefix, "", out);
  EXPECT_TRUE(status.ok()) << status.ToString();
  std::string text;
  std::rewind(out);
  for (int c; (c = std::fgetc(out)) != EOF;) text += static_cast<char>(c);
  std::fclose(out);
  return text;
}

// The last line of `text`, without its newline.
std::string LastLine(const std::string& text) {
  const std::string body = text.substr(0, text.size() - 1);
  return body.substr(body.rfind('\n') + 1);
}

TEST(InspectTest, OurCheckpointsSummaryCountsEachKindOfTheTable) {
  TempDir dir;
  testing::ModelFixture f(1);  // sizes {12, 8, 6, 3}: 6 variables, with Adam and EMA
  ASSERT_TRUE(SaveCheckpoint(dir / "m", f.state).ok());
  const std::string text = Inspect(dir / "m");
  EXPECT_NE(text.find("dense/kernel/Adam                        DT_FLOAT   [12, 8]               384 bytes\n"),
            std::string::npos) << text;  // a tensor line as before
  const std::string summary = LastLine(text);
  EXPECT_NE(summary.find(" tensors, "), std::string::npos) << summary;
  const std::string kinds = summary.substr(summary.find(": ") + 2);
  EXPECT_EQ(kinds, "6 model variables, 12 Adam slots, 6 EMA shadows, 3 scalars, 6 training state") << summary;
}

TEST(InspectTest, ATensorFlowCheckpointsOwnNamesAreNotOurs) {
  TempDir dir;
  testing::ModelFixture f(1);
  testing::WriteTensorFlowMlpCheckpoint(f.model, dir / "model.ckpt-1", -1);
  const std::string summary = LastLine(Inspect(dir / "model.ckpt-1"));
  EXPECT_NE(summary.find(" tensors, "), std::string::npos) << summary;
  EXPECT_NE(summary.find(" not ours"), std::string::npos) << summary;
  EXPECT_EQ(summary.find("model variables"), std::string::npos) << summary;
}

}  // namespace
}  // namespace mnist
