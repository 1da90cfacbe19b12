#include "app/resume.h"

#include <algorithm>
#include <cstdlib>
#include <sstream>
#include <utility>

#include "checkpoints/naming.h"
#include "io/file.h"

namespace mnist {

StatusOr<std::vector<ResumeCandidate>> ResumeCandidates(const CheckpointManager& resume,
                                                        const CheckpointManager& best) {
  std::vector<std::pair<int64_t, ResumeCandidate>> by_step;  // step -1: unreadable
  for (const std::string& prefix : {resume.LatestPrefix(), best.LatestPrefix()}) {
    if (prefix.empty()) continue;
    StatusOr<int64_t> step = ReadGlobalStep(prefix);
    by_step.push_back({step.ok() ? *step : -1, ResumeCandidate{prefix, step.status()}});
  }
  if (by_step.empty()) {
    return Status::NotFound(resume.dir() + ": no checkpoint to resume from (neither " +
                            kResumeStateFilename + " nor " + kBestStateFilename + " lists one)");
  }
  std::stable_sort(by_step.begin(), by_step.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<ResumeCandidate> candidates;
  for (auto& [step, candidate] : by_step) candidates.push_back(std::move(candidate));
  return candidates;
}

Status ClaimForNewRun(bool overwrite, CheckpointManager* best, CheckpointManager* resume,
                      FILE* out) {
  std::string held;
  for (const CheckpointManager* m : {best, resume}) {
    if (!m->LatestPrefix().empty()) held += (held.empty() ? "" : ", ") + m->LatestPrefix();
  }
  if (held.empty()) return Status::Ok();
  if (!overwrite) {
    return Status::BadFlag(
        best->dir() + ": holds the checkpoints of an earlier run (" + held +
        "); continue it with --resume, start anew there with --overwrite (deletes them), or "
        "give another --ckpt-dir");
  }
  MNIST_RETURN_IF_ERROR(best->DeleteAll());
  MNIST_RETURN_IF_ERROR(resume->DeleteAll());
  std::fprintf(out, "--overwrite: deleted the earlier run's checkpoints in %s\n",
               best->dir().c_str());
  return Status::Ok();
}

Status CheckResumePosition(const TrainProgress& p, int64_t batches, int batch_size,
                           const std::string& resume_from) {
  if (p.batch_in_epoch == 0) return Status::Ok();
  const bool other_size = p.batch_size != 0 && p.batch_size != batch_size;
  if (!other_size && p.batch_in_epoch <= batches) return Status::Ok();
  return Status::BadFlag(
      resume_from + ": stopped after batch " + std::to_string(p.batch_in_epoch) + " of epoch " +
      std::to_string(p.epoch + 1) +
      (p.batch_size != 0 ? " with --batch-size " + std::to_string(p.batch_size) : "") +
      ", so it cannot go on with --batch-size " + std::to_string(batch_size) + " (" +
      std::to_string(batches) + " batches an epoch); resume with the --batch-size of the "
      "stopped run");
}

}  // namespace mnist
