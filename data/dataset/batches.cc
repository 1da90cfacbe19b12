#include "data/dataset/batches.h"

#include <cmath>
#include <cstdio>
#include <cstring>

#include "nn/network/rng.h"

namespace mnist {

std::vector<uint32_t> EpochOrder(uint32_t n, uint64_t seed, int64_t epoch) {
  std::vector<uint32_t> order(n);
  for (uint32_t i = 0; i < n; ++i) order[i] = i;
  Rng rng(seed, /*stream=*/static_cast<uint64_t>(epoch));
  for (uint32_t i = n; i > 1; --i) {
    uint32_t j = static_cast<uint32_t>(rng.UniformInt(i));
    std::swap(order[i - 1], order[j]);
  }
  return order;
}

std::string PixelScaleText(float scale) {
  const double k = std::round(1.0 / static_cast<double>(scale));
  if (scale < 1.0f && k > 1.0 && k < 1e9 && 1.0f / static_cast<float>(k) == scale) {
    return "1/" + std::to_string(static_cast<int64_t>(k));
  }
  char text[32];
  std::snprintf(text, sizeof(text), "%g", static_cast<double>(scale));
  return text;
}

void FillImages(const IdxImages& images, const uint32_t* order, int64_t begin, int64_t end, float* x,
                float pixel_scale) {
  const uint32_t width = images.pixels_per_image();
#pragma omp parallel for schedule(static)
  for (int64_t k = begin; k < end; ++k) {
    const uint8_t* src = images.image(order ? order[k] : static_cast<uint32_t>(k));
    float* dst = x + (k - begin) * width;
    for (uint32_t p = 0; p < width; ++p) dst[p] = static_cast<float>(src[p]) * pixel_scale;
  }
}

void FillBatch(const Split& split, const uint32_t* order, int64_t begin, int64_t end, float* x,
               int32_t* labels, float pixel_scale) {
  FillImages(split.images, order, begin, end, x, pixel_scale);
  for (int64_t k = begin; k < end; ++k) {
    labels[k - begin] = split.labels.label(order ? order[k] : static_cast<uint32_t>(k));
  }
}

}  // namespace mnist
