// `mnist --eval`: restore the latest checkpoint (or a named one) and
// evaluate it on the test set, as tf.train.latest_checkpoint + saver.restore
// do in the TF1 workflow. The network is rebuilt from the checkpoint's .meta
// (import_meta_graph), so no --hidden is needed.
//
// If the latest checkpoint's files are damaged (missing, truncated, a CRC
// mismatch), the error is printed and the next newest one in the state file
// is tried, naming it. A request that does not fit (a node name, --var-map,
// --use-ema) is an error about the latest one, with no fallback
// (app/modes/model_source.h).
//
// With `output` (or `input`), or when the checkpoint's .meta is not ours (no
// dense/kernel node), the checkpoint is taken as TensorFlow's: its .meta
// graph is frozen down to what the logits node needs (the training nodes
// dropped, the variables it reads restored as constants,
// checkpoints/export/freeze.h) and run by the GraphDef executor
// (nn/graph/graph_import.h): any MatMul / Add or BiasAdd / Relu network.
// Without `output` the logits node is the one the graph shows
// (checkpoints/export/logits_node.h), said in a `logits: ...` line; none or
// several is InvalidArgument listing them. An `output` that names no node,
// is a Softmax or is not [N, 10] logits (10: the labels' classes) is
// InvalidArgument. The images are fed as pixel bytes x `pixel_scale`.
#ifndef MNIST_APP_MODES_EVAL_H_
#define MNIST_APP_MODES_EVAL_H_

#include <cstdio>
#include <string>

#include "app/modes/model_source.h"
#include "checkpoints/saver/saver.h"
#include "data/dataset/batches.h"
#include "io/base/status.h"

namespace mnist {

struct EvalOptions {
  ModelSource source;       // which checkpoint, EMA shadows, renames
  std::string data_dir;     // empty = DefaultDataDir()
  std::string input;        // TensorFlow graph: the tensor the images feed (default its placeholder)
  std::string output;       // TensorFlow graph: the logits node, [N, classes]
  float pixel_scale = kDefaultPixelScale;  // the network sees pixel bytes x this
  std::string errors_png;   // when set, the misclassified images go here (app/pictures/error_grid.h)
  int max_errors = 64;      // at most this many of them
};

// The flags naming the checkpoint, checked before anything is read:
// --checkpoint names a checkpoint (app/cli/checkpoint_flag.h), else
// --ckpt-dir is no file (app/modes/path_flags.h); InvalidArgument otherwise.
Status CheckModelSource(const ModelSource& source);

// LoadLatestModel for a command: each skipped candidate is reported on `err`
// (also when none loads), then `restored <prefix>` (with " (EMA shadows)"
// under --use-ema) on `out`, then the run's settings line when the
// checkpoint recorded them (checkpoints/saver/recorded_run.h SettingsLine), which fill
// `recorded` when given.
StatusOr<LoadedModel> LoadAndReport(const ModelSource& source, FILE* out, FILE* err,
                                    RecordedRun* recorded = nullptr);

// Without a data_dir, the data set the checkpoint recorded is evaluated when
// it is there (else DefaultDataDir()); when the files' fingerprint differs
// from the recorded one, a note says so on `err` and evaluation goes on.
// Prints `restored <prefix>`, the settings line, `data: DIR: test set, N
// images of 28x28`,
// `val_loss:L, val_acc:A` and the per-class accuracy and confusion matrix to
// `out`, then writes the --errors grid if asked; fallbacks are reported on
// `err`.
Status RunEval(const EvalOptions& options, FILE* out, FILE* err);

}  // namespace mnist

#endif  // MNIST_APP_MODES_EVAL_H_
