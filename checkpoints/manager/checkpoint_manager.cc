#include "checkpoints/manager/checkpoint_manager.h"

#include <algorithm>

#include "checkpoints/state/checkpoint_state.h"
#include "checkpoints/state/naming.h"
#include "io/bundle/bundle_format.h"
#include "io/bundle/bundle_reader.h"
#include "io/base/file.h"

namespace mnist {

StatusOr<CheckpointManager> CheckpointManager::Open(const std::string& dir,
                                                    const std::string& basename,
                                                    const std::string& state_filename,
                                                    int max_to_keep) {
  MNIST_RETURN_IF_ERROR(CreateDirectories(dir));
  MNIST_RETURN_IF_ERROR(RemoveStaleTemporaries(dir, [&](const std::string& final_name) {
    return final_name == state_filename || IsCheckpointFile(final_name, basename);
  }));
  CheckpointManager manager(dir, basename, state_filename, max_to_keep);
  StatusOr<CheckpointState> state = ReadOwnCheckpointState(dir, state_filename, basename);
  if (state.ok()) {
    manager.kept_ = state->paths;
  } else if (state.status().code() != Status::Code::kNotFound) {
    return state.status();
  }
  return manager;
}

std::string CheckpointManager::LatestPrefix() const {
  return kept_.empty() ? "" : JoinPath(dir_, kept_.back());
}

Status CheckpointManager::Save(int64_t step, const TrainingState& state,
                               std::vector<std::string>* deleted) {
  CheckpointSnapshot snapshot;
  TakeSnapshot(state, &snapshot);
  return SaveSnapshot(step, snapshot, deleted);
}

namespace {

// What may differ between two saves of one step: where the epoch stands (a
// stop after an epoch's last batch saves (epoch E-1, batch `batches`), the end
// of that epoch then (E, 0)), and the settings a resume may change on purpose
// (--lr, --l2, --ema-decay, --max-to-keep; the --data-dir as spelt, whose
// files' fingerprint must still agree). The weights, slots and step are the
// same; the listed checkpoint is kept, and the next save records the new
// settings. Which tensors those are is a column of the table of what a
// checkpoint holds: MayDifferAtSameStep (checkpoints/saver/checkpoint_contents.h).

// OK when the checkpoint at `prefix` verifies (every CRC) and holds the
// snapshot's tensors byte for byte but for the epoch bookkeeping above, and
// its .meta. Otherwise the first difference.
Status HoldsSameTraining(const std::string& prefix, const CheckpointSnapshot& snapshot) {
  StatusOr<std::unique_ptr<BundleReader>> reader = BundleReader::Open(prefix);
  if (!reader.ok()) return reader.status();
  size_t compared = 0;
  for (size_t i = 0; i < snapshot.specs.size(); ++i) {
    const std::string& key = snapshot.specs[i].name;
    // CRC-checked; a snapshot holds a (scalar) string tensor as its bytes.
    StatusOr<std::string> bytes = std::string();
    if (snapshot.specs[i].dtype == tensorflow::DT_STRING) {
      StatusOr<std::vector<std::string>> strings = (*reader)->ReadStrings(key);
      if (!strings.ok()) return strings.status();
      if (strings->size() != 1) return Status::DataLoss(prefix + ": tensor " + key + " is no scalar string");
      bytes = (*strings)[0];
    } else {
      bytes = (*reader)->ReadBytes(key);
    }
    if (!bytes.ok()) return bytes.status();
    ++compared;
    if (MayDifferAtSameStep(key)) continue;
    const size_t end = i + 1 < snapshot.offsets.size() ? snapshot.offsets[i + 1] : snapshot.data.size();
    if (bytes->compare(0, std::string::npos, snapshot.data, snapshot.offsets[i],
                       end - snapshot.offsets[i]) != 0) {
      return Status::DataLoss(prefix + ": tensor " + key + " differs from the one to save");
    }
  }
  if (compared != (*reader)->Keys().size()) {
    return Status::DataLoss(prefix + ": holds other tensors than the one to save");
  }
  std::string meta;
  MNIST_RETURN_IF_ERROR(ReadFile(MetaFilename(prefix), &meta));
  if (meta != snapshot.meta) return Status::DataLoss(MetaFilename(prefix) + ": differs");
  return Status::Ok();
}

}  // namespace

std::vector<std::string> CheckpointManager::KeptAfterSaving(const std::string& name,
                                                            std::vector<std::string>* dropped) const {
  std::vector<std::string> kept;
  for (const std::string& k : kept_) {
    if (k != name) kept.push_back(k);
  }
  kept.push_back(name);
  dropped->clear();
  if (max_to_keep_ > 0 && kept.size() > static_cast<size_t>(max_to_keep_)) {
    const size_t excess = kept.size() - static_cast<size_t>(max_to_keep_);
    dropped->assign(kept.begin(), kept.begin() + static_cast<std::ptrdiff_t>(excess));
    kept.erase(kept.begin(), kept.begin() + static_cast<std::ptrdiff_t>(excess));
  }
  return kept;
}

std::vector<std::string> CheckpointManager::WouldDelete(int64_t step) const {
  std::vector<std::string> dropped;
  KeptAfterSaving(CheckpointName(basename_, step), &dropped);
  return dropped;
}

Status CheckpointManager::Record(const std::vector<std::string>& kept) {
  const std::string state_path = JoinPath(dir_, state_filename_);
  if (kept.empty()) {
    MNIST_RETURN_IF_ERROR(RemoveFileIfExists(state_path));
    MNIST_RETURN_IF_ERROR(SyncParentDirectory(state_path));
  } else {
    MNIST_RETURN_IF_ERROR(WriteCheckpointState(dir_, state_filename_, CheckpointState{kept}));
  }
  kept_ = kept;
  return Status::Ok();
}

Status CheckpointManager::SaveSnapshot(int64_t step, const CheckpointSnapshot& snapshot,
                                       std::vector<std::string>* deleted) {
  const std::string name = CheckpointName(basename_, step);
  const std::string prefix = JoinPath(dir_, name);
  if (deleted != nullptr) deleted->clear();
  // A listed checkpoint is never rewritten in place (issue 11): one that
  // already holds this training is kept, anything else is unlisted first.
  bool write = true;
  if (std::find(kept_.begin(), kept_.end(), name) != kept_.end()) {
    if (HoldsSameTraining(prefix, snapshot).ok()) {
      write = false;
    } else {
      std::vector<std::string> others;
      for (const std::string& k : kept_) {
        if (k != name) others.push_back(k);
      }
      MNIST_RETURN_IF_ERROR(Record(others).WithContext("cannot record " + prefix));
    }
  }
  if (write) {
    const Status written = WriteSnapshot(prefix, snapshot);
    if (!written.ok()) {
      (void)DeleteCheckpointFiles(prefix);  // best effort: the write error matters more
      return written.WithContext("cannot save " + prefix);
    }
  }
  std::vector<std::string> dropped;
  const std::vector<std::string> kept = KeptAfterSaving(name, &dropped);
  const Status recorded = Record(kept);
  if (!recorded.ok()) {
    // Unlisted files are removed, unless the state file made it to disk
    // (a failure after its rename) and lists them.
    StatusOr<CheckpointState> on_disk = ReadCheckpointState(dir_, state_filename_);
    const bool listed = on_disk.ok() && std::find(on_disk->paths.begin(), on_disk->paths.end(),
                                                  name) != on_disk->paths.end();
    if (write && !listed) (void)DeleteCheckpointFiles(prefix);
    return recorded.WithContext("cannot record " + prefix);
  }
  for (const std::string& old : dropped) {
    MNIST_RETURN_IF_ERROR(DeleteCheckpointFiles(JoinPath(dir_, old)));
    if (deleted != nullptr) deleted->push_back(old);
  }
  return Status::Ok();
}

Status CheckpointManager::DeleteAll() {
  const std::string state_path = JoinPath(dir_, state_filename_);
  MNIST_RETURN_IF_ERROR(RemoveFileIfExists(state_path));
  MNIST_RETURN_IF_ERROR(SyncParentDirectory(state_path));
  std::vector<std::string> kept;
  kept.swap(kept_);
  for (const std::string& name : kept) MNIST_RETURN_IF_ERROR(DeleteCheckpointFiles(JoinPath(dir_, name)));
  return Status::Ok();
}

Status CheckpointManager::RemoveUnlisted(bool all, const std::vector<std::string>& also_listed,
                                         std::vector<std::string>* removed) const {
  int64_t newest = -1;
  for (const std::string& name : kept_) {
    std::string basename;
    int64_t step = -1;
    if (ParseCheckpointName(name, &basename, &step) && basename == basename_) {
      newest = std::max(newest, step);
    }
  }
  StatusOr<std::vector<std::string>> files = ListDirectory(dir_);
  if (!files.ok()) return files.status();
  std::sort(files->begin(), files->end());
  bool any = false;
  for (const std::string& file : *files) {
    std::string name;
    int64_t step = 0;
    if (!ParseCheckpointFilename(file, basename_, &name, &step)) continue;
    if (std::find(kept_.begin(), kept_.end(), name) != kept_.end() ||
        std::find(also_listed.begin(), also_listed.end(), name) != also_listed.end()) {
      continue;
    }
    if (!all && step >= newest) continue;
    MNIST_RETURN_IF_ERROR(RemoveFileIfExists(JoinPath(dir_, file)));
    removed->push_back(file);
    any = true;
  }
  return any ? SyncParentDirectory(JoinPath(dir_, basename_)) : Status::Ok();
}

Status DeleteCheckpointFiles(const std::string& prefix) {
  MNIST_RETURN_IF_ERROR(RemoveFileIfExists(IndexFilename(prefix)));
  MNIST_RETURN_IF_ERROR(RemoveFileIfExists(DataFilename(prefix, 0, kBundleNumShards)));
  MNIST_RETURN_IF_ERROR(RemoveFileIfExists(MetaFilename(prefix)));
  return SyncParentDirectory(prefix);
}

}  // namespace mnist
