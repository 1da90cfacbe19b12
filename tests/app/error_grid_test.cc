// Tests for app/pictures/error_grid.h: which examples go in the grid, its size and
// contents, and `mnist --eval --errors` writing a PNG that libpng decodes
// to the expected size.
#include "app/pictures/error_grid.h"

#include <png.h>
#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "app/pictures/bitmap_font.h"
#include "tests/support/test_util.h"

namespace mnist {
namespace {

using testing::TempDir;

// `count` 28x28 images, image i filled with the grey level i; labels i % 10.
Split GreySplit(uint32_t count) {
  Split split;
  split.images.count = count;
  split.images.rows = 28;
  split.images.cols = 28;
  for (uint32_t i = 0; i < count; ++i) {
    split.images.pixels += std::string(784, static_cast<char>(i));
    split.labels.labels += static_cast<char>(i % 10);
  }
  return split;
}

// The size of a PNG file as libpng reads it, or 0 x 0 when it does not decode.
void DecodedSize(const std::string& bytes, int* width, int* height) {
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  *width = *height = 0;
  if (!png_image_begin_read_from_memory(&image, bytes.data(), bytes.size())) return;
  image.format = PNG_FORMAT_RGB;
  std::vector<uint8_t> rgb(PNG_IMAGE_SIZE(image));
  if (!png_image_finish_read(&image, nullptr, rgb.data(), 0, nullptr)) return;
  *width = static_cast<int>(image.width);
  *height = static_cast<int>(image.height);
}

TEST(ErrorGridTest, FindsTheFirstMisclassifiedInOrderUpToMax) {
  const Split split = GreySplit(30);
  std::vector<int32_t> predictions(30);
  for (int i = 0; i < 30; ++i) predictions[i] = i % 10;
  for (int i : {3, 8, 17, 25}) predictions[i] = (i + 1) % 10;
  const std::vector<Misclassified> errors = FindMisclassified(split, predictions, 3);
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(errors[0].index, 3u);
  EXPECT_EQ(errors[0].label, 3);
  EXPECT_EQ(errors[0].predicted, 4);
  EXPECT_EQ(errors[2].index, 17u);
  EXPECT_TRUE(FindMisclassified(split, std::vector<int32_t>(predictions.size(), 0), 0).empty());
}

TEST(ErrorGridTest, GridHasItsComputedSizeAndShowsEachImage) {
  const Split split = GreySplit(20);
  std::vector<Misclassified> errors;
  for (uint32_t i = 0; i < 11; ++i) errors.push_back(Misclassified{i + 5, 1, 2});
  const RgbImage grid = RenderErrorGrid(split.images, errors);
  int width = 0, height = 0;
  ErrorGridSize(11, 28, 28, &width, &height);
  EXPECT_EQ(grid.width, width);
  EXPECT_EQ(grid.height, height);
  int across = 0, down = 0;
  ErrorGridSize(8, 28, 28, &across, &down);
  EXPECT_EQ(across, width);  // 8 a row: 11 tiles are as wide as 8
  EXPECT_GT(height, down);   // and one row taller
  // Each grey level of the chosen images appears; labels add green and red.
  std::set<int> greys;
  bool green = false, red = false;
  for (size_t p = 0; p < grid.pixels.size(); p += 3) {
    const uint8_t r = grid.pixels[p], g = grid.pixels[p + 1], b = grid.pixels[p + 2];
    if (r == g && g == b) greys.insert(r);
    green |= g > r + 50;
    red |= r > g + 50;
  }
  for (int level = 5; level < 16; ++level) EXPECT_TRUE(greys.count(level)) << level;
  EXPECT_FALSE(greys.count(4));
  EXPECT_TRUE(green);
  EXPECT_TRUE(red);
}

// Ink pixels of `text` drawn at `scale`.
int InkPixels(const std::string& text, int scale) {
  int ink = 0;
  for (char c : text) {
    for (int y = 0; y < kGlyphHeight; ++y) {
      for (int x = 0; x < kGlyphWidth; ++x) ink += GlyphInk(c, x, y) ? scale * scale : 0;
    }
  }
  return ink;
}

// Each tile shows its image's index in the test set, in blue under T>P, so
// a user can find the image again (issue 15); five digits and more at half
// size, to fit the tile.
TEST(ErrorGridTest, EachTileShowsItsIndexInTheTestSet) {
  const Split split = GreySplit(12346);
  const std::vector<Misclassified> errors = {{7, 7, 1}, {1234, 4, 9}, {12345, 5, 0}};
  const RgbImage grid = RenderErrorGrid(split.images, errors);
  int blue = 0;
  for (size_t p = 0; p < grid.pixels.size(); p += 3) {
    blue += grid.pixels[p] == 40 && grid.pixels[p + 1] == 80 && grid.pixels[p + 2] == 200;
  }
  EXPECT_EQ(blue, InkPixels("TEST INDEX", 2) + InkPixels("7", 2) + InkPixels("1234", 2) +
                      InkPixels("12345", 1));
}

TEST(ErrorGridTest, EvalWritesAPngOfTheMisclassifiedDigits) {
  TempDir dir;
  testing::WriteSyntheticMnist(dir / "data", 600, 200, false);
  // Shift the first 20 test labels: a model that learned the data gets them wrong.
  std::string labels = testing::ReadFileOrDie(dir / "data/t10k-labels-idx1-ubyte");
  for (int i = 0; i < 20; ++i) labels[8 + i] = static_cast<char>((labels[8 + i] + 1) % 10);
  testing::WriteFileOrDie(dir / "data/t10k-labels-idx1-ubyte", labels);
  const std::string flags = " --threads 2 --data-dir " + (dir / "data") +
                            " --ckpt-dir " + (dir / "ckpt");
  std::string out;
  ASSERT_EQ(testing::RunMnist("--train --validation-size 0 --hidden 32 --epochs 2" + flags, &out), 0) << out;
  ASSERT_EQ(testing::RunMnist("--eval --errors " + (dir / "e.png") + " --max 12" + flags, &out), 0)
      << out;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(out, m, std::regex(R"(wrote (\d+) of (\d+) misclassified test images to \S+ \(true>predicted, then the index in the test set\))"))) << out;
  const int shown = std::stoi(m[1]);
  EXPECT_EQ(shown, 12);
  EXPECT_GE(std::stoi(m[2]), 12);
  int expected_width = 0, expected_height = 0, width = 0, height = 0;
  ErrorGridSize(static_cast<size_t>(shown), 28, 28, &expected_width, &expected_height);
  DecodedSize(testing::ReadFileOrDie(dir / "e.png"), &width, &height);
  EXPECT_EQ(width, expected_width);
  EXPECT_EQ(height, expected_height);
}

TEST(ErrorGridTest, EvalRejectsMaxBelowOne) {
  std::string out;
  EXPECT_EQ(testing::RunMnist("--eval --errors x.png --max 0", &out), 2);
  EXPECT_NE(out.find("--max 0"), std::string::npos) << out;
}

}  // namespace
}  // namespace mnist
