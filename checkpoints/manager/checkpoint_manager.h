// A directory of numbered checkpoints with a state file and retention:
// tf.train.Saver(max_to_keep=K) with save(..., global_step=N).
//
// Save(N) writes <dir>/<basename>-N (data, index, meta: checkpoints/saver/snapshot.h),
// then records it last in the state file, oldest first, then deletes the
// files of any checkpoint beyond the newest K (index first, so a half-deleted
// one is never mistaken for complete). A save that fails deletes whatever
// files of <basename>-N it wrote. The list is reloaded from the state file
// when the manager is opened, so retention carries across restarts, and the
// temporaries a killed earlier save left are removed then (io/base/file.h:
// `<file>.tmp<hex>`, `<file>.tempstate<hex>` of its state file or of a
// `<basename>-M` checkpoint; nothing else).
//
// A listed checkpoint is never modified in place (issue 11). Saving an N
// already listed moves it to the end of the list; its files are kept as
// they are when they verify and hold the same tensors (a resume that saves
// the step it stopped at: only the epoch bookkeeping, train_state/epoch,
// batch_in_epoch, epoch_loss_sum and best_val_acc, and the settings a resume
// may change, lr, l2, ema_decay, max_to_keep and data_dir, may differ;
// resuming from the kept one redoes at most that epoch's evaluation, and the
// next save records the new settings). Otherwise (the
// listed one is damaged, or holds other tensors) it is unlisted before it
// is written anew.
//
// Deletion only ever touches `<dir>/<name>.{index,data-*,meta}` of names
// recorded in the state file, of the checkpoint being saved, or, in
// RemoveUnlisted, files of our exact naming (checkpoints/state/naming.h); a
// state file naming anything but `<basename>-N` is refused
// (ReadOwnCheckpointState), so those are always its own checkpoints.
//
// Thread safety: one thread of one process at a time per directory.
#ifndef MNIST_CHECKPOINTS_MANAGER_CHECKPOINT_MANAGER_H_
#define MNIST_CHECKPOINTS_MANAGER_CHECKPOINT_MANAGER_H_

#include <string>
#include <vector>

#include "checkpoints/saver/saver.h"
#include "io/base/status.h"

namespace mnist {

class CheckpointManager {
 public:
  // Opens `dir` (created if missing) keeping checkpoints `<basename>-N`
  // recorded in `state_filename`; max_to_keep 0 keeps all.
  // REQUIRES: max_to_keep >= 0.
  // A garbled state file is an error, not silently replaced. Removes the
  // stale temporaries described above.
  static StatusOr<CheckpointManager> Open(const std::string& dir, const std::string& basename,
                                          const std::string& state_filename, int max_to_keep);

  // Saves `state` as checkpoint `step`, records it and prunes (see above).
  // On failure the state file and earlier checkpoints are as they were.
  // When `deleted` is given it receives the names retention deleted.
  Status Save(int64_t step, const TrainingState& state,
              std::vector<std::string>* deleted = nullptr);
  // Save() of a snapshot already taken (checkpoints/manager/background_saver.h).
  Status SaveSnapshot(int64_t step, const CheckpointSnapshot& snapshot,
                      std::vector<std::string>* deleted = nullptr);

  // The names retention would delete were checkpoint `step` saved now.
  std::vector<std::string> WouldDelete(int64_t step) const;

  // Forgets every kept checkpoint: removes the state file first (so nothing
  // lists a half-deleted one), then deletes their files.
  Status DeleteAll();

  // Deletes the files of checkpoints `<basename>-M` in the directory that
  // the state file does not list (`also_listed`: nor that list) and, unless
  // `all`, whose M is below the newest listed N: what a killed save or
  // prune left. Appends the names of the files it deleted to `removed`.
  // REQUIRES: no other process saves in the directory (io/base/directory_lock.h).
  Status RemoveUnlisted(bool all, const std::vector<std::string>& also_listed,
                        std::vector<std::string>* removed) const;

  // Names of the kept checkpoints, oldest first (relative to the directory).
  const std::vector<std::string>& kept() const { return kept_; }
  const std::string& dir() const { return dir_; }
  // "<dir>/<name>" of the newest kept checkpoint, or "" when none.
  std::string LatestPrefix() const;

 private:
  CheckpointManager(std::string dir, std::string basename, std::string state_filename,
                    int max_to_keep)
      : dir_(std::move(dir)), basename_(std::move(basename)),
        state_filename_(std::move(state_filename)), max_to_keep_(max_to_keep) {}

  // kept_ after saving `name`, and in `dropped` what retention removes.
  std::vector<std::string> KeptAfterSaving(const std::string& name,
                                           std::vector<std::string>* dropped) const;
  // Writes `kept` as the state file (removes it when empty), then kept_.
  Status Record(const std::vector<std::string>& kept);

  std::string dir_;
  std::string basename_;
  std::string state_filename_;
  int max_to_keep_;
  std::vector<std::string> kept_;
};

// Deletes a checkpoint's files: index first, then data shards, then meta.
// Files already gone are fine.
Status DeleteCheckpointFiles(const std::string& prefix);

}  // namespace mnist

#endif  // MNIST_CHECKPOINTS_MANAGER_CHECKPOINT_MANAGER_H_
