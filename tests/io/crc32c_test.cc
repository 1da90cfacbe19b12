// Tests for io/bundle/crc32c.h: RFC 3720 known answers, masking, and agreement of the
// hardware and table implementations.
#include "io/bundle/crc32c.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>

namespace mnist {
namespace {

TEST(Crc32cTest, MatchesRfc3720Vectors) {
  char buf[32];

  std::memset(buf, 0, sizeof(buf));
  EXPECT_EQ(0x8a9136aau, crc32c::Value(buf, sizeof(buf)));

  std::memset(buf, 0xff, sizeof(buf));
  EXPECT_EQ(0x62a8ab43u, crc32c::Value(buf, sizeof(buf)));

  for (int i = 0; i < 32; ++i) buf[i] = static_cast<char>(i);
  EXPECT_EQ(0x46dd794eu, crc32c::Value(buf, sizeof(buf)));

  for (int i = 0; i < 32; ++i) buf[i] = static_cast<char>(31 - i);
  EXPECT_EQ(0x113fdb5cu, crc32c::Value(buf, sizeof(buf)));
}

TEST(Crc32cTest, MatchesStandardCheckValue) {
  EXPECT_EQ(0xe3069283u, crc32c::Value("123456789", 9));
  EXPECT_EQ(0u, crc32c::Value("", 0));
}

TEST(Crc32cTest, ExtendEqualsValueOfConcatenation) {
  EXPECT_EQ(crc32c::Value("hello world", 11),
            crc32c::Extend(crc32c::Value("hello ", 6), "world", 5));
}

TEST(Crc32cTest, TableAndDefaultImplementationsAgreeOnEveryLengthAndAlignment) {
  std::mt19937 rng(7);
  std::string data(12000 + 16, '\0');
  for (char& c : data) c = static_cast<char>(rng());
  // Lengths around the hardware path's 3 x 1024-byte blocks too.
  for (size_t start = 0; start < 16; ++start) {
    for (size_t n : {0u, 1u, 3u, 7u, 8u, 9u, 15u, 16u, 17u, 63u, 64u, 65u, 1000u, 3071u, 3072u,
                     3073u, 3080u, 4096u, 6144u, 9215u, 9216u, 9217u, 12000u}) {
      const uint32_t seed = static_cast<uint32_t>(rng());
      EXPECT_EQ(crc32c::ExtendPortable(seed, data.data() + start, n),
                crc32c::Extend(seed, data.data() + start, n))
          << "start " << start << " n " << n
          << " hardware=" << crc32c::IsHardwareAccelerated();
    }
  }
  char nine[] = "123456789";
  EXPECT_EQ(0xe3069283u, crc32c::ExtendPortable(0, nine, 9));
}

TEST(Crc32cTest, MaskChangesValueAndUnmaskRestoresIt) {
  const uint32_t crc = crc32c::Value("foo", 3);
  EXPECT_NE(crc, crc32c::Mask(crc));
  EXPECT_NE(crc, crc32c::Mask(crc32c::Mask(crc)));
  EXPECT_EQ(crc, crc32c::Unmask(crc32c::Mask(crc)));
  EXPECT_EQ(crc, crc32c::Unmask(crc32c::Unmask(crc32c::Mask(crc32c::Mask(crc)))));
  std::mt19937 rng(3);
  for (int i = 0; i < 1000; ++i) {
    const uint32_t v = static_cast<uint32_t>(rng());
    EXPECT_EQ(v, crc32c::Unmask(crc32c::Mask(v)));
  }
}

// The masked CRCs TensorFlow stored for float32 scalars in the
// tests/testdata/tf bundles (see that folder's README).
TEST(Crc32cTest, MaskedValuesMatchTensorFlowFixtures) {
  struct Case {
    float value;
    uint32_t masked;
  };
  for (const Case& c : {Case{0.5f, 0x1f273806u}, Case{2.0f, 0x4f78fd10u},
                        Case{3.0f, 0xc382d6efu}, Case{0.0f, 0x3a117ba6u}}) {
    char bytes[4];
    std::memcpy(bytes, &c.value, 4);  // little-endian host, as in the files
    EXPECT_EQ(c.masked, crc32c::Mask(crc32c::Value(bytes, 4))) << "value " << c.value;
  }
}

}  // namespace
}  // namespace mnist
