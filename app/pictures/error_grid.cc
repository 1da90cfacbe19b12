#include "app/pictures/error_grid.h"

#include <algorithm>

#include "app/pictures/bitmap_font.h"

namespace mnist {
namespace {

// Layout in pixels.
constexpr int kZoom = 2;       // image pixels -> PNG pixels
constexpr int kFontScale = 2;  // 5x7 glyphs drawn 10x14
constexpr int kMargin = 10;    // around the whole grid
constexpr int kGap = 10;       // between tiles
constexpr int kLabelGap = 4;   // between an image and its label
constexpr int kLabelHeight = kGlyphHeight * kFontScale;
constexpr int kLegendHeight = kGlyphHeight * kFontScale + 12;  // legend line and space below

constexpr Rgb kBackground{255, 255, 255};
constexpr Rgb kTrueColor{20, 130, 50};
constexpr Rgb kPredictedColor{205, 30, 40};
constexpr Rgb kArrowColor{110, 110, 110};
constexpr Rgb kIndexColor{40, 80, 200};

constexpr char kIndexLegend[] = "  TEST INDEX";

int TileWidth(int cols) { return cols * kZoom; }
// The image, its "T>P" line and its index line.
int TileHeight(int rows) { return rows * kZoom + 2 * (kLabelGap + kLabelHeight); }

// Draws `label`>`predicted`, centred under the tile whose left edge is `x`.
void DrawTileLabel(RgbImage* grid, int x, int y, int tile_width, const Misclassified& e) {
  const std::string truth = std::to_string(e.label), predicted = std::to_string(e.predicted);
  const int width = TextWidth(truth + ">" + predicted, kFontScale);
  x += (tile_width - width) / 2;
  x = DrawText(grid, x, y, truth, kFontScale, kTrueColor);
  x = DrawText(grid, x, y, ">", kFontScale, kArrowColor);
  DrawText(grid, x, y, predicted, kFontScale, kPredictedColor);
}

// Draws the example's index in the test set, centred under its label line;
// at half size when it would be wider than the tile (five digits and more).
void DrawTileIndex(RgbImage* grid, int x, int y, int tile_width, const Misclassified& e) {
  const std::string index = std::to_string(e.index);
  const int scale = TextWidth(index, kFontScale) <= tile_width ? kFontScale : 1;
  DrawText(grid, x + (tile_width - TextWidth(index, scale)) / 2, y, index, scale, kIndexColor);
}

}  // namespace

std::vector<Misclassified> FindMisclassified(const Split& split,
                                             const std::vector<int32_t>& predictions, size_t max) {
  std::vector<Misclassified> errors;
  for (uint32_t i = 0; i < split.size() && errors.size() < max; ++i) {
    if (predictions[i] != split.labels.label(i)) {
      errors.push_back(Misclassified{i, split.labels.label(i), predictions[i]});
    }
  }
  return errors;
}

void ErrorGridSize(size_t tiles, int rows, int cols, int* width, int* height) {
  const int across = static_cast<int>(std::min<size_t>(tiles, kErrorGridColumns));
  const int down = static_cast<int>((tiles + kErrorGridColumns - 1) / kErrorGridColumns);
  *width = 2 * kMargin + across * TileWidth(cols) + (across - 1) * kGap;
  *width = std::max(*width, 2 * kMargin + TextWidth(std::string("TRUE > PREDICTED") + kIndexLegend,
                                                    kFontScale));
  *height = 2 * kMargin + kLegendHeight + down * TileHeight(rows) + (down - 1) * kGap;
}

RgbImage RenderErrorGrid(const IdxImages& images, const std::vector<Misclassified>& errors) {
  const int rows = static_cast<int>(images.rows), cols = static_cast<int>(images.cols);
  int width = 0, height = 0;
  ErrorGridSize(errors.size(), rows, cols, &width, &height);
  RgbImage grid(width, height, kBackground);

  int x = DrawText(&grid, kMargin, kMargin, "TRUE", kFontScale, kTrueColor);
  x = DrawText(&grid, x, kMargin, " > ", kFontScale, kArrowColor);
  x = DrawText(&grid, x, kMargin, "PREDICTED", kFontScale, kPredictedColor);
  DrawText(&grid, x, kMargin, kIndexLegend, kFontScale, kIndexColor);

  for (size_t t = 0; t < errors.size(); ++t) {
    const int left = kMargin + static_cast<int>(t % kErrorGridColumns) * (TileWidth(cols) + kGap);
    const int top = kMargin + kLegendHeight +
                    static_cast<int>(t / kErrorGridColumns) * (TileHeight(rows) + kGap);
    const uint8_t* pixels = images.image(errors[t].index);
    for (int r = 0; r < rows * kZoom; ++r) {
      for (int c = 0; c < cols * kZoom; ++c) {
        const uint8_t v = pixels[(r / kZoom) * cols + c / kZoom];
        grid.Set(left + c, top + r, Rgb{v, v, v});
      }
    }
    const int label_top = top + rows * kZoom + kLabelGap;
    DrawTileLabel(&grid, left, label_top, TileWidth(cols), errors[t]);
    DrawTileIndex(&grid, left, label_top + kLabelHeight + kLabelGap, TileWidth(cols), errors[t]);
  }
  return grid;
}

Status WriteErrorGrid(const std::string& path, const Split& split,
                      const std::vector<int32_t>& predictions, int max, FILE* out) {
  const std::vector<Misclassified> errors =
      FindMisclassified(split, predictions, static_cast<size_t>(max));
  if (errors.empty()) {
    std::fprintf(out, "no misclassified test images; %s not written\n", path.c_str());
    return Status::Ok();
  }
  size_t total = 0;
  for (uint32_t i = 0; i < split.size(); ++i) total += predictions[i] != split.labels.label(i);
  MNIST_RETURN_IF_ERROR(WritePngFile(path, RenderErrorGrid(split.images, errors)));
  std::fprintf(out, "wrote %zu of %zu misclassified test images to %s (true>predicted, then "
               "the index in the test set)\n",
               errors.size(), total, path.c_str());
  return Status::Ok();
}

}  // namespace mnist
