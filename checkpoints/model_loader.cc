#include "checkpoints/model_loader.h"

#include "checkpoints/checkpoint_state.h"
#include "checkpoints/naming.h"
#include "checkpoints/saver.h"
#include "io/bundle_format.h"
#include "io/file.h"

namespace mnist {

StatusOr<std::vector<std::string>> CandidateCheckpoints(const ModelSource& source) {
  if (!source.checkpoint.empty()) return std::vector<std::string>{source.checkpoint};
  StatusOr<CheckpointState> state = ReadCheckpointState(source.ckpt_dir, kBestStateFilename);
  if (!state.ok()) {
    if (state.status().code() == Status::Code::kNotFound) {
      return Status::NotFound(state.status().message() + " (no " + kBestStateFilename +
                              " file in " + source.ckpt_dir + "; train first with mnist --train)");
    }
    return state.status();
  }
  std::vector<std::string> prefixes;
  for (auto it = state->paths.rbegin(); it != state->paths.rend(); ++it) {
    prefixes.push_back(JoinPath(source.ckpt_dir, *it));
  }
  return prefixes;
}

StatusOr<std::string> LoadFirstGood(const ModelSource& source,
                                    const std::function<Status(const std::string&)>& load,
                                    std::vector<std::string>* skipped) {
  StatusOr<std::vector<std::string>> candidates = CandidateCheckpoints(source);
  if (!candidates.ok()) return candidates.status();
  Status last_error;
  for (const std::string& prefix : *candidates) {
    last_error = load(prefix);
    if (last_error.ok()) return prefix;
    if (last_error.code() == Status::Code::kBadFlag) return last_error;
    if (skipped != nullptr && &prefix != &candidates->back()) {
      skipped->push_back(prefix + " fails its checks: " + last_error.ToString() +
                         "; trying the next newest");
    }
  }
  return last_error;
}

StatusOr<std::unique_ptr<Mlp>> LoadModel(const std::string& prefix, const ModelSource& source) {
  if (!FileExists(IndexFilename(prefix))) {
    if (FileExists(prefix)) {
      return Status::InvalidArgument(prefix +
                                     ": a TensorFlow V1 checkpoint (no .index), which "
                                     "is not supported; re-save it in the V2 format");
    }
    return Status::NotFound(IndexFilename(prefix) + ": no such file");
  }
  StatusOr<std::vector<int>> sizes = CheckpointLayerSizes(prefix, source.var_map);
  if (!sizes.ok()) return sizes.status();
  auto model = std::make_unique<Mlp>(*sizes);
  TrainingState state{model.get(), nullptr, nullptr, TrainProgress{}};
  RestoreOptions restore;
  restore.use_ema = source.use_ema;
  restore.var_map = source.var_map;
  MNIST_RETURN_IF_ERROR(RestoreCheckpoint(prefix, restore, &state));
  return model;
}

StatusOr<LoadedModel> LoadLatestModel(const ModelSource& source) {
  LoadedModel loaded;
  StatusOr<std::string> prefix = LoadFirstGood(
      source,
      [&](const std::string& p) {
        StatusOr<std::unique_ptr<Mlp>> model = LoadModel(p, source);
        if (!model.ok()) return model.status();
        loaded.model = std::move(*model);
        return Status::Ok();
      },
      &loaded.skipped);
  if (!prefix.ok()) return prefix.status();
  loaded.prefix = *prefix;
  return loaded;
}

}  // namespace mnist
