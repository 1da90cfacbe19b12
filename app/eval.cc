#include "app/eval.h"

#include <memory>
#include <vector>

#include "app/error_grid.h"
#include "app/evaluate.h"
#include "checkpoints/checkpoint_state.h"
#include "checkpoints/naming.h"
#include "checkpoints/saver.h"
#include "data/dataset.h"
#include "io/bundle_format.h"
#include "io/file.h"

namespace mnist {
namespace {

// Newest first: the checkpoints --eval may use.
StatusOr<std::vector<std::string>> Candidates(const EvalOptions& options) {
  if (!options.checkpoint.empty()) return std::vector<std::string>{options.checkpoint};
  StatusOr<CheckpointState> state = ReadCheckpointState(options.ckpt_dir, kBestStateFilename);
  if (!state.ok()) {
    if (state.status().code() == Status::Code::kNotFound) {
      return Status::NotFound(state.status().message() + " (no " + kBestStateFilename + " file in " +
                              options.ckpt_dir + "; train first with mnist --train)");
    }
    return state.status();
  }
  std::vector<std::string> prefixes;
  for (auto it = state->paths.rbegin(); it != state->paths.rend(); ++it) {
    prefixes.push_back(JoinPath(options.ckpt_dir, *it));
  }
  return prefixes;
}

// Rebuilds the network saved under `prefix` and restores its variables.
StatusOr<std::unique_ptr<Mlp>> Load(const std::string& prefix, const EvalOptions& options) {
  if (!FileExists(IndexFilename(prefix))) {
    if (FileExists(prefix)) {
      return Status::InvalidArgument(prefix + ": a TensorFlow V1 checkpoint (no .index), which "
                                     "is not supported; re-save it in the V2 format");
    }
    return Status::NotFound(IndexFilename(prefix) + ": no such file");
  }
  StatusOr<std::vector<int>> sizes = CheckpointLayerSizes(prefix);
  if (!sizes.ok()) return sizes.status();
  auto model = std::make_unique<Mlp>(*sizes);
  TrainingState state{model.get(), nullptr, nullptr, TrainProgress{}};
  RestoreOptions restore;
  restore.use_ema = options.use_ema;
  restore.var_map = options.var_map;
  MNIST_RETURN_IF_ERROR(RestoreCheckpoint(prefix, restore, &state));
  return model;
}

}  // namespace

Status RunEval(const EvalOptions& options, FILE* out, FILE* err) {
  StatusOr<std::vector<std::string>> candidates = Candidates(options);
  if (!candidates.ok()) return candidates.status();
  std::unique_ptr<Mlp> model;
  std::string restored;
  Status last_error;
  for (const std::string& prefix : *candidates) {
    StatusOr<std::unique_ptr<Mlp>> loaded = Load(prefix, options);
    if (loaded.ok()) {
      model = std::move(*loaded);
      restored = prefix;
      break;
    }
    last_error = loaded.status();
    if (&prefix != &candidates->back()) {
      std::fprintf(err, "mnist: %s fails its checks: %s; trying the next newest\n", prefix.c_str(),
                   loaded.status().ToString().c_str());
    }
  }
  if (!model) return last_error;
  std::fprintf(out, "restored %s%s\n", restored.c_str(), options.use_ema ? " (EMA shadows)" : "");

  const std::string data_dir = options.data_dir.empty() ? DefaultDataDir() : options.data_dir;
  StatusOr<Split> test = LoadSplit(data_dir, kTestImagesStem, kTestLabelsStem,
                                   static_cast<uint32_t>(model->input_size()));
  if (!test.ok()) return test.status();
  const EvalResult result = Evaluate(model.get(), *test);
  std::fprintf(out, "val_loss:%f, val_acc:%f\n", result.loss, result.accuracy);
  std::fputs(FormatConfusion(result).c_str(), out);
  if (options.errors_png.empty()) return Status::Ok();
  return WriteErrorGrid(options.errors_png, *test, result.predictions, options.max_errors, out);
}

}  // namespace mnist
