// An MNIST-format data set: training and test images with their labels.
//
// Loaded from a directory holding the four standard IDX names, each with or
// without `.gz`. Loading checks what the network needs on top of what the
// IDX reader checks: image and label counts agree, train and test images have
// the same size, and that size is the network's input width.
#ifndef MNIST_DATA_DATASET_DATASET_H_
#define MNIST_DATA_DATASET_DATASET_H_

#include <array>
#include <string>
#include <vector>

#include "io/idx/idx_reader.h"
#include "io/base/status.h"

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

// What identifies a file's contents: the size and CRC32C of its bytes after
// decompression (so a gzip and a raw copy of one file agree).
struct FileFingerprint {
  int64_t bytes = 0;
  uint32_t crc32c = 0;
  bool operator==(const FileFingerprint& o) const { return bytes == o.bytes && crc32c == o.crc32c; }
};

// Images with one label each.
struct Split {
  IdxImages images;
  IdxLabels labels;
  FileFingerprint images_file;  // of the files they were read from
  FileFingerprint labels_file;
  uint32_t size() const { return images.count; }
};

struct Dataset {
  Split train;
  Split test;
  Split validation;  // held out of the training files (HoldOutValidation); empty by default
};

// The four files' fingerprints, flat: bytes and CRC32C of the train images,
// train labels, test images and test labels, as checkpoints record them
// (checkpoints/saver/checkpoint_contents.h, train_state/data_fingerprint).
constexpr const char* kDataFileStems[] = {kTrainImagesStem, kTrainLabelsStem, kTestImagesStem,
                                          kTestLabelsStem};
std::array<int64_t, 8> Fingerprint(const Dataset& data);

// Moves the first `count` training images (and labels) into data->validation,
// as TensorFlow's read_data_sets(validation_size=5000) holds them out; 0
// leaves the data as it is. InvalidArgument when `count` leaves no
// training image.
Status HoldOutValidation(uint32_t count, Dataset* data);

// The path of `stem` in `dir`: the raw name if present, else `stem.gz`.
// NotFound naming both candidates when neither exists.
StatusOr<std::string> FindIdxFile(const std::string& dir, const std::string& stem);

// When both `stem` and `stem.gz` are in `dir` the raw one is read (a user who
// ran `gunzip -k` made it last). For the `stems` where that happens:
// "note: DIR holds A and B both raw and as .gz: reading the raw files";
// "" when it happens for none.
std::string BothCopiesNote(const std::string& dir, const std::vector<std::string>& stems);

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

#endif  // MNIST_DATA_DATASET_DATASET_H_
