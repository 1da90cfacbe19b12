#include "app/training/resume.h"

#include <algorithm>
#include <cstdlib>
#include <cstdio>
#include <sstream>
#include <type_traits>
#include <utility>

#include "checkpoints/state/naming.h"
#include "data/dataset/dataset.h"
#include "io/base/file.h"
#include "io/base/strings.h"

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
  std::vector<std::string> latest;
  for (const CheckpointManager* m : {best, resume}) {
    if (!m->LatestPrefix().empty()) latest.push_back(m->LatestPrefix());
  }
  if (latest.empty()) return Status::Ok();
  const std::string held = StrJoin(latest, ", ");
  if (!overwrite) {
    return Status::InvalidArgument(
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

namespace {

std::string Number(double value) {
  char text[32];
  std::snprintf(text, sizeof(text), "%g", value);
  return text;
}

}  // namespace

StatusOr<TrainOptions> SettingsForResume(const TrainOptions& given, const RecordedRun& recorded,
                                         bool has_shadows, const std::string& prefix,
                                         std::vector<std::string>* changes) {
  TrainOptions o = given;
  auto is_given = [&](const char* flag) { return given.given.count(flag) > 0; };
  // A flag that fixes the arithmetic: given, it must agree.
  auto fixed = [&](const char* flag, const std::string& was, const std::string& now) {
    if (!is_given(flag) || was == now) return Status::Ok();
    return Status::InvalidArgument("--" + std::string(flag) + " " + now + ": " + prefix +
                           " was trained with --" + flag + " " + was +
                           ", which a resumed run keeps; resume without --" + flag +
                           ", or start a new run");
  };
  const std::vector<int> hidden(recorded.sizes.begin() + 1, recorded.sizes.end() - 1);
  MNIST_RETURN_IF_ERROR(fixed("hidden", StrJoin(hidden, ","), StrJoin(given.hidden, ",")));
  o.hidden = hidden;
  const TrainProgress& p = recorded.progress;
  MNIST_RETURN_IF_ERROR(fixed("seed", std::to_string(p.seed), std::to_string(given.seed)));
  o.seed = p.seed;
  if (p.batch_size != 0) {
    MNIST_RETURN_IF_ERROR(fixed("batch-size", std::to_string(p.batch_size),
                                std::to_string(given.batch_size)));
    o.batch_size = static_cast<int>(p.batch_size);
  }
  const RunSettings& s = recorded.settings;
  if (!s.recorded) {  // an older checkpoint: what is given, as those runs did
    if (!is_given("validation-size")) o.validation_size = 0;
    if (has_shadows && !is_given("ema-decay")) {
      return Status::InvalidArgument("--ema-decay: " + prefix +
                             " holds EMA shadows but not their decay (it predates recorded "
                             "settings); give --ema-decay D to keep them, or --ema-decay 0 to "
                             "drop them");
    }
    return o;
  }
  MNIST_RETURN_IF_ERROR(fixed("validation-size", std::to_string(s.validation_size),
                              std::to_string(given.validation_size)));
  o.validation_size = static_cast<int>(s.validation_size);
  if (!is_given("data-dir")) o.data_dir = s.data_dir;
  // Settings a resume may change on purpose: said, and recorded from now on.
  auto changeable = [&](const char* flag, double was, double now, auto* target) {
    if (!is_given(flag)) {
      *target = static_cast<std::remove_pointer_t<decltype(target)>>(was);
    } else if (was != now) {
      changes->push_back("--" + std::string(flag) + ": " + Number(was) + " in the checkpoint, " +
                         Number(now) + " from now on");
    }
  };
  changeable("lr", s.learning_rate, given.learning_rate, &o.learning_rate);
  changeable("l2", s.l2, given.l2, &o.l2);
  changeable("ema-decay", s.ema_decay, given.ema_decay, &o.ema_decay);
  changeable("max-to-keep", static_cast<double>(s.max_to_keep), given.max_to_keep, &o.max_to_keep);
  return o;
}

Status CheckSameData(const RunSettings& recorded, const std::array<int64_t, 8>& fingerprint,
                     const std::string& data_dir, bool data_dir_given, const std::string& prefix) {
  if (!recorded.recorded || recorded.data_fingerprint == fingerprint) return Status::Ok();
  std::string differs;
  for (int i = 0; i < kDataFiles; ++i) {
    if (recorded.data_fingerprint[2 * i] == fingerprint[2 * i] &&
        recorded.data_fingerprint[2 * i + 1] == fingerprint[2 * i + 1]) {
      continue;
    }
    char line[160];
    std::snprintf(line, sizeof(line), "%s: %lld bytes with CRC32C %08llx, not %lld with %08llx",
                  kDataFileStems[i], static_cast<long long>(fingerprint[2 * i]),
                  static_cast<unsigned long long>(fingerprint[2 * i + 1]),
                  static_cast<long long>(recorded.data_fingerprint[2 * i]),
                  static_cast<unsigned long long>(recorded.data_fingerprint[2 * i + 1]));
    differs = line;
    break;
  }
  if (data_dir_given) {
    return Status::InvalidArgument("--data-dir " + data_dir + ": " + prefix + " was trained on " +
                           recorded.data_dir + ", and this is another data set (" + differs +
                           "); resume without --data-dir, or start a new run");
  }
  return Status::FailedPrecondition(data_dir + ": the files changed since " + prefix +
                                    " was trained on them (" + differs +
                                    "); give --data-dir with the data set it trained on");
}

Status CheckResumePosition(const TrainProgress& p, int64_t batches, int batch_size,
                           const std::string& resume_from) {
  if (p.batch_in_epoch == 0) return Status::Ok();
  const bool other_size = p.batch_size != 0 && p.batch_size != batch_size;
  if (!other_size && p.batch_in_epoch <= batches) return Status::Ok();
  return Status::InvalidArgument(
      resume_from + ": stopped after batch " + std::to_string(p.batch_in_epoch) + " of epoch " +
      std::to_string(p.epoch + 1) +
      (p.batch_size != 0 ? " with --batch-size " + std::to_string(p.batch_size) : "") +
      ", so it cannot go on with --batch-size " + std::to_string(batch_size) + " (" +
      std::to_string(batches) + " batches an epoch); resume with the --batch-size of the "
      "stopped run");
}

}  // namespace mnist
