// Which checkpoint a command works on, and the network restored from it.
//
// `--checkpoint PREFIX` names one checkpoint; otherwise the candidates are
// those the `checkpoint` state file of `--ckpt-dir` lists, newest first
// (tf.train.latest_checkpoint, then the older ones). A candidate that fails
// its checks (a missing file, a CRC mismatch, a bad shape) is skipped with a
// note naming it and the next newest is tried, so --eval, --freeze and
// --export-onnx all pick the same checkpoint the same way.
//
// Thread safety: free functions with no shared state.
#ifndef MNIST_CHECKPOINTS_MODEL_LOADER_H_
#define MNIST_CHECKPOINTS_MODEL_LOADER_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "io/status.h"
#include "nn/mlp.h"

namespace mnist {

// Where the model comes from and how to restore it (the flags --ckpt-dir,
// --checkpoint, --use-ema and --var-map).
struct ModelSource {
  std::string ckpt_dir = "ckpt";               // read through its `checkpoint` state file
  std::string checkpoint;                      // a prefix; overrides ckpt_dir when set
  bool use_ema = false;                        // restore the ExponentialMovingAverage shadows
  std::map<std::string, std::string> var_map;  // checkpoint name -> model name
};

// The prefixes to try, newest first. NotFound (saying to train first) when
// the directory has no state file.
StatusOr<std::vector<std::string>> CandidateCheckpoints(const ModelSource& source);

// Calls `load(prefix)` on each candidate, newest first, until one returns OK,
// and returns that prefix; the last error when none does. Every failure
// before the success is described in `skipped` (if given), one line each.
// A BadFlag error is returned at once: an older checkpoint cannot mend a flag.
StatusOr<std::string> LoadFirstGood(const ModelSource& source,
                                    const std::function<Status(const std::string&)>& load,
                                    std::vector<std::string>* skipped);

// Rebuilds the network saved under `prefix` (layer sizes from its .meta, or
// from the kernels' shapes) and restores its variables. A V1 checkpoint is
// InvalidArgument, a missing `.index` NotFound.
StatusOr<std::unique_ptr<Mlp>> LoadModel(const std::string& prefix, const ModelSource& source);

struct LoadedModel {
  std::string prefix;                // the checkpoint restored
  std::unique_ptr<Mlp> model;        // its network, variables restored
  std::vector<std::string> skipped;  // newer candidates that failed, and why
};

// LoadModel on the newest candidate that loads.
StatusOr<LoadedModel> LoadLatestModel(const ModelSource& source);

}  // namespace mnist

#endif  // MNIST_CHECKPOINTS_MODEL_LOADER_H_
