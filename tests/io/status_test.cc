// Tests for io/base/status.h: codes, messages and context.
#include "io/base/status.h"

#include <gtest/gtest.h>

namespace mnist {
namespace {

TEST(StatusTest, DefaultIsOk) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.ToString(), "OK");
}

TEST(StatusTest, ToStringNamesCodeAndMessage) {
  EXPECT_EQ(Status::DataLoss("f: bad").ToString(), "data loss: f: bad");
  EXPECT_EQ(Status::NotFound("x").code(), Status::Code::kNotFound);
}

TEST(StatusTest, WithContextPrefixesMessageAndKeepsOkOk) {
  EXPECT_EQ(Status::IOError("disk full").WithContext("ckpt/a").message(), "ckpt/a: disk full");
  EXPECT_TRUE(Status::Ok().WithContext("x").ok());
}

TEST(StatusTest, WithHintAppendsToMessageAndKeepsCodeAndOkOk) {
  const Status hinted = Status::FailedPrecondition("m has no shadows").WithHint("train with them");
  EXPECT_EQ(hinted.code(), Status::Code::kFailedPrecondition);
  EXPECT_EQ(hinted.message(), "m has no shadows; train with them");
  EXPECT_EQ(Status::NotFound("a").WithHint("b", ": ").message(), "a: b");
  EXPECT_TRUE(Status::Ok().WithHint("x").ok());
}

// A name read from a file may hold any byte (issue 11, point 13): a message
// stays one line of text, whoever builds it, and says which bytes were there.
TEST(StatusTest, MessagesEscapeNulAndControlBytes) {
  const std::string name = std::string("notes.txt") + '\0' + "\x1b[2J\r\n\t\x7f";
  const Status s = Status::DataLoss("ckpt/checkpoint: lists \"" + name + "\"");
  EXPECT_EQ(s.message(), "ckpt/checkpoint: lists \"notes.txt\\x00\\x1b[2J\\x0d\\x0a\\x09\\x7f\"");
  EXPECT_EQ(s.ToString(), "data loss: " + s.message());
  EXPECT_EQ(s.WithContext("cannot save").message(), "cannot save: " + s.message());  // not twice
  EXPECT_EQ(Status::IOError("ckpt/mnist.ckpt-1.index: caf\xc3\xa9").message(),
            "ckpt/mnist.ckpt-1.index: caf\xc3\xa9");  // UTF-8 is kept
}

TEST(StatusOrTest, HoldsValueOrStatus) {
  StatusOr<int> v(7);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, 7);
  StatusOr<int> e(Status::InvalidArgument("no"));
  EXPECT_FALSE(e.ok());
  EXPECT_EQ(e.status().message(), "no");
}

}  // namespace
}  // namespace mnist
