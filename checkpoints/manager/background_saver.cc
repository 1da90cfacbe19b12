#include "checkpoints/manager/background_saver.h"

#include <cmath>
#include <exception>
#include <string>

namespace mnist {

BackgroundSaver::~BackgroundSaver() { Wait(); }

Status BackgroundSaver::Start(std::vector<Job> jobs, const TrainingState& state) {
  if (busy()) {
    return Status::FailedPrecondition("BackgroundSaver::Start: a save is still in flight");
  }
  TakeSnapshot(state, &snapshot_);
  results_.clear();
  failed_.store(false, std::memory_order_release);
  for (const Job& job : jobs) results_.push_back({job, Status::Ok(), {}});
  worker_ = std::thread([this] {
    for (Result& r : results_) {
      try {
        if (failed_.load(std::memory_order_acquire) &&
            !std::isnan(r.job.best_val_acc_if_earlier_failed)) {
          SetSnapshotBestValAcc(r.job.best_val_acc_if_earlier_failed, &snapshot_);
        }
        r.status = r.job.manager->SaveSnapshot(r.job.step, snapshot_, &r.deleted);
      } catch (const std::exception& e) {
        r.status = Status::IOError(r.job.manager->dir() + ": saving checkpoint " +
                                   std::to_string(r.job.step) + " failed: " + e.what());
      }
      if (!r.status.ok()) failed_.store(true, std::memory_order_release);
    }
  });
  return Status::Ok();
}

std::vector<BackgroundSaver::Result> BackgroundSaver::Wait() {
  if (!worker_.joinable()) return {};
  worker_.join();
  std::vector<Result> done = std::move(results_);
  results_.clear();
  return done;
}

}  // namespace mnist
