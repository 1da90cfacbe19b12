// Tests for nn/graph/feed_value.h and nn/graph/npy_file.h: literals and .npy
// files become tensors of the fed dtype, and what does not fit is refused
// with a message saying what and where.
#include "nn/graph/feed_value.h"

#include <gtest/gtest.h>

#include "nn/graph/npy_file.h"
#include "tests/support/test_util.h"

namespace mnist {
namespace {

Tensor Parse(const std::string& text, tensorflow::DataType dtype) {
  StatusOr<Literal> literal = ParseLiteral(text);
  EXPECT_TRUE(literal.ok()) << text << ": " << literal.status().message();
  if (!literal.ok()) return {};
  StatusOr<Tensor> t = LiteralToTensor(*literal, dtype);
  EXPECT_TRUE(t.ok()) << text << ": " << t.status().message();
  return t.ok() ? *t : Tensor{};
}
std::string LiteralError(const std::string& text, tensorflow::DataType dtype = tensorflow::DT_FLOAT) {
  StatusOr<Literal> literal = ParseLiteral(text);
  if (!literal.ok()) return literal.status().message();
  StatusOr<Tensor> t = LiteralToTensor(*literal, dtype);
  EXPECT_FALSE(t.ok()) << text;
  return t.ok() ? "" : t.status().message();
}

TEST(FeedValueTest, ScalarsAndNestedLists) {
  Tensor t = Parse("4.", tensorflow::DT_FLOAT);
  EXPECT_TRUE(t.shape.empty());
  EXPECT_EQ(t.floats, std::vector<float>{4});
  t = Parse(" [[1, 2],[3,4]] ", tensorflow::DT_INT32);
  EXPECT_EQ(t.shape, (std::vector<int64_t>{2, 2}));
  EXPECT_EQ(t.ints, (std::vector<int64_t>{1, 2, 3, 4}));
  t = Parse("[true,False]", tensorflow::DT_BOOL);
  EXPECT_EQ(t.ints, (std::vector<int64_t>{1, 0}));
  EXPECT_EQ(Parse("[]", tensorflow::DT_FLOAT).shape, std::vector<int64_t>{0});
}

TEST(FeedValueTest, BadLiteralsAreNamedWithTheirPlace) {
  EXPECT_EQ(LiteralError("[1,2"), "missing ']' at character 5");
  EXPECT_EQ(LiteralError("[[1,2],[3]]"),
            "an element of shape [1] after ones of [2] (lists must be rectangular) at character 11");
  EXPECT_EQ(LiteralError("[1,[2]]"),
            "an element of shape [1] after ones of [] (lists must be rectangular) at character 7");
  EXPECT_EQ(LiteralError("1 2"), "unexpected '2' at character 3");
  EXPECT_EQ(LiteralError("[1,,2]"), "expected a value at character 4");
  EXPECT_EQ(LiteralError("[1,x]"), "'x' is no number");
  EXPECT_EQ(LiteralError("1.5", tensorflow::DT_INT32), "'1.5' is no integer (the feed is DT_INT32)");
  EXPECT_EQ(LiteralError("3000000000", tensorflow::DT_INT32), "'3000000000' is out of the range of DT_INT32");
  EXPECT_EQ(LiteralError("1", tensorflow::DT_BOOL), "'1' is no bool (true or false)");
  EXPECT_EQ(LiteralError(std::string(40, '[') + std::string(40, ']')).substr(0, 30),
            "lists nested more than 32 deep");
}

// A .npy file of format `version` (1: a 2-byte header length, 2: 4 bytes)
// with `descr`, `shape` and raw little-endian `data`.
std::string Npy(const std::string& descr, const std::string& shape, const std::string& data,
                const std::string& order = "False", int version = 1) {
  std::string header = "{'descr': '" + descr + "', 'fortran_order': " + order + ", 'shape': " +
                       shape + ", }";
  const size_t prefix = version == 1 ? 10 : 12;
  header += std::string(63 - (prefix + header.size()) % 64, ' ') + "\n";
  std::string out = std::string("\x93NUMPY", 6) + static_cast<char>(version) + '\0';
  for (size_t i = 0; i < prefix - 8; ++i) out += static_cast<char>((header.size() >> (8 * i)) & 0xff);
  return out + header + data;
}

TEST(FeedValueTest, NpyFilesOfEachDtype) {
  testing::TempDir dir;
  const float f[3] = {1, 2, 5};
  testing::WriteFileOrDie(dir / "f.npy", Npy("<f4", "(3,)", std::string(reinterpret_cast<const char*>(f), 12)));
  StatusOr<Tensor> t = ReadNpy(dir / "f.npy");
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(t->shape, std::vector<int64_t>{3});
  EXPECT_EQ(t->floats, (std::vector<float>{1, 2, 5}));
  const double d[2] = {0.5, -1};
  testing::WriteFileOrDie(dir / "d.npy", Npy("<f8", "(2, 1)", std::string(reinterpret_cast<const char*>(d), 16)));
  t = ReadNpy(dir / "d.npy");
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(t->shape, (std::vector<int64_t>{2, 1}));
  EXPECT_EQ(t->floats, (std::vector<float>{0.5f, -1}));
  const int64_t i[1] = {-7};
  testing::WriteFileOrDie(dir / "i.npy", Npy("<i8", "()", std::string(reinterpret_cast<const char*>(i), 8),
                                             "False", 2));
  t = ReadNpy(dir / "i.npy");
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(t->dtype, tensorflow::DT_INT64);
  EXPECT_TRUE(t->shape.empty());
  StatusOr<Tensor> as_float = ConvertTensor(*t, tensorflow::DT_FLOAT);
  ASSERT_TRUE(as_float.ok());
  EXPECT_EQ(as_float->floats, std::vector<float>{-7});
  testing::WriteFileOrDie(dir / "b.npy", Npy("|b1", "(2,)", std::string("\x01\x00", 2)));
  t = ReadNpy(dir / "b.npy");
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(t->dtype, tensorflow::DT_BOOL);
  EXPECT_EQ(t->ints, (std::vector<int64_t>{1, 0}));
  StatusOr<Tensor> as_int = ConvertTensor(*t, tensorflow::DT_INT32);
  ASSERT_TRUE(as_int.ok());
  EXPECT_EQ(as_int->ints, (std::vector<int64_t>{1, 0}));
  Tensor ints;
  ints.dtype = tensorflow::DT_INT32;
  ints.shape = {1};
  ints.ints = {2};
  StatusOr<Tensor> as_bool = ConvertTensor(ints, tensorflow::DT_BOOL);
  ASSERT_FALSE(as_bool.ok());
  EXPECT_EQ(as_bool.status().message(), "DT_INT32 values cannot feed DT_BOOL");
}

TEST(FeedValueTest, NpyFilesWeDoNotReadAreNamed) {
  testing::TempDir dir;
  auto error = [&](const std::string& bytes) {
    testing::WriteFileOrDie(dir / "x.npy", bytes);
    StatusOr<Tensor> t = ReadNpy(dir / "x.npy");
    EXPECT_FALSE(t.ok());
    return t.ok() ? "" : t.status().message();
  };
  const std::string path = dir / "x.npy";
  EXPECT_EQ(error("not numpy"), path + ": not a .npy file (no \\x93NUMPY magic)");
  EXPECT_EQ(error(Npy(">f4", "(1,)", "abcd")),
            path + ": dtype '>f4' is not read (only '<f4', '<f8', '<i4', '<i8', '|b1')");
  EXPECT_EQ(error(Npy("<f4", "(2, 2)", std::string(16, '\0'), "True")),
            path + ": fortran_order True (only C-order arrays, fortran_order False, are read)");
  EXPECT_EQ(error(Npy("<f4", "(3,)", std::string(8, '\0'))),
            path + ": 8 bytes of data, shape [3] of '<f4' needs 12");
}

}  // namespace
}  // namespace mnist
