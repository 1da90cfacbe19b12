#include "app/modes/model_source.h"

#include <algorithm>

#include "checkpoints/saver/saver.h"
#include "checkpoints/state/checkpoint_state.h"
#include "checkpoints/state/naming.h"
#include "checkpoints/state/state_recovery.h"
#include "io/base/file.h"
#include "io/bundle/bundle_prefix.h"
#include "nn/network/dense_layers.h"

namespace mnist {

namespace {

// How often a candidate that vanished while it was read sends LoadFirstGood
// back to the state file (a --train pruning it meanwhile).
constexpr int kStateRereads = 2;

}  // namespace

StatusOr<std::vector<std::string>> CandidateCheckpoints(const ModelSource& source,
                                                        std::vector<std::string>* notes) {
  if (!source.checkpoint.empty()) {
    MNIST_RETURN_IF_ERROR(CheckBundlePrefix(source.checkpoint));
    return std::vector<std::string>{source.checkpoint};
  }
  StatusOr<CheckpointState> state = ReadCheckpointState(source.ckpt_dir, kBestStateFilename);
  if (IsDamagedStateFile(state.status())) {  // the checkpoints on disk instead, newest first
    std::vector<std::string> prefixes;
    for (const char* basename : {kResumeBasename, kBestBasename}) {
      for (const std::string& name : CompleteCheckpointsOnDisk(source.ckpt_dir, basename)) {
        prefixes.insert(prefixes.begin(), JoinPath(source.ckpt_dir, name));
      }
    }
    if (prefixes.empty()) {
      return state.status().WithContext("and no complete checkpoint is on disk in " +
                                        source.ckpt_dir);
    }
    if (notes != nullptr) {
      notes->push_back(state.status().message() + "; using the newest complete checkpoint on "
                       "disk whose CRCs pass");
    }
    return prefixes;
  }
  if (!state.ok()) {
    if (state.status().code() != Status::Code::kNotFound) return state.status();
    // A run stopped before it saved a best checkpoint leaves only the resume one.
    StatusOr<std::string> resume = LatestCheckpoint(source.ckpt_dir, kResumeStateFilename);
    if (resume.ok()) {
      return Status::NotFound(source.ckpt_dir + " holds no best checkpoint, only the resume checkpoint " + *resume +
                              " of a run stopped early; use it with --checkpoint " + *resume +
                              ", or continue training with mnist --train --resume --ckpt-dir " +
                              source.ckpt_dir);
    }
    // Named by what the user gave (the directory), not by the state file
    // inside it they never named.
    if (!FileExists(source.ckpt_dir)) {
      return Status::NotFound(source.ckpt_dir + ": no such folder; train first with mnist --train");
    }
    return Status::NotFound(source.ckpt_dir + " holds no checkpoint (no " + kBestStateFilename +
                            " file there); train first with mnist --train");
  }
  std::vector<std::string> prefixes;
  for (auto it = state->paths.rbegin(); it != state->paths.rend(); ++it) {
    prefixes.push_back(JoinPath(source.ckpt_dir, *it));
  }
  return prefixes;
}

bool IsDamage(const Status& status) {
  return status.code() == Status::Code::kNotFound || status.code() == Status::Code::kDataLoss ||
         status.code() == Status::Code::kIOError;
}

StatusOr<std::string> LoadFirstGood(const ModelSource& source,
                                    const std::function<Status(const std::string&)>& load,
                                    std::vector<std::string>* skipped) {
  StatusOr<std::vector<std::string>> candidates = CandidateCheckpoints(source, skipped);
  if (!candidates.ok()) return candidates.status();
  Status last_error;
  int rereads = 0;
  size_t i = 0;
  while (i < candidates->size()) {
    const std::string prefix = (*candidates)[i];
    last_error = load(prefix);
    if (last_error.ok()) return prefix;
    if (!IsDamage(last_error)) return last_error;
    if (source.checkpoint.empty() && rereads < kStateRereads) {
      // A candidate the state file no longer lists was pruned as we read it,
      // not damaged: start again from the list as it is now.
      StatusOr<std::vector<std::string>> now = CandidateCheckpoints(source);
      if (now.ok() && std::find(now->begin(), now->end(), prefix) == now->end()) {
        ++rereads;
        candidates = std::move(now);
        i = 0;
        continue;
      }
    }
    if (skipped != nullptr && i + 1 < candidates->size()) {
      skipped->push_back(prefix + " fails its checks: " + last_error.message() +
                         "; trying the next newest");
    }
    ++i;
  }
  return last_error;
}

Status WithSourceHint(const Status& status, const std::string& prefix, const ModelSource& source) {
  const bool ema = source.use_ema && status.code() == Status::Code::kFailedPrecondition;
  const bool tf_layout = source.var_map.empty() && status.code() == Status::Code::kDataLoss;
  if (!ema && !tf_layout) return status;  // no hint applies: the bundle is not read again
  StatusOr<std::unique_ptr<BundleReader>> reader = BundleReader::Open(prefix);
  if (!reader.ok()) return status;
  if (ema && !CheckHasEmaShadows(**reader).ok()) {
    return status.WithHint("its run was trained without --ema-decay, so --use-ema has nothing to restore",
                           ": ");
  }
  if (tf_layout && !(*reader)->Contains(NamedDenseLayer(0).kernel)) {
    return status.WithHint("name its logits node with --output");
  }
  return status;
}

StatusOr<LoadedModel> LoadLatestModel(const ModelSource& source,
                                      std::vector<std::string>* skipped) {
  LoadedModel loaded;
  RestoreOptions restore;
  restore.use_ema = source.use_ema;
  restore.var_map = source.var_map;
  StatusOr<std::string> prefix = LoadFirstGood(
      source,
      [&](const std::string& p) {
        StatusOr<std::unique_ptr<Mlp>> model = LoadModel(p, restore);
        if (!model.ok()) return WithSourceHint(model.status(), p, source);
        loaded.model = std::move(*model);
        return Status::Ok();
      },
      skipped);
  if (!prefix.ok()) return prefix.status();
  loaded.prefix = *prefix;
  return loaded;
}

}  // namespace mnist
