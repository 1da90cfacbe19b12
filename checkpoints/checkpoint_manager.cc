#include "checkpoints/checkpoint_manager.h"

#include <algorithm>

#include "checkpoints/checkpoint_state.h"
#include "checkpoints/naming.h"
#include "io/bundle_format.h"
#include "io/file.h"

namespace mnist {

StatusOr<CheckpointManager> CheckpointManager::Open(const std::string& dir,
                                                    const std::string& basename,
                                                    const std::string& state_filename,
                                                    int max_to_keep) {
  if (max_to_keep < 0) {
    return Status::BadFlag("--max-to-keep " + std::to_string(max_to_keep) +
                                   ": must be 0 (keep all) or more");
  }
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

Status CheckpointManager::SaveSnapshot(int64_t step, const CheckpointSnapshot& snapshot,
                                       std::vector<std::string>* deleted) {
  const std::string name = CheckpointName(basename_, step);
  const std::string prefix = JoinPath(dir_, name);
  MNIST_RETURN_IF_ERROR(WriteSnapshot(prefix, snapshot).WithContext("cannot save " + prefix));

  std::vector<std::string> kept;
  for (const std::string& k : kept_) {
    if (k != name) kept.push_back(k);
  }
  kept.push_back(name);
  std::vector<std::string> dropped;
  if (max_to_keep_ > 0 && kept.size() > static_cast<size_t>(max_to_keep_)) {
    const size_t excess = kept.size() - static_cast<size_t>(max_to_keep_);
    dropped.assign(kept.begin(), kept.begin() + static_cast<std::ptrdiff_t>(excess));
    kept.erase(kept.begin(), kept.begin() + static_cast<std::ptrdiff_t>(excess));
  }
  MNIST_RETURN_IF_ERROR(WriteCheckpointState(dir_, state_filename_, CheckpointState{kept})
                            .WithContext("cannot record " + prefix));
  kept_ = kept;
  if (deleted != nullptr) deleted->clear();
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

Status DeleteCheckpointFiles(const std::string& prefix) {
  MNIST_RETURN_IF_ERROR(RemoveFileIfExists(IndexFilename(prefix)));
  MNIST_RETURN_IF_ERROR(RemoveFileIfExists(DataFilename(prefix, 0, kBundleNumShards)));
  MNIST_RETURN_IF_ERROR(RemoveFileIfExists(MetaFilename(prefix)));
  return SyncParentDirectory(prefix);
}

}  // namespace mnist
