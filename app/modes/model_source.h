// Which checkpoint a command works on, and the network restored from it.
//
// `--checkpoint PREFIX` names one checkpoint; otherwise the candidates are
// those the `checkpoint` state file of `--ckpt-dir` lists, newest first
// (tf.train.latest_checkpoint, then the older ones). A candidate whose files
// are damaged (missing, truncated or corrupt: a CRC mismatch, shapes that do
// not chain) is skipped with a note naming it and the next newest is tried,
// so --eval, --freeze and --export-onnx all pick the same checkpoint the same
// way. A request that does not fit (a node name that is not there, a
// --var-map or --use-ema the checkpoint cannot serve) would fail on every
// candidate alike: it is reported against the first one, never skipped. A
// candidate that fails because a --train pruned it meanwhile (the state file,
// read again, no longer lists it) is not damage: the state file's new list
// is tried instead, up to twice. checkpoints/ only loads the prefix it is
// given (checkpoints/saver/model_loader.h); the flags to use are said here.
//
// Thread safety: free functions with no shared state.
#ifndef MNIST_APP_MODES_MODEL_SOURCE_H_
#define MNIST_APP_MODES_MODEL_SOURCE_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "checkpoints/saver/model_loader.h"
#include "io/base/status.h"
#include "nn/network/mlp.h"

namespace mnist {

// Where the model comes from and how to restore it (the flags --ckpt-dir,
// --checkpoint, --use-ema and --var-map).
struct ModelSource {
  std::string ckpt_dir = "ckpt";               // read through its `checkpoint` state file
  std::string checkpoint;                      // a prefix; overrides ckpt_dir when set
  bool use_ema = false;                        // restore the ExponentialMovingAverage shadows
  std::map<std::string, std::string> var_map;  // checkpoint name -> model name
};

// The prefixes to try, newest first. NotFound when the directory has no
// state file: saying to train first, or, when it holds a resume checkpoint
// (last.ckpt-N, a run stopped before its first best one), how to use that. A --checkpoint that is no prefix (a
// directory, a checkpoint's .index or .data file) is InvalidArgument saying
// what to give instead (io/bundle/bundle_prefix.h).
// A damaged `checkpoint` state file (checkpoints/state/state_recovery.h) gives
// the complete checkpoints on disk instead, best ones (newest first) before
// resume ones, with a line saying so in `notes` (if given).
StatusOr<std::vector<std::string>> CandidateCheckpoints(const ModelSource& source,
                                                        std::vector<std::string>* notes = nullptr);

// True for the errors of damaged files (NotFound, DataLoss, IOError), the
// ones an older checkpoint may not have; false for the InvalidArgument and
// FailedPrecondition of a request that does not fit.
bool IsDamage(const Status& status);

// Calls `load(prefix)` on each candidate, newest first, until one returns OK,
// and returns that prefix. A damaged candidate (IsDamage) is described in
// `skipped` (if given), one line each, and the next one tried; one the state
// file no longer lists starts the search again on its new list (at most
// twice, then it counts as damaged); any other error is returned at once.
// The last error when every candidate is damaged.
StatusOr<std::string> LoadFirstGood(const ModelSource& source,
                                    const std::function<Status(const std::string&)>& load,
                                    std::vector<std::string>* skipped);

// `status`, a failure to load or freeze `prefix` as `source` asks, with the
// flag that would serve added: a --use-ema on a checkpoint without
// ExponentialMovingAverage shadows says it was trained without --ema-decay;
// a checkpoint without our dense/kernel (TensorFlow's own layout, no
// --var-map) says to name its logits node with --output.
Status WithSourceHint(const Status& status, const std::string& prefix, const ModelSource& source);

struct LoadedModel {
  std::string prefix;          // the checkpoint restored
  std::unique_ptr<Mlp> model;  // its network, variables restored
};

// LoadModel (with WithSourceHint) on the newest candidate that loads
// (LoadFirstGood): the damaged newer ones are described in `skipped` (if
// given), also when none loads.
StatusOr<LoadedModel> LoadLatestModel(const ModelSource& source,
                                      std::vector<std::string>* skipped = nullptr);

}  // namespace mnist

#endif  // MNIST_APP_MODES_MODEL_SOURCE_H_
