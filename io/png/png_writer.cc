#include "io/png/png_writer.h"

#include <png.h>

#include <csetjmp>
#include <cstdio>

#include "io/base/file.h"

namespace mnist {
namespace {

// What libpng's callbacks see: where the bytes go and the first error.
struct PngSink {
  std::string* bytes;
  char error[256];
};

void OnWrite(png_structp png, png_bytep data, png_size_t n) {
  auto* sink = static_cast<PngSink*>(png_get_io_ptr(png));
  sink->bytes->append(reinterpret_cast<const char*>(data), n);
}

void OnFlush(png_structp) {}

[[noreturn]] void OnError(png_structp png, png_const_charp message) {
  auto* sink = static_cast<PngSink*>(png_get_error_ptr(png));
  std::snprintf(sink->error, sizeof(sink->error), "%s", message);
  png_longjmp(png, 1);
}

void OnWarning(png_structp, png_const_charp) {}

// The libpng calls, alone in their frame: a longjmp back to the setjmp here
// skips no C++ destructors. False when libpng reported an error.
bool WriteImage(png_structp png, png_infop info, const RgbImage& image, png_bytep* rows) {
  if (setjmp(png_jmpbuf(png))) return false;
  png_set_IHDR(png, info, static_cast<png_uint_32>(image.width),
               static_cast<png_uint_32>(image.height), 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  png_write_image(png, rows);
  png_write_end(png, nullptr);
  return true;
}

}  // namespace

RgbImage::RgbImage(int w, int h, Rgb background)
    : width(w), height(h),
      pixels(w > 0 && h > 0 ? static_cast<size_t>(w) * static_cast<size_t>(h) * 3 : 0) {
  for (size_t i = 0; i < pixels.size(); i += 3) {
    pixels[i] = background.r;
    pixels[i + 1] = background.g;
    pixels[i + 2] = background.b;
  }
}

void RgbImage::Set(int x, int y, Rgb color) {
  if (x < 0 || y < 0 || x >= width || y >= height) return;
  uint8_t* p = &pixels[(static_cast<size_t>(y) * width + x) * 3];
  p[0] = color.r;
  p[1] = color.g;
  p[2] = color.b;
}

StatusOr<std::string> EncodePng(const RgbImage& image) {
  if (image.width < 1 || image.height < 1 || image.width > kMaxPngSide ||
      image.height > kMaxPngSide ||
      image.pixels.size() != static_cast<size_t>(image.width) * image.height * 3) {
    return Status::InvalidArgument("PNG image of " + std::to_string(image.width) + " x " +
                                   std::to_string(image.height) + " with " +
                                   std::to_string(image.pixels.size()) +
                                   " bytes: sides must be 1.." + std::to_string(kMaxPngSide) +
                                   " and the bytes 3 per pixel");
  }
  std::string bytes;
  PngSink sink{&bytes, {0}};
  std::vector<png_bytep> rows(static_cast<size_t>(image.height));
  for (int y = 0; y < image.height; ++y) {
    rows[y] = const_cast<png_bytep>(&image.pixels[static_cast<size_t>(y) * image.width * 3]);
  }
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &sink, OnError, OnWarning);
  if (png == nullptr) return Status::IOError("libpng: cannot create a write struct");
  png_infop info = png_create_info_struct(png);
  if (info == nullptr) {
    png_destroy_write_struct(&png, nullptr);
    return Status::IOError("libpng: cannot create an info struct");
  }
  png_set_write_fn(png, &sink, OnWrite, OnFlush);
  const bool ok = WriteImage(png, info, image, rows.data());
  png_destroy_write_struct(&png, &info);
  if (!ok) return Status::IOError(std::string("libpng: ") + sink.error);
  return bytes;
}

Status WritePngFile(const std::string& path, const RgbImage& image) {
  StatusOr<std::string> bytes = EncodePng(image);
  if (!bytes.ok()) return bytes.status().WithContext(path);
  return WriteFileAtomically(path, *bytes);
}

}  // namespace mnist
