// Tests for io/status.h: codes, messages and context.
#include "io/status.h"

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
