// What one `mnist --train` run works on, and how it is set up before its
// first batch (app/modes/train.cc runs the epochs).
//
// Set-up locks the --ckpt-dir (io/base/directory_lock.h), loads the data, opens
// its two checkpoint lists (the best ones and the resume one) and builds the
// network: restored from the newest checkpoint that passes its checks with
// --resume (app/training/resume.h), else initialized, an earlier run in the directory
// being refused unless --overwrite.
//
// Thread safety: a Run belongs to the training thread; its BackgroundSaver
// writes snapshots on a worker of its own.
#ifndef MNIST_APP_TRAINING_TRAINING_RUN_H_
#define MNIST_APP_TRAINING_TRAINING_RUN_H_

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "app/training/events_file.h"
#include "app/training/metrics_log.h"
#include "app/modes/train.h"
#include "checkpoints/manager/background_saver.h"
#include "checkpoints/manager/checkpoint_manager.h"
#include "checkpoints/saver/saver.h"
#include "data/dataset/dataset.h"
#include "io/base/directory_lock.h"
#include "io/base/status.h"
#include "nn/optimizer/adam.h"
#include "nn/optimizer/ema.h"
#include "nn/network/mlp.h"

namespace mnist {

// An epoch whose checkpoints are being written in the background while the
// next epoch trains (while Run::saver is busy): its metrics row waits for
// their outcome.
struct PendingEpoch {
  MetricsRow row;
  double best_before = -1.0;  // best_val_acc before this epoch's improvement
};

// What one run works on, set up by SetUpRun before its first batch. `saver` is
// declared after what its worker writes from and to, so it is destroyed (and
// joins the worker) first.
struct Run {
  TrainOptions options;  // what the run trains with: the command line's, on --resume
                         // completed from the checkpoint (app/training/resume.h)
  Dataset data;          // data.validation holds --validation-size images out of train
  std::unique_ptr<DirectoryLock> lock;      // on --ckpt-dir, for the whole run
  std::unique_ptr<CheckpointManager> best;  // mnist.ckpt-N: the best ones, --max-to-keep
  std::unique_ptr<CheckpointManager> last;  // last.ckpt-<step>: the resume one
  std::unique_ptr<Mlp> model;
  std::unique_ptr<Adam> adam;
  std::unique_ptr<ExponentialMovingAverage> ema;  // null without --ema-decay
  TrainingState state;
  std::vector<std::string> failed_saves;  // with --keep-going-on-save-error, for the summary
  double top_acc = -1.0;     // the highest val_acc reached (a resume starts at the best saved)
  int64_t top_epoch = 0;     // its epoch
  bool top_saved = true;     // whether its best checkpoint was saved
  std::unique_ptr<EventsFile> events;  // TensorBoard's curves; null until the first epoch
  BackgroundSaver saver;  // writes an epoch's checkpoints while the next one trains
  PendingEpoch pending;   // the epoch those checkpoints belong to
};

// Sets up `run` as described above, printing the data line (and the restore)
// to `out`. The directory is locked before the data is loaded. On --resume
// the settings the checkpoint recorded fill run->options (app/training/resume.h); a
// --resume in a directory with no run starts one, saying so. Removes the
// files of checkpoints no state file lists that are older than the listed
// ones (with --overwrite, all of them), saying so in one line. Starts
// acc.txt and metrics.csv afresh, or keeps a resumed run's lines
// (app/training/epoch_log.h). Errors name the file or the flag; a stop signal while
// the network is built or restored is Cancelled.
Status SetUpRun(const TrainOptions& options, FILE* out, Run* run);

// The network's widths: the image's pixels, options.hidden, the classes.
std::vector<int> LayerSizes(const TrainOptions& options);

}  // namespace mnist

#endif  // MNIST_APP_TRAINING_TRAINING_RUN_H_
