// The two per-epoch logs of a --ckpt-dir, acc.txt (`N, val_acc: X`) and
// metrics.csv (app/training/metrics_log.h), written so that no epoch's line is lost
// and both list the same epochs (issue 11).
//
// An epoch is recorded when it is evaluated, before its checkpoints are
// saved: metrics.csv, then acc.txt, each rewritten whole and crash-safe
// (io/base/file.h WriteFileAtomically), so a kill leaves each file with or
// without the epoch, never half a line. Its row's `saved` and `deleted` are
// what the epoch's saves are to do; a save that fails rewrites the row
// without them (RecordEpoch again).
//
// A new run starts both files afresh. A resumed one keeps the epochs up to
// its checkpoint's and drops later ones (evaluated, but their checkpoint
// was never recorded: they are trained again), then restores what one file
// or the checkpoint knows of and the logs lack:
//   - an acc.txt line for every row with a val_acc;
//   - a row for every acc.txt line: epoch and val_acc, the other fields
//     empty (not known);
//   - a row for the checkpoint's own epoch: epoch and global_step, and when
//     it resumes from that epoch's best checkpoint also val_acc (its
//     best_val_acc) and saved; empty otherwise.
//
// Thread safety: free functions; one writer per directory.
#ifndef MNIST_APP_TRAINING_EPOCH_LOG_H_
#define MNIST_APP_TRAINING_EPOCH_LOG_H_

#include <cstdint>
#include <string>

#include "app/training/metrics_log.h"
#include "io/base/status.h"

namespace mnist {

// What the checkpoint a run resumes from knows of its last finished epoch.
struct ResumedEpoch {
  int64_t epoch = 0;        // epochs done; 0 = a new run
  int64_t global_step = 0;  // the step that epoch ended at
  // The epoch's val_acc when the checkpoint is its best one (NaN: not known),
  // and then that checkpoint's name.
  double val_acc = 0.0;
  std::string saved;
};

// Readies `dir`'s acc.txt and metrics.csv for a run as described above. A
// metrics.csv that does not parse stops a resume (its error names the file).
Status StartEpochLogs(const std::string& dir, const ResumedEpoch& resumed);

// Records `row` (its epoch replacing that epoch's and any later one's) in
// `dir`'s metrics.csv, then its val_acc in acc.txt.
Status RecordEpoch(const std::string& dir, const MetricsRow& row);

}  // namespace mnist

#endif  // MNIST_APP_TRAINING_EPOCH_LOG_H_
