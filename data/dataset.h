// An MNIST-format data set: training and test images with their labels.
//
// Loaded from a directory holding the four standard IDX names, each with or
// without `.gz`. Loading checks what the network needs on top of what the
// IDX reader checks: image and label counts agree, train and test images have
// the same size, and that size is the network's input width.
#ifndef MNIST_DATA_DATASET_H_
#define MNIST_DATA_DATASET_H_

#include <string>

#include "io/idx_reader.h"
#include "io/status.h"

namespace mnist {

// The four standard file stems; `.gz` may follow each.
constexpr const char* kTrainImagesStem = "train-images-idx3-ubyte";
constexpr const char* kTrainLabelsStem = "train-labels-idx1-ubyte";
constexpr const char* kTestImagesStem = "t10k-images-idx3-ubyte";
constexpr const char* kTestLabelsStem = "t10k-labels-idx1-ubyte";

// What the network reads and tells apart: 28x28 images of 10 classes.
constexpr int kImagePixels = 28 * 28;
constexpr int kNumClasses = 10;

// Where Debian's dataset-fashion-mnist package installs Fashion-MNIST.
constexpr const char* kDebianFashionMnistDir = "/usr/share/datasets/fashion-mnist";
// Checked first when no --data-dir is given.
constexpr const char* kLocalMnistDir = "data/mnist";

// Images with one label each.
struct Split {
  IdxImages images;
  IdxLabels labels;
  uint32_t size() const { return images.count; }
};

struct Dataset {
  Split train;
  Split test;
};

// The path of `stem` in `dir`: the raw name if present, else `stem.gz`.
// NotFound naming both candidates when neither exists.
StatusOr<std::string> FindIdxFile(const std::string& dir, const std::string& stem);

// True when `dir` holds all four files (raw or gzip).
bool HasMnistFiles(const std::string& dir);

// `./data/mnist` when it holds the files, otherwise Debian's Fashion-MNIST.
std::string DefaultDataDir();

// Loads one split; `input_size` is the pixels per image the network takes.
StatusOr<Split> LoadSplit(const std::string& dir, const std::string& images_stem,
                          const std::string& labels_stem, uint32_t input_size);

// Loads and cross-checks both splits of `dir`.
StatusOr<Dataset> LoadDataset(const std::string& dir, uint32_t input_size);

}  // namespace mnist

#endif  // MNIST_DATA_DATASET_H_
