// PNG files from 8-bit RGB images, through Debian's libpng.
//
// The image is encoded in memory and then written with WriteFileAtomically
// (io/base/file.h), so a crash or a full disk never leaves a half-written PNG
// under the final name. libpng reports errors by longjmp; that is caught
// inside this unit and turned into a Status.
//
// Thread safety: free functions over caller-owned images.
#ifndef MNIST_IO_PNG_PNG_WRITER_H_
#define MNIST_IO_PNG_PNG_WRITER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "io/base/status.h"

namespace mnist {

struct Rgb {
  uint8_t r = 0, g = 0, b = 0;
};

// width x height pixels, row after row, 3 bytes (r, g, b) a pixel.
struct RgbImage {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> pixels;

  // A width x height image filled with `background`.
  RgbImage(int w, int h, Rgb background);
  // Sets pixel (x, y); points outside the image are ignored.
  void Set(int x, int y, Rgb color);
};

// Largest width or height EncodePng accepts.
constexpr int kMaxPngSide = 1 << 15;

// The PNG file bytes of `image` (8-bit RGB, no interlacing). InvalidArgument
// for an empty or oversized image.
StatusOr<std::string> EncodePng(const RgbImage& image);

// Encodes `image` and writes it to `path` crash-safe.
Status WritePngFile(const std::string& path, const RgbImage& image);

}  // namespace mnist

#endif  // MNIST_IO_PNG_PNG_WRITER_H_
