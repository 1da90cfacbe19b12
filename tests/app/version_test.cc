// Tests for app/cli/version.h: the version text names the program and every
// dependency with a version number.
#include "app/cli/version.h"

#include <gtest/gtest.h>

#include <regex>

namespace mnist {
namespace {

TEST(VersionTest, NamesTheProgramAndEachLibraryWithItsVersion) {
  const std::string text = VersionText();
  EXPECT_TRUE(std::regex_search(text, std::regex(R"(^mnist \d+\.\d+\.\d+\n)"))) << text;
  for (const char* library : {"Eigen", "protobuf", "zlib", "libpng"}) {
    EXPECT_TRUE(std::regex_search(text, std::regex(std::string("\n  ") + library + R"( \d+\.\d+\.\d+\n)")))
        << library << " missing:\n" << text;
  }
  EXPECT_TRUE(std::regex_search(text, std::regex(R"(\n  leveldb \d+\.\d+\n)"))) << text;
  EXPECT_TRUE(std::regex_search(text, std::regex(R"(\n  OpenMP \d+, \d+ threads, [^\n]+\n)"))) << text;
  EXPECT_TRUE(std::regex_search(text, std::regex(R"(\n  matrix products: (OpenBLAS \d+\.\d+|Eigen's own))")))
      << text;
}

// Which library does each product of the default network (nn/network/gemm.h).
TEST(VersionTest, NamesTheLibraryOfEachProduct) {
  const std::string text = VersionText();
  const std::string library = "(oneDNN|OpenBLAS|Eigen)";
  EXPECT_TRUE(std::regex_search(text, std::regex(R"(\n    layer 1 \(784-1024, batch 100\): forward )" + library +
                                                 ", weight gradient " + library +
                                                 R"(; evaluation \(batch 1000\) forward )" + library + "\n")))
      << text;
  for (const char* layer : {R"(layer 2 \(1024-512)", R"(layer 3 \(512-10)"}) {
    EXPECT_TRUE(std::regex_search(text, std::regex(std::string("\n    ") + layer + R"(, batch 100\): forward )" +
                                                   library + ", weight gradient " + library + ", input gradient " +
                                                   library + R"(; evaluation \(batch 1000\) forward )" + library)))
        << layer << "\n" << text;
  }
}

}  // namespace
}  // namespace mnist
