// What to do when a state file (`checkpoint`, `last_checkpoint`) is damaged:
// garbled, empty or truncated, so that it does not parse.
//
// The checkpoints themselves are intact, so they are found on disk instead:
// the complete checkpoints `<basename>-N` of the directory (an `.index`, a
// data file and a `.meta`) whose every tensor's CRC32C passes, oldest first.
// --train rewrites the state file from them (OpenRecovering); --eval reads
// from them without writing (app/modes/model_source.h).
//
// Thread safety: free functions; a directory written by one process at a time.
#ifndef MNIST_CHECKPOINTS_STATE_STATE_RECOVERY_H_
#define MNIST_CHECKPOINTS_STATE_STATE_RECOVERY_H_

#include <cstdio>
#include <string>
#include <vector>

#include "checkpoints/manager/checkpoint_manager.h"
#include "io/base/status.h"

namespace mnist {

// True for the error of a state file that does not parse (DataLoss): one
// naming a path outside its directory (InvalidArgument) is refused, never
// replaced.
bool IsDamagedStateFile(const Status& status);

// Names of the complete checkpoints `<basename>-N` in `dir` whose CRCs all
// pass, ordered by N (oldest first).
std::vector<std::string> CompleteCheckpointsOnDisk(const std::string& dir,
                                                   const std::string& basename);

// CheckpointManager::Open; when `state_filename` is damaged (or, with
// `any_error`, cannot be used at all, e.g. it names a path outside `dir`),
// says so on `err` and rewrites it from CompleteCheckpointsOnDisk (removes
// it when there are none), saying what it now lists, then opens again.
StatusOr<CheckpointManager> OpenRecovering(const std::string& dir, const std::string& basename,
                                           const std::string& state_filename, int max_to_keep,
                                           bool any_error, FILE* err);

}  // namespace mnist

#endif  // MNIST_CHECKPOINTS_STATE_STATE_RECOVERY_H_
