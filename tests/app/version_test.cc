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

}  // namespace
}  // namespace mnist
