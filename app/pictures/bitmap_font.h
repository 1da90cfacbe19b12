// A tiny built-in bitmap font for labelling images: 5x7-pixel glyphs for the
// digits 0-9, '>', space, and the capitals of the legends "TRUE > PREDICTED"
// and "TEST INDEX".
// Other characters draw as blank. Glyphs are scaled by whole pixels, so text
// stays crisp in a PNG.
//
// Thread safety: pure functions; DrawText writes only the given image.
#ifndef MNIST_APP_PICTURES_BITMAP_FONT_H_
#define MNIST_APP_PICTURES_BITMAP_FONT_H_

#include <string>

#include "io/png/png_writer.h"

namespace mnist {

constexpr int kGlyphWidth = 5;
constexpr int kGlyphHeight = 7;

// True when pixel (x, y) of the glyph for `c` is ink; (0, 0) is top left.
bool GlyphInk(char c, int x, int y);

// Width in pixels of `text` drawn at `scale` (one scaled pixel between glyphs).
int TextWidth(const std::string& text, int scale);

// Draws `text` with its top-left corner at (x, y), each glyph pixel a
// scale x scale block of `color`; returns the x where a next glyph would go.
int DrawText(RgbImage* image, int x, int y, const std::string& text, int scale, Rgb color);

}  // namespace mnist

#endif  // MNIST_APP_PICTURES_BITMAP_FONT_H_
