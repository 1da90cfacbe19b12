// Tests for app/pictures/bitmap_font.h: every digit has its own glyph, and drawn text
// stays inside the box TextWidth and the scale give it.
#include "app/pictures/bitmap_font.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

namespace mnist {
namespace {

std::string Bits(char c) {
  std::string bits;
  for (int y = 0; y < kGlyphHeight; ++y) {
    for (int x = 0; x < kGlyphWidth; ++x) bits += GlyphInk(c, x, y) ? '#' : '.';
  }
  return bits;
}

TEST(BitmapFontTest, EachDigitAndLegendCharacterHasItsOwnGlyph) {
  std::set<std::string> seen;
  for (char c : std::string("0123456789>CDEINPRSTUX")) {
    const std::string bits = Bits(c);
    EXPECT_NE(bits.find('#'), std::string::npos) << c << " is blank";
    EXPECT_TRUE(seen.insert(bits).second) << c << " looks like another glyph";
  }
  EXPECT_EQ(Bits(' ').find('#'), std::string::npos);
  EXPECT_EQ(Bits('?').find('#'), std::string::npos);  // no glyph: blank
}

TEST(BitmapFontTest, DrawnTextFitsItsBox) {
  const Rgb ink{255, 0, 0};
  RgbImage image(80, 30, Rgb{0, 0, 0});
  const int scale = 2;
  const int next = DrawText(&image, 5, 3, "7>2", scale, ink);
  EXPECT_EQ(next, 5 + 3 * (kGlyphWidth + 1) * scale);
  int min_x = 1000, max_x = -1, min_y = 1000, max_y = -1;
  for (int y = 0; y < image.height; ++y) {
    for (int x = 0; x < image.width; ++x) {
      if (image.pixels[(y * image.width + x) * 3] == 0) continue;
      min_x = std::min(min_x, x), max_x = std::max(max_x, x);
      min_y = std::min(min_y, y), max_y = std::max(max_y, y);
    }
  }
  EXPECT_EQ(min_x, 5);
  EXPECT_EQ(max_x, 5 + TextWidth("7>2", scale) - 1);
  EXPECT_EQ(min_y, 3);
  EXPECT_EQ(max_y, 3 + kGlyphHeight * scale - 1);
}

}  // namespace
}  // namespace mnist
