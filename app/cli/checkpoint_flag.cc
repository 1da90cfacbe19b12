#include "app/cli/checkpoint_flag.h"

#include "checkpoints/state/checkpoint_state.h"
#include "checkpoints/state/naming.h"
#include "io/base/file.h"
#include "io/bundle/bundle_prefix.h"

namespace mnist {

Status CheckCheckpointFlag(const std::string& flag, const std::string& prefix) {
  const Status named = CheckBundlePrefix(prefix);
  if (named.ok()) return named;
  const std::string given = "--" + flag + " ";
  StatusOr<std::string> latest = LatestCheckpoint(prefix, kBestStateFilename);
  if (IsDirectory(prefix) && latest.ok()) {
    return Status::InvalidArgument(
        given + prefix + " is a directory, not a checkpoint prefix: " +
        (flag == "checkpoint" ? "use --ckpt-dir " + prefix + " for its latest checkpoint, or " : "") +
        "give the prefix of one, e.g. " + given + *latest);
  }
  if (named.code() == Status::Code::kFailedPrecondition) return named.WithContext(given + prefix);
  return Status::InvalidArgument(given + named.message());
}

}  // namespace mnist
