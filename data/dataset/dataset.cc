#include "data/dataset/dataset.h"

#include "io/bundle/crc32c.h"
#include "io/base/file.h"
#include "io/base/gzip.h"

namespace mnist {

StatusOr<std::string> FindIdxFile(const std::string& dir, const std::string& stem) {
  std::string raw = dir + "/" + stem;
  if (FileExists(raw)) return raw;
  if (FileExists(raw + ".gz")) return raw + ".gz";
  return Status::NotFound(dir + ": neither " + stem + " nor " + stem + ".gz is there");
}

std::string BothCopiesNote(const std::string& dir, const std::vector<std::string>& stems) {
  std::vector<std::string> both;
  for (const std::string& stem : stems) {
    const std::string raw = dir + "/" + stem;
    if (FileExists(raw) && FileExists(raw + ".gz")) both.push_back(stem);
  }
  if (both.empty()) return "";
  std::string names = both[0];
  for (size_t i = 1; i < both.size(); ++i) names += (i + 1 == both.size() ? " and " : ", ") + both[i];
  return "note: " + dir + " holds " + names + " both raw and as .gz: reading the raw " +
         (both.size() == 1 ? "file" : "files");
}

bool HasMnistFiles(const std::string& dir) {
  for (const char* stem : {kTrainImagesStem, kTrainLabelsStem, kTestImagesStem, kTestLabelsStem}) {
    if (!FindIdxFile(dir, stem).ok()) return false;
  }
  return true;
}

std::string DefaultDataDir() {
  if (HasMnistFiles(kLocalMnistDir)) return kLocalMnistDir;
  return kDebianFashionMnistDir;
}

StatusOr<Split> LoadSplit(const std::string& dir, const std::string& images_stem,
                          const std::string& labels_stem, uint32_t input_size) {
  StatusOr<std::string> images_path = FindIdxFile(dir, images_stem);
  if (!images_path.ok()) return images_path.status();
  StatusOr<std::string> labels_path = FindIdxFile(dir, labels_stem);
  if (!labels_path.ok()) return labels_path.status();

  Split split;
  std::string bytes;
  MNIST_RETURN_IF_ERROR(ReadFileMaybeGzip(*images_path, &bytes));
  split.images_file = {static_cast<int64_t>(bytes.size()), crc32c::Value(bytes.data(), bytes.size())};
  StatusOr<IdxImages> images = ParseIdxImages(*images_path, std::move(bytes));
  if (!images.ok()) return images.status();
  bytes.clear();
  MNIST_RETURN_IF_ERROR(ReadFileMaybeGzip(*labels_path, &bytes));
  split.labels_file = {static_cast<int64_t>(bytes.size()), crc32c::Value(bytes.data(), bytes.size())};
  StatusOr<IdxLabels> labels = ParseIdxLabels(*labels_path, std::move(bytes));
  if (!labels.ok()) return labels.status();

  if (images->pixels_per_image() != input_size) {
    return Status::DataLoss(
        *images_path + ": images are " + std::to_string(images->rows) + " x " +
        std::to_string(images->cols) + " = " + std::to_string(images->pixels_per_image()) +
        " pixels, but the network takes " + std::to_string(input_size));
  }
  if (images->count != labels->count()) {
    return Status::DataLoss(*images_path + " holds " + std::to_string(images->count) +
                                   " images but " + *labels_path + " holds " +
                                   std::to_string(labels->count()) + " labels");
  }
  if (images->count == 0) return Status::DataLoss(*images_path + ": holds no images");
  split.images = std::move(*images);
  split.labels = std::move(*labels);
  return split;
}

StatusOr<Dataset> LoadDataset(const std::string& dir, uint32_t input_size) {
  if (!FileExists(dir)) return Status::NotFound(dir + ": data directory does not exist");
  StatusOr<Split> train = LoadSplit(dir, kTrainImagesStem, kTrainLabelsStem, input_size);
  if (!train.ok()) return train.status();
  StatusOr<Split> test = LoadSplit(dir, kTestImagesStem, kTestLabelsStem, input_size);
  if (!test.ok()) return test.status();
  if (train->images.rows != test->images.rows || train->images.cols != test->images.cols) {
    return Status::DataLoss(
        dir + ": training images are " + std::to_string(train->images.rows) + " x " +
        std::to_string(train->images.cols) + " but test images are " +
        std::to_string(test->images.rows) + " x " + std::to_string(test->images.cols));
  }
  Dataset d;
  d.train = std::move(*train);
  d.test = std::move(*test);
  return d;
}

std::array<int64_t, 8> Fingerprint(const Dataset& data) {
  std::array<int64_t, 8> flat{};
  const FileFingerprint files[] = {data.train.images_file, data.train.labels_file,
                                   data.test.images_file, data.test.labels_file};
  for (int i = 0; i < 4; ++i) {
    flat[2 * i] = files[i].bytes;
    flat[2 * i + 1] = files[i].crc32c;
  }
  return flat;
}

Status HoldOutValidation(uint32_t count, Dataset* data) {
  if (count == 0) return Status::Ok();
  Split& train = data->train;
  if (count >= train.size()) {
    return Status::InvalidArgument("cannot hold out " + std::to_string(count) +
                           " images: the data set has only " + std::to_string(train.size()) +
                           " training images, and some must remain to train on");
  }
  const size_t pixels = size_t{count} * train.images.pixels_per_image();
  Split& validation = data->validation;
  validation.images.rows = train.images.rows;
  validation.images.cols = train.images.cols;
  validation.images.count = count;
  validation.images.pixels = train.images.pixels.substr(0, pixels);
  validation.labels.labels = train.labels.labels.substr(0, count);
  train.images.pixels.erase(0, pixels);
  train.images.count -= count;
  train.labels.labels.erase(0, count);
  return Status::Ok();
}

}  // namespace mnist
