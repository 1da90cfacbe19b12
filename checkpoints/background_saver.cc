#include "checkpoints/background_saver.h"

#include <cassert>

namespace mnist {

BackgroundSaver::~BackgroundSaver() { Wait(); }

void BackgroundSaver::Start(std::vector<Job> jobs, const TrainingState& state) {
  assert(!busy());
  TakeSnapshot(state, &snapshot_);
  results_.clear();
  failed_.store(false, std::memory_order_release);
  for (const Job& job : jobs) results_.push_back({job, Status::Ok(), {}});
  worker_ = std::thread([this] {
    for (Result& r : results_) {
      r.status = r.job.manager->SaveSnapshot(r.job.step, snapshot_, &r.deleted);
      if (!r.status.ok()) failed_.store(true, std::memory_order_release);
    }
  });
}

std::vector<BackgroundSaver::Result> BackgroundSaver::Wait() {
  if (!worker_.joinable()) return {};
  worker_.join();
  std::vector<Result> done = std::move(results_);
  results_.clear();
  return done;
}

}  // namespace mnist
