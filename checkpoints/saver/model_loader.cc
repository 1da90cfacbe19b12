#include "checkpoints/saver/model_loader.h"

namespace mnist {

StatusOr<std::unique_ptr<Mlp>> LoadModel(const std::string& prefix, const RestoreOptions& options) {
  StatusOr<std::unique_ptr<BundleReader>> reader = BundleReader::Open(prefix);
  if (!reader.ok()) return reader.status();
  StatusOr<std::vector<int>> sizes = CheckpointLayerSizes(**reader, options.var_map);
  if (!sizes.ok()) return sizes.status();
  auto model = std::make_unique<Mlp>(*sizes);
  TrainingState state{model.get(), nullptr, nullptr, TrainProgress{}, RunSettings{}};
  RestoreOptions restore = options;
  restore.training = false;
  MNIST_RETURN_IF_ERROR(RestoreCheckpoint(**reader, restore, &state));
  return model;
}

}  // namespace mnist
