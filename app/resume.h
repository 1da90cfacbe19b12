// What `mnist --train --resume` continues from, and what it checks first.
//
// A run continues from the newer, by global step, of the resume checkpoint
// (last.ckpt-<step>) and the newest best one (mnist.ckpt-N): a kill between
// an epoch's best save and its resume save leaves the best one newer, and
// continuing from it keeps that epoch from being trained, and its recorded
// checkpoint written, twice.
#ifndef MNIST_APP_RESUME_H_
#define MNIST_APP_RESUME_H_

#include <cstdint>
#include <string>

#include "checkpoints/checkpoint_manager.h"
#include "checkpoints/saver.h"
#include "io/status.h"

namespace mnist {

// The prefix to continue from, as above. NotFound naming the directory when
// neither state file lists a checkpoint; a checkpoint whose step cannot be
// read is an error naming it.
StatusOr<std::string> ResumePrefix(const CheckpointManager& resume, const CheckpointManager& best);

// A run stopped mid-epoch resumes at its batch, which needs the same batches:
// the same --batch-size (recorded in checkpoints since it was) and no more
// batches done than an epoch has. BadFlag naming `resume_from` and
// both sizes otherwise.
Status CheckResumePosition(const TrainProgress& p, int64_t batches, int batch_size,
                           const std::string& resume_from);

// Keeps the acc.txt lines of epochs 1..epochs (a missing file becomes an
// empty one): a run stopped after writing an epoch's line but before its
// resume checkpoint must not list that epoch twice.
Status TrimAccuracyFile(const std::string& path, int64_t epochs);

}  // namespace mnist

#endif  // MNIST_APP_RESUME_H_
