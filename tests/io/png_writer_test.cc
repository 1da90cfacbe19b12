// Tests for io/png/png_writer.h: what it writes decodes with libpng to the same
// size and pixels; bad images are refused; the file is written crash-safe.
#include "io/png/png_writer.h"

#include <png.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "tests/support/test_util.h"

namespace mnist {
namespace {

// Decodes PNG bytes to RGB with libpng's simplified API.
bool DecodePng(const std::string& bytes, int* width, int* height, std::vector<uint8_t>* rgb) {
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_memory(&image, bytes.data(), bytes.size())) return false;
  image.format = PNG_FORMAT_RGB;
  rgb->resize(PNG_IMAGE_SIZE(image));
  if (!png_image_finish_read(&image, nullptr, rgb->data(), 0, nullptr)) return false;
  *width = static_cast<int>(image.width);
  *height = static_cast<int>(image.height);
  return true;
}

TEST(PngWriterTest, EncodedImageDecodesToTheSameSizeAndPixels) {
  RgbImage image(7, 3, Rgb{10, 20, 30});
  image.Set(0, 0, Rgb{255, 0, 0});
  image.Set(6, 2, Rgb{0, 255, 128});
  image.Set(7, 0, Rgb{1, 1, 1});  // outside: ignored
  StatusOr<std::string> bytes = EncodePng(image);
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  EXPECT_EQ(bytes->substr(1, 3), "PNG");
  int width = 0, height = 0;
  std::vector<uint8_t> rgb;
  ASSERT_TRUE(DecodePng(*bytes, &width, &height, &rgb));
  EXPECT_EQ(width, 7);
  EXPECT_EQ(height, 3);
  EXPECT_EQ(rgb, image.pixels);
}

TEST(PngWriterTest, RefusesEmptyAndMismatchedImages) {
  EXPECT_EQ(EncodePng(RgbImage(0, 5, Rgb{})).status().code(), Status::Code::kInvalidArgument);
  RgbImage short_buffer(4, 4, Rgb{});
  short_buffer.pixels.pop_back();
  EXPECT_EQ(EncodePng(short_buffer).status().code(), Status::Code::kInvalidArgument);
}

TEST(PngWriterTest, WritesTheFileAndNoTemporary) {
  testing::TempDir dir;
  ASSERT_TRUE(WritePngFile(dir / "a.png", RgbImage(5, 4, Rgb{200, 200, 200})).ok());
  int width = 0, height = 0;
  std::vector<uint8_t> rgb;
  ASSERT_TRUE(DecodePng(testing::ReadFileOrDie(dir / "a.png"), &width, &height, &rgb));
  EXPECT_EQ(width * height, 20);
  int files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir.path())) files += e.is_regular_file();
  EXPECT_EQ(files, 1);
  Status bad = WritePngFile(dir / "b.png", RgbImage(0, 0, Rgb{}));
  EXPECT_NE(bad.message().find(dir / "b.png"), std::string::npos) << bad.message();
}

}  // namespace
}  // namespace mnist
