// The live progress line of an epoch: batch k/n, running loss, samples/s and
// ETA, redrawn in place with '\r' at most a few times a second. Only on a
// terminal: when the output is a file or a pipe nothing is drawn, so logs
// hold just the per-epoch lines.
#ifndef MNIST_APP_TRAINING_PROGRESS_H_
#define MNIST_APP_TRAINING_PROGRESS_H_

#include <chrono>
#include <cstdint>
#include <cstdio>

namespace mnist {

class Progress {
 public:
  // `enabled` is normally isatty(stdout).
  Progress(FILE* out, bool enabled, int64_t total_batches, int batch_size);
  // After batch `done` (1-based) with the running mean loss so far.
  void Update(int64_t done, double running_loss);
  // Clears the line before the epoch's summary is printed.
  void Finish();

 private:
  using Clock = std::chrono::steady_clock;
  FILE* out_;
  bool enabled_;
  int64_t total_;
  int batch_size_;
  Clock::time_point start_;
  Clock::time_point last_draw_;
};

}  // namespace mnist

#endif  // MNIST_APP_TRAINING_PROGRESS_H_
