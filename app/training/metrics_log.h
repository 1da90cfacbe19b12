// <ckpt-dir>/metrics.csv: one row per training epoch, for people and plots.
//
//   epoch,global_step,train_loss,val_loss,val_acc,epoch_seconds,samples_per_sec,saved,deleted,lr
//   1,600,0.412345,0.298765,0.9123,12.345,4861.2,mnist.ckpt-1,,0.001
//   2,1200,0.251234,0.251234,0.9301,12.101,4902.7,mnist.ckpt-2,mnist.ckpt-1,0.001
//
// train_loss is the mean over the epoch's training batches of the loss the
// optimizer minimised (cross-entropy plus L2); val_loss the test set's mean
// cross-entropy without L2 and val_acc its accuracy, both as printed and
// written to acc.txt; epoch_seconds the wall time of the epoch's training and
// evaluation; samples_per_sec the training examples per second of the
// training batches alone; saved the best checkpoint saved in the epoch (empty
// when none); deleted the checkpoints retention deleted then, ';'-separated;
// lr the learning rate the epoch trained with (a resume may change it; empty
// in rows of files written before the column, which parse too).
//
// An empty field is a value not known: a row a resume restored from what
// its checkpoint and acc.txt knew (app/training/epoch_log.h). A row that does not
// parse is an error naming the file and line.
//
// Thread safety: free functions; one writer per file.
#ifndef MNIST_APP_TRAINING_METRICS_LOG_H_
#define MNIST_APP_TRAINING_METRICS_LOG_H_

#include <cstdint>
#include <string>
#include <vector>

#include "io/base/status.h"

namespace mnist {

// The header line, without its newline.
extern const char kMetricsHeader[];

// A value not known is NaN (global_step: -1) and written as an empty field.
struct MetricsRow {
  int64_t epoch = 0;
  int64_t global_step = 0;
  double train_loss = 0.0;
  double val_loss = 0.0;
  double val_acc = 0.0;
  double epoch_seconds = 0.0;
  double samples_per_sec = 0.0;
  std::string saved;                 // checkpoint name, or "" when none was saved
  std::vector<std::string> deleted;  // checkpoint names, oldest first
  double lr = 0.0;                   // 0 = not recorded (an older file)
};

// val_acc's format here and in acc.txt.
constexpr char kValAccFormat[] = "%.4f";

// `value` printed with `format`, or "" when it is not finite (not known).
std::string FormatMetricsNumber(double value, const char* format);

// One CSV line, newline included.
std::string FormatMetricsRow(const MetricsRow& row);

// Parses a whole metrics.csv; `path` only names it in errors
// ("<path>:<line>: <what>"). Epochs must increase from row to row.
StatusOr<std::vector<MetricsRow>> ParseMetrics(const std::string& path, const std::string& text);

// Reads and parses `path`.
StatusOr<std::vector<MetricsRow>> ReadMetrics(const std::string& path);

}  // namespace mnist

#endif  // MNIST_APP_TRAINING_METRICS_LOG_H_
