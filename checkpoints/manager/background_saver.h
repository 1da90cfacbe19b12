// Saving while training goes on: the snapshot (a copy of ~16 MB) is taken on
// the caller's thread, and the files are written, recorded and pruned
// (CheckpointManager::SaveSnapshot) on a worker thread while the next epoch
// trains. A checkpoint is listed in its state file only once it is complete,
// as with a plain Save, so a crash mid-write loses nothing that was listed.
//
//   BackgroundSaver saver;
//   saver.Start({{&best, epoch}, {&last, step}}, state);  // one snapshot, two saves
//   ... train the next epoch ...
//   std::vector<BackgroundSaver::Result> done = saver.Wait();
//
// Thread safety: one thread calls Start and Wait. While a save is in flight
// the managers it was given belong to the worker: touch them only after Wait.
#ifndef MNIST_CHECKPOINTS_MANAGER_BACKGROUND_SAVER_H_
#define MNIST_CHECKPOINTS_MANAGER_BACKGROUND_SAVER_H_

#include <atomic>
#include <cstdint>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include "checkpoints/manager/checkpoint_manager.h"
#include "checkpoints/saver/saver.h"

namespace mnist {

class BackgroundSaver {
 public:
  // One checkpoint to write: `manager`'s checkpoint number `step`. When a
  // job before it failed, it records `best_val_acc_if_earlier_failed`
  // (unless NaN) as train_state/best_val_acc instead of the state's: a resume
  // checkpoint written beside a best one that failed must not count it.
  struct Job {
    CheckpointManager* manager;
    int64_t step;
    double best_val_acc_if_earlier_failed = std::numeric_limits<double>::quiet_NaN();
  };
  // How a job ended: its status and the checkpoints retention deleted.
  struct Result {
    Job job;
    Status status;
    std::vector<std::string> deleted;
  };

  BackgroundSaver() = default;
  ~BackgroundSaver();  // waits for a save in flight
  BackgroundSaver(const BackgroundSaver&) = delete;
  BackgroundSaver& operator=(const BackgroundSaver&) = delete;

  // Snapshots `state` now and writes it for every job, in order, on the
  // worker. FailedPrecondition, starting nothing, while a save is in flight
  // (Wait() was not called since the last Start). An exception on the worker
  // (e.g. std::bad_alloc) becomes the failing job's Status.
  Status Start(std::vector<Job> jobs, const TrainingState& state);

  // Waits for the save in flight and returns its jobs' results (none when
  // nothing was started).
  std::vector<Result> Wait();

  bool busy() const { return worker_.joinable(); }
  // True once a job of the save in flight has failed: the caller can stop at
  // its next batch instead of training an epoch on top of a failed save.
  bool failed() const { return failed_.load(std::memory_order_acquire); }

 private:
  CheckpointSnapshot snapshot_;  // reused, so saves after the first allocate nothing
  std::vector<Result> results_;
  std::atomic<bool> failed_{false};
  std::thread worker_;
};

}  // namespace mnist

#endif  // MNIST_CHECKPOINTS_MANAGER_BACKGROUND_SAVER_H_
