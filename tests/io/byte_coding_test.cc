// Tests for io/base/byte_coding.h: fixed-width words both ways round, varints
// at their limits, and the hex form of words in messages.
#include "io/base/byte_coding.h"

#include <gtest/gtest.h>

namespace mnist {
namespace {

TEST(ByteCodingTest, FixedWidthWordsRoundTripInTheirByteOrder) {
  std::string le, be;
  PutLE32(&le, 0x0a0b0c0du);
  PutBE32(&be, 0x0a0b0c0du);
  EXPECT_EQ(le, std::string("\x0d\x0c\x0b\x0a", 4));
  EXPECT_EQ(be, std::string("\x0a\x0b\x0c\x0d", 4));
  EXPECT_EQ(LoadLE32(le.data()), 0x0a0b0c0du);
  EXPECT_EQ(LoadBE32(be.data()), 0x0a0b0c0du);
  const std::string magic("\x57\xfb\x80\x8b\x24\x75\x47\xdb", 8);  // leveldb's table magic, as stored
  EXPECT_EQ(LoadLE64(magic.data()), 0xdb4775248b80fb57ull);
  EXPECT_EQ(LoadLE32("\xff\xff\xff\xff"), 0xffffffffu);
}

TEST(ByteCodingTest, VarintsRoundTripAndStopAtTheirLimits) {
  for (uint64_t v : {uint64_t{0}, uint64_t{127}, uint64_t{128}, uint64_t{300}, ~uint64_t{0}}) {
    std::string s;
    PutVarint64(&s, v);
    const char* p = s.data();
    uint64_t got = 0;
    ASSERT_TRUE(GetVarint(&p, s.data() + s.size(), 64, &got)) << v;
    EXPECT_EQ(got, v);
    EXPECT_EQ(p, s.data() + s.size());
  }
  std::string big;
  PutVarint64(&big, uint64_t{1} << 35);
  const char* p = big.data();
  uint64_t got = 0;
  EXPECT_FALSE(GetVarint(&p, big.data() + big.size(), 32, &got));  // longer than 32 bits allow
  const std::string cut("\x80", 1);
  p = cut.data();
  EXPECT_FALSE(GetVarint(&p, cut.data() + cut.size(), 64, &got));  // runs past the end
}

TEST(ByteCodingTest, HexShowsEveryDigit) {
  EXPECT_EQ(Hex32(0x803), "0x00000803");
  EXPECT_EQ(Hex32(0xffffffffu), "0xffffffff");
  EXPECT_EQ(Hex64(0xdb4775248b80fb57ull), "0xdb4775248b80fb57");
  EXPECT_EQ(Hex64(1), "0x0000000000000001");
}

}  // namespace
}  // namespace mnist
