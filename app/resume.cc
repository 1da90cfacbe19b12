#include "app/resume.h"

#include <cstdlib>
#include <sstream>

#include "checkpoints/naming.h"
#include "io/file.h"

namespace mnist {

StatusOr<std::string> ResumePrefix(const CheckpointManager& resume, const CheckpointManager& best) {
  std::string newest;
  int64_t newest_step = -1;
  for (const std::string& prefix : {resume.LatestPrefix(), best.LatestPrefix()}) {
    if (prefix.empty()) continue;
    StatusOr<int64_t> step = ReadGlobalStep(prefix);
    if (!step.ok()) return step.status();
    if (*step > newest_step) {
      newest = prefix;
      newest_step = *step;
    }
  }
  if (!newest.empty()) return newest;
  return Status::NotFound(resume.dir() + ": no checkpoint to resume from (neither " +
                          kResumeStateFilename + " nor " + kBestStateFilename + " lists one)");
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

Status TrimAccuracyFile(const std::string& path, int64_t epochs) {
  std::string text;
  Status read = ReadFile(path, &text);
  if (read.code() == Status::Code::kNotFound) return WriteFileAtomically(path, "");
  MNIST_RETURN_IF_ERROR(read);
  std::istringstream lines(text);
  std::string line, kept;
  while (std::getline(lines, line)) {
    if (std::atoll(line.c_str()) >= 1 && std::atoll(line.c_str()) <= epochs) kept += line + "\n";
  }
  return WriteFileAtomically(path, kept);
}

}  // namespace mnist
