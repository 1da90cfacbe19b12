#include "data/dataset.h"

#include "io/file.h"

namespace mnist {

StatusOr<std::string> FindIdxFile(const std::string& dir, const std::string& stem) {
  std::string raw = dir + "/" + stem;
  if (FileExists(raw)) return raw;
  if (FileExists(raw + ".gz")) return raw + ".gz";
  return Status::NotFound(dir + ": neither " + stem + " nor " + stem + ".gz is there");
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

  StatusOr<IdxImages> images = ReadIdxImages(*images_path);
  if (!images.ok()) return images.status();
  StatusOr<IdxLabels> labels = ReadIdxLabels(*labels_path);
  if (!labels.ok()) return labels.status();

  if (images->pixels_per_image() != input_size) {
    return Status::InvalidArgument(
        *images_path + ": images are " + std::to_string(images->rows) + " x " +
        std::to_string(images->cols) + " = " + std::to_string(images->pixels_per_image()) +
        " pixels, but the network takes " + std::to_string(input_size));
  }
  if (images->count != labels->count()) {
    return Status::InvalidArgument(*images_path + " holds " + std::to_string(images->count) +
                                   " images but " + *labels_path + " holds " +
                                   std::to_string(labels->count()) + " labels");
  }
  if (images->count == 0) return Status::InvalidArgument(*images_path + ": holds no images");
  Split split;
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
    return Status::InvalidArgument(
        dir + ": training images are " + std::to_string(train->images.rows) + " x " +
        std::to_string(train->images.cols) + " but test images are " +
        std::to_string(test->images.rows) + " x " + std::to_string(test->images.cols));
  }
  Dataset d;
  d.train = std::move(*train);
  d.test = std::move(*test);
  return d;
}

}  // namespace mnist
