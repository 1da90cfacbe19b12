#include "checkpoints/state/state_recovery.h"

#include <algorithm>
#include <filesystem>
#include <memory>
#include <utility>

#include "checkpoints/state/checkpoint_state.h"
#include "checkpoints/state/naming.h"
#include "io/bundle/bundle_reader.h"
#include "io/base/file.h"
#include "io/base/strings.h"

namespace mnist {
namespace {

// Every tensor of `prefix` reads back with its CRC passing, and its .meta is there.
bool PassesChecks(const std::string& prefix) {
  if (!FileExists(MetaFilename(prefix))) return false;
  StatusOr<std::unique_ptr<BundleReader>> reader = BundleReader::Open(prefix);
  if (!reader.ok()) return false;
  for (const std::string& key : (*reader)->Keys()) {
    StatusOr<BundleReader::Entry> entry = (*reader)->Lookup(key);
    if (!entry.ok()) return false;
    const bool ok = entry->dtype == tensorflow::DT_STRING ? (*reader)->ReadStrings(key).ok()
                                                           : (*reader)->ReadBytes(key).ok();
    if (!ok) return false;
  }
  return true;
}

}  // namespace

bool IsDamagedStateFile(const Status& status) {
  return status.code() == Status::Code::kDataLoss;
}

std::vector<std::string> CompleteCheckpointsOnDisk(const std::string& dir,
                                                   const std::string& basename) {
  StatusOr<std::vector<std::string>> names = ListDirectory(dir);
  if (!names.ok()) return {};
  const std::string suffix = ".index";
  std::vector<std::pair<int64_t, std::string>> found;
  for (const std::string& file : *names) {
    std::string name;
    if (!StripSuffix(file, suffix, &name)) continue;
    std::string base;
    int64_t step = 0;
    if (!ParseCheckpointName(name, &base, &step) || base != basename) continue;
    if (PassesChecks(JoinPath(dir, name))) found.push_back({step, name});
  }
  std::sort(found.begin(), found.end());
  std::vector<std::string> kept;
  for (auto& [step, name] : found) kept.push_back(std::move(name));
  return kept;
}

StatusOr<CheckpointManager> OpenRecovering(const std::string& dir, const std::string& basename,
                                           const std::string& state_filename, int max_to_keep,
                                           bool any_error, FILE* err) {
  StatusOr<CheckpointManager> manager =
      CheckpointManager::Open(dir, basename, state_filename, max_to_keep);
  if (manager.ok()) return manager;
  const bool unusable = IsDamagedStateFile(manager.status()) ||
                        (any_error && manager.status().code() == Status::Code::kFailedPrecondition);
  if (!unusable) return manager;
  std::fprintf(err, "mnist: %s\n", manager.status().message().c_str());
  CheckpointState state;
  state.paths = CompleteCheckpointsOnDisk(dir, basename);
  const std::string path = JoinPath(dir, state_filename);
  // Something else where the state file belongs (a FIFO, a socket, a
  // directory): removed first, as nothing can be written over it; a
  // directory with files in it is left for its owner to move.
  std::error_code type_error;
  const std::filesystem::file_status type = std::filesystem::symlink_status(path, type_error);
  if (!type_error && std::filesystem::exists(type) && !std::filesystem::is_regular_file(type)) {
    std::error_code removed;
    std::filesystem::remove(path, removed);
    if (removed) {
      return Status::IOError(path + ": is not a state file and cannot be removed (" + removed.message() +
                             "); move it away and run again");
    }
  }
  if (state.paths.empty()) {
    MNIST_RETURN_IF_ERROR(RemoveFileIfExists(path));
    std::fprintf(err, "mnist: %s: damaged and no complete %s-N checkpoint is on disk: removed\n",
                 path.c_str(), basename.c_str());
  } else {
    MNIST_RETURN_IF_ERROR(WriteCheckpointState(dir, state_filename, state));
    const std::string list = StrJoin(state.paths, ", ");
    std::fprintf(err, "mnist: %s: damaged: rewritten from the checkpoints on disk whose CRCs "
                 "pass: %s\n", path.c_str(), list.c_str());
  }
  return CheckpointManager::Open(dir, basename, state_filename, max_to_keep);
}

}  // namespace mnist
