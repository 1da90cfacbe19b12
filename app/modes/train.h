// `mnist --train`: the training loop, read top to bottom in Train().
//
// Each epoch: shuffle (seeded by seed and epoch), then per batch forward ->
// loss -> backward -> L2 -> Adam (-> EMA); then evaluate the whole test set,
// print `epoch:N, val_loss:L, val_acc:A`, append `N, val_acc: A` to
// <ckpt_dir>/acc.txt, save `mnist.ckpt-N` when val_acc beats the best so far
// (keeping --max-to-keep), append the epoch's row to <ckpt_dir>/metrics.csv
// (app/training/metrics_log.h) and an Event to the run's TensorBoard events file
// (app/training/events_file.h), and save the resume checkpoint `last.ckpt-<step>`
// (kept one deep, in its own state file `last_checkpoint`). At the end it
// draws the curves into <ckpt_dir>/training.svg (app/modes/plot.h).
//
// A failed save (e.g. a full disk) stops training with the error, the
// previous checkpoints intact and listed; with keep_going_on_save_error it is
// printed and training goes on, retrying at the next improvement.
//
// --resume continues from the newer of the resume checkpoint and the latest
// best one (the other when it fails its checks); it restores weights, Adam,
// EMA, step, epoch, best so far and the seed, the position in the epoch and
// its running loss, and continues to --epochs in total; the result is
// bit-identical to a run that was never stopped (same machine and thread
// count). Without --resume, a --ckpt-dir holding an earlier run's
// checkpoints is refused unless --overwrite (app/training/resume.h). One training per
// --ckpt-dir: a second one is refused while the first runs.
#ifndef MNIST_APP_MODES_TRAIN_H_
#define MNIST_APP_MODES_TRAIN_H_

#include <cstdint>
#include <cstdio>
#include <set>
#include <string>
#include <vector>

#include "io/base/status.h"
#include "nn/network/mlp.h"

namespace mnist {

// Every hyperparameter and path of a training run; app/cli/flags.cc fills it.
struct TrainOptions {
  std::string data_dir;                // IDX files; empty = DefaultDataDir()
  std::string ckpt_dir = "ckpt";       // acc.txt and checkpoints go here
  std::vector<int> hidden = {1024, 512};  // hidden layer widths
  int epochs = 20;                     // total epochs (a resumed run counts the done ones)
  int batch_size = 100;                // examples per Adam step; a last partial batch is used,
                                       // and more than the training set is all of it
  float learning_rate = 0.001f;        // Adam's lr
  float l2 = 1e-4f;                    // scale of sum(tf.nn.l2_loss(kernel)); 0 turns it off
  uint64_t seed = 0;                   // init and shuffle seed
  float init_stddev = kDefaultInitStddev;  // kernels: truncated normal with this std
  int threads = 0;                     // OpenMP threads, 1..kMaxThreads; 0 = not given: OpenMP's default
  int max_to_keep = 3;                 // best checkpoints kept; 0 keeps all
  bool resume = false;                 // continue from the resume (else best) checkpoint
  bool overwrite = false;              // a new run may delete an earlier run's checkpoints
  float ema_decay = 0.0f;              // > 0 keeps ExponentialMovingAverage shadows
  bool keep_going_on_save_error = false;  // report a failed save and train on
  int validation_size = 5000;          // first training images held out to validate; 0 = the
                                       // test set validates
  std::set<std::string> given;         // the flags on the command line, e.g. "lr" (a --resume
                                       // takes the others from the checkpoint)
};

// The largest --threads (OpenMP's own limits lie far above what any machine
// runs, and libgomp aborts or crashes beyond them).
constexpr int kMaxThreads = 1024;

// How a run that returned OK ended.
struct TrainResult {
  int stop_signal = 0;  // SIGINT or SIGTERM that stopped it early; 0 = ran to --epochs
};

// Trains as described above, printing to `out`. REQUIRES: `options` within
// the ranges the command line checks (app/cli/flags.cc, the one place each
// flag's rule lives). Data, checkpoint and disk errors come
// back as a Status naming the file; a network too big for memory is
// OutOfMemory naming it and what it needs. After a stop signal
// (app/process/stop_signal.h) it stops at the next batch boundary, saves the resume
// checkpoint there and returns OK with result->stop_signal set; a signal
// after the last epoch's batches finds the run complete: it says so and
// returns OK with no stop_signal.
Status Train(const TrainOptions& options, FILE* out, TrainResult* result);

}  // namespace mnist

#endif  // MNIST_APP_MODES_TRAIN_H_
