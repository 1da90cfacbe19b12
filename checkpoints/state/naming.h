// File names of a checkpoint directory, and nothing else.
//
//   <dir>/mnist.ckpt-N.index              } the best checkpoints: a TensorBundle
//   <dir>/mnist.ckpt-N.data-00000-of-00001} (io/bundle/bundle_format.h) plus the
//   <dir>/mnist.ckpt-N.meta               } MetaGraphDef; N = the epoch
//   <dir>/checkpoint                      CheckpointState text naming them
//   <dir>/last.ckpt-N.*                   the resume checkpoint; N = global step
//   <dir>/last_checkpoint                 its own state file (Saver's latest_filename)
//   <dir>/acc.txt                         `N, val_acc: X` per epoch
//   <dir>/metrics.csv                     one row per epoch (app/training/metrics_log.h)
//   <dir>/training.svg                    the training curves (app/pictures/plot_svg.h)
#ifndef MNIST_CHECKPOINTS_STATE_NAMING_H_
#define MNIST_CHECKPOINTS_STATE_NAMING_H_

#include <cstdint>
#include <string>

namespace mnist {

constexpr char kBestBasename[] = "mnist.ckpt";
constexpr char kBestStateFilename[] = "checkpoint";
constexpr char kResumeBasename[] = "last.ckpt";
constexpr char kResumeStateFilename[] = "last_checkpoint";
constexpr char kAccuracyFilename[] = "acc.txt";
constexpr char kMetricsFilename[] = "metrics.csv";
constexpr char kPlotFilename[] = "training.svg";

// "<dir>/<name>"; `dir` "" gives `name`.
std::string JoinPath(const std::string& dir, const std::string& name);

// "<basename>-<step>", e.g. "mnist.ckpt-7".
std::string CheckpointName(const std::string& basename, int64_t step);

// "<prefix>.meta" (TF's meta graph file beside the bundle).
std::string MetaFilename(const std::string& prefix);

// Splits "mnist.ckpt-7" into basename "mnist.ckpt" and step 7. False for
// anything else: no dash, an empty basename, a step that is not a plain
// non-negative decimal number, or a path with a slash.
bool ParseCheckpointName(const std::string& name, std::string* basename, int64_t* step);

// True when `name` is exactly CheckpointName(basename, N) for some N (no
// leading zeros, no directory): a name a CheckpointManager of `basename`
// writes, and so the only kind it may delete.
bool IsCheckpointNameOf(const std::string& name, const std::string& basename);

// True when `filename` is one of the files of checkpoint `<basename>-N`
// (IsCheckpointNameOf): its .index, .data-00000-of-00001 or .meta.
bool IsCheckpointFile(const std::string& filename, const std::string& basename);

// Splits a file of checkpoint `<basename>-N` as we name it ("last.ckpt-240.index")
// into its checkpoint name ("last.ckpt-240") and N. False for anything else,
// including names we never write ("last.ckpt-0240.meta", "x.index.bak").
bool ParseCheckpointFilename(const std::string& filename, const std::string& basename,
                             std::string* name, int64_t* step);

}  // namespace mnist

#endif  // MNIST_CHECKPOINTS_STATE_NAMING_H_
