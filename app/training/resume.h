// Whether `mnist --train` continues an earlier run or starts a new one, and
// what it checks first.
//
// --resume continues from the newer, by global step, of the resume
// checkpoint (last.ckpt-<step>) and the newest best one (mnist.ckpt-N): a
// kill between an epoch's best save and its resume save leaves the best one
// newer, and continuing from it keeps that epoch from being trained, and its
// recorded checkpoint written, twice. Should the newer fail its checks, the
// other one is next. A new run never silently replaces an earlier one.
#ifndef MNIST_APP_TRAINING_RESUME_H_
#define MNIST_APP_TRAINING_RESUME_H_

#include <array>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "app/modes/train.h"
#include "checkpoints/manager/checkpoint_manager.h"
#include "checkpoints/saver/saver.h"
#include "io/base/status.h"

namespace mnist {

// A checkpoint a --resume could continue from.
struct ResumeCandidate {
  std::string prefix;
  Status step_error;  // why its global step could not be read (OK when it could)
};

// The checkpoints a --resume can continue from, newest first, as above; one
// whose step cannot be read comes last. NotFound naming the directory when
// neither state file lists a checkpoint.
StatusOr<std::vector<ResumeCandidate>> ResumeCandidates(const CheckpointManager& resume,
                                                        const CheckpointManager& best);

// A new run (no --resume) in a directory holding an earlier run's
// checkpoints would replace them as it saves. Unless `overwrite`, that is
// InvalidArgument naming the directory, what it holds and the ways on; with
// `overwrite`, both lists are deleted (state files first) and `out` says so.
Status ClaimForNewRun(bool overwrite, CheckpointManager* best, CheckpointManager* resume,
                      FILE* out);

// The options a --resume runs with, from `given` (the command line) and what
// checkpoint `prefix` recorded (`recorded`; `has_shadows`: it holds EMA
// shadows). A flag not given takes the recorded value. One given that would
// change the run's arithmetic (--hidden, --seed, --batch-size,
// --validation-size) is InvalidArgument naming the flag, the recorded value and the
// given one. --lr, --l2, --ema-decay and --max-to-keep may change: each
// change adds a line "--lr: 0.01 in the checkpoint, 0.001 from now on" to
// `changes`. A checkpoint written before settings were recorded keeps what
// is given (validation 0, as those runs validated on the test set); its EMA
// shadows need --ema-decay to be kept, else InvalidArgument saying so. The data set
// is checked once loaded (CheckSameData).
StatusOr<TrainOptions> SettingsForResume(const TrainOptions& given, const RecordedRun& recorded,
                                         bool has_shadows, const std::string& prefix,
                                         std::vector<std::string>* changes);

// The data a resumed run loaded (`fingerprint`, from `data_dir`) against the
// data set checkpoint `prefix` recorded: OK when they agree or nothing was
// recorded; otherwise InvalidArgument naming --data-dir, the recorded directory and
// the given one when `data_dir_given`, else FailedPrecondition saying the
// recorded directory's files changed. Either names the first file that differs.
Status CheckSameData(const RunSettings& recorded, const std::array<int64_t, 8>& fingerprint,
                     const std::string& data_dir, bool data_dir_given, const std::string& prefix);

// A run stopped mid-epoch resumes at its batch, which needs the same batches:
// the same --batch-size (recorded in checkpoints since it was) and no more
// batches done than an epoch has. InvalidArgument naming `resume_from` and
// both sizes otherwise.
Status CheckResumePosition(const TrainProgress& p, int64_t batches, int batch_size,
                           const std::string& resume_from);

}  // namespace mnist

#endif  // MNIST_APP_TRAINING_RESUME_H_
