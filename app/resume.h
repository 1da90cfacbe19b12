// Whether `mnist --train` continues an earlier run or starts a new one, and
// what it checks first.
//
// --resume continues from the newer, by global step, of the resume
// checkpoint (last.ckpt-<step>) and the newest best one (mnist.ckpt-N): a
// kill between an epoch's best save and its resume save leaves the best one
// newer, and continuing from it keeps that epoch from being trained, and its
// recorded checkpoint written, twice. Should the newer fail its checks, the
// other one is next. A new run never silently replaces an earlier one.
#ifndef MNIST_APP_RESUME_H_
#define MNIST_APP_RESUME_H_

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "checkpoints/checkpoint_manager.h"
#include "checkpoints/saver.h"
#include "io/status.h"

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
// BadFlag naming the directory, what it holds and the ways on; with
// `overwrite`, both lists are deleted (state files first) and `out` says so.
Status ClaimForNewRun(bool overwrite, CheckpointManager* best, CheckpointManager* resume,
                      FILE* out);

// A run stopped mid-epoch resumes at its batch, which needs the same batches:
// the same --batch-size (recorded in checkpoints since it was) and no more
// batches done than an epoch has. BadFlag naming `resume_from` and
// both sizes otherwise.
Status CheckResumePosition(const TrainProgress& p, int64_t batches, int batch_size,
                           const std::string& resume_from);

}  // namespace mnist

#endif  // MNIST_APP_RESUME_H_
