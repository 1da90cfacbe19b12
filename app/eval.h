// `mnist --eval`: restore the latest checkpoint (or a named one) and
// evaluate it on the test set, as tf.train.latest_checkpoint + saver.restore
// do in the TF1 workflow. The network is rebuilt from the checkpoint's .meta
// (import_meta_graph), so no --hidden is needed.
//
// If the latest checkpoint fails its checks (missing files, a CRC mismatch,
// a bad shape), the error is printed and the next newest one in the state
// file is tried, naming it.
#ifndef MNIST_APP_EVAL_H_
#define MNIST_APP_EVAL_H_

#include <cstdio>
#include <map>
#include <string>

#include "io/status.h"

namespace mnist {

struct EvalOptions {
  std::string ckpt_dir = "ckpt";  // read through its `checkpoint` state file
  std::string checkpoint;         // a prefix; overrides ckpt_dir when set
  std::string data_dir;           // empty = DefaultDataDir()
  bool use_ema = false;           // evaluate the ExponentialMovingAverage shadows
  std::map<std::string, std::string> var_map;  // checkpoint name -> model name
  std::string errors_png;         // when set, the misclassified images go here (app/error_grid.h)
  int max_errors = 64;            // at most this many of them
};

// Prints `restored <prefix>`, `val_loss:L, val_acc:A` and the per-class
// accuracy and confusion matrix to `out`, then writes the --errors grid if
// asked; fallbacks are reported on `err`.
Status RunEval(const EvalOptions& options, FILE* out, FILE* err);

}  // namespace mnist

#endif  // MNIST_APP_EVAL_H_
