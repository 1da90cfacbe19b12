#include "checkpoints/state/checkpoint_state.h"

#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>

#include <algorithm>
#include <climits>
#include <filesystem>
#include <set>

#include "checkpoints/state/naming.h"
#include "io/bundle/bundle_format.h"
#include "io/bundle/bundle_prefix.h"
#include "io/base/file.h"
#include "io/proto/checkpoint_state.pb.h"

namespace mnist {
namespace {

namespace fs = std::filesystem;

// A state file lists names, one a line; a megabyte is thousands of them.
constexpr uint64_t kMaxStateFileBytes = uint64_t{1} << 20;

// Collects the parser's complaints so the Status can quote line and column.
class ErrorCollector : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, int column, const std::string& message) override {
    if (first_.empty()) {
      first_ = "line " + std::to_string(line + 1) + ", column " + std::to_string(column + 1) +
               ": " + message;
    }
  }
  const std::string& first() const { return first_; }

 private:
  std::string first_;
};

// A checkpoint's longest file name: `<name>.data-00000-of-00001`.
constexpr size_t kLongestFileSuffix = sizeof(".data-00000-of-00001") - 1;
// Bytes of a recorded path quoted in a message; a longer one is cut.
constexpr size_t kQuotedBytes = 80;

// `recorded` in quotes for a message, cut after kQuotedBytes.
std::string Quoted(const std::string& recorded) {
  if (recorded.size() <= kQuotedBytes) return "\"" + recorded + "\"";
  return "\"" + recorded.substr(0, kQuotedBytes) + "...\" (" + std::to_string(recorded.size()) +
         " bytes)";
}

// DataLoss naming the state file unless `recorded` can be a checkpoint name at
// all: not empty, no NUL or other control byte (unlink() stops at a NUL, so
// "notes.txt\0" would delete notes.txt), and short enough for its files to
// exist. Checked before the name is used for anything.
Status CheckRecordedName(const std::string& recorded, const std::string& state_path) {
  if (recorded.empty()) return Status::DataLoss(state_path + ": names an empty checkpoint path");
  for (size_t i = 0; i < recorded.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(recorded[i]);
    if (c < 0x20 || c == 0x7f) {
      return Status::DataLoss(state_path + ": checkpoint path " + Quoted(recorded) + " has a " +
                              (c == 0 ? "NUL" : "control") + " byte at byte " + std::to_string(i) +
                              ", which no checkpoint name has; refusing the file");
    }
  }
  size_t longest = 0;
  for (const fs::path& part : fs::path(recorded)) longest = std::max(longest, part.native().size());
  if (recorded.size() >= PATH_MAX || longest + kLongestFileSuffix > NAME_MAX) {
    return Status::DataLoss(state_path + ": checkpoint path " + Quoted(recorded) +
                            " is too long for its files to exist (a name of at most " +
                            std::to_string(NAME_MAX - kLongestFileSuffix) +
                            " bytes); refusing the file");
  }
  return Status::Ok();
}

// `dir` as an absolute path with every symlink resolved.
fs::path CanonicalDirectory(const std::string& dir) {
  std::error_code ec;
  return fs::weakly_canonical(fs::absolute(dir), ec);
}

// True when `path`, with every symlink it has resolved, lies in `base`.
bool Inside(const fs::path& base, const fs::path& path) {
  std::error_code ec;
  const fs::path rel = fs::weakly_canonical(path, ec).lexically_relative(base);
  return !ec && !rel.empty() && *rel.begin() != "..";
}

}  // namespace

StatusOr<std::string> ContainedName(const std::string& dir, const std::string& recorded,
                                    const std::string& state_path) {
  MNIST_RETURN_IF_ERROR(CheckRecordedName(recorded, state_path));
  fs::path p(recorded);
  const fs::path base = CanonicalDirectory(dir);
  std::error_code ec;
  if (p.is_absolute()) {
    // Accept an absolute path only when it lies inside `dir` (a directory
    // written by TF with an absolute save path, still in place).
    const fs::path rel = fs::weakly_canonical(p, ec).lexically_relative(base);
    if (ec || rel.empty() || *rel.begin() == ".." || rel.has_parent_path()) {
      return Status::FailedPrecondition(state_path + ": checkpoint path \"" + recorded +
                                     "\" is outside " + dir +
                                     "; refusing to read or delete files elsewhere");
    }
    p = rel;
  }
  for (const fs::path& part : p) {
    if (part == "..") {
      return Status::FailedPrecondition(state_path + ": checkpoint path \"" + recorded +
                                     "\" leads out of " + dir + " through \"..\"; refusing it");
    }
  }
  // A symlink inside the directory must not lead out of it either: neither
  // one on the way to the checkpoint nor one of its files.
  const std::string prefix = (base / p).string();
  for (const std::string& file : {prefix, IndexFilename(prefix), DataFilename(prefix, 0, kBundleNumShards),
                                  MetaFilename(prefix)}) {
    if (!Inside(base, file)) {
      return Status::FailedPrecondition(state_path + ": checkpoint path \"" + recorded + "\" (" +
                                     file + ") resolves outside " + dir + "; refusing it");
    }
  }
  return p.lexically_normal().string();
}

StatusOr<CheckpointState> ReadCheckpointState(const std::string& dir, const std::string& filename) {
  const std::string path = JoinPath(dir, filename);
  if (!Inside(CanonicalDirectory(dir), fs::absolute(path))) {
    return Status::FailedPrecondition(path + ": is a symlink leading out of " + dir +
                                   "; refusing to read it");
  }
  std::string text;
  Status read = ReadFile(path, &text, kMaxStateFileBytes);
  if (!read.ok()) {
    if (read.code() == Status::Code::kNotFound && !FileExists(dir)) {
      return Status::NotFound(dir + ": checkpoint directory does not exist");
    }
    return read;
  }
  return ParseCheckpointState(dir, path, text);
}

StatusOr<CheckpointState> ParseCheckpointState(const std::string& dir, const std::string& path,
                                               const std::string& text) {
  tensorflow::CheckpointState proto;
  ErrorCollector errors;
  google::protobuf::TextFormat::Parser parser;
  parser.RecordErrorsTo(&errors);
  if (!parser.ParseFromString(text, &proto)) {
    return Status::DataLoss(path + ": not a CheckpointState text file (" + errors.first() + ")");
  }
  if (proto.model_checkpoint_path().empty()) {
    return Status::DataLoss(path + ": names no model_checkpoint_path" +
                            (text.empty() ? " (the file is empty)" : ""));
  }
  CheckpointState state;
  for (const std::string& recorded : proto.all_model_checkpoint_paths()) {
    StatusOr<std::string> name = ContainedName(dir, recorded, path);
    if (!name.ok()) return name.status();
    state.paths.push_back(*name);
  }
  StatusOr<std::string> latest = ContainedName(dir, proto.model_checkpoint_path(), path);
  if (!latest.ok()) return latest.status();
  // As TF does: the model path is the newest, listed last exactly once. A
  // name listed twice counts once, where it is listed last: a duplicate would
  // make pruning delete files that the other entry still lists.
  std::vector<std::string> ordered = {*latest};
  std::set<std::string> seen = {*latest};
  for (auto it = state.paths.rbegin(); it != state.paths.rend(); ++it) {
    if (seen.insert(*it).second) ordered.push_back(*it);
  }
  state.paths.assign(ordered.rbegin(), ordered.rend());
  return state;
}

StatusOr<CheckpointState> ReadOwnCheckpointState(const std::string& dir,
                                                 const std::string& filename,
                                                 const std::string& basename) {
  StatusOr<CheckpointState> state = ReadCheckpointState(dir, filename);
  if (!state.ok()) return state;
  for (const std::string& name : state->paths) {
    if (!IsCheckpointNameOf(name, basename)) {
      return Status::DataLoss(JoinPath(dir, filename) + ": lists " + Quoted(name) +
                              ", which is not a checkpoint this file keeps (" + basename +
                              "-N); refusing to prune by it, so no other file is deleted: "
                              "correct or remove the file");
    }
  }
  return state;
}

Status WriteCheckpointState(const std::string& dir, const std::string& filename,
                            const CheckpointState& state) {
  tensorflow::CheckpointState proto;
  proto.set_model_checkpoint_path(state.latest());
  for (const std::string& p : state.paths) proto.add_all_model_checkpoint_paths(p);
  std::string text;
  google::protobuf::TextFormat::PrintToString(proto, &text);
  return WriteFileAtomically(JoinPath(dir, filename), text);
}

StatusOr<std::string> LatestCheckpoint(const std::string& dir, const std::string& filename) {
  StatusOr<CheckpointState> state = ReadCheckpointState(dir, filename);
  if (!state.ok()) return state.status();
  const std::string prefix = JoinPath(dir, state->latest());
  const Status named = CheckBundlePrefix(prefix);
  if (named.ok()) return prefix;
  if (named.code() != Status::Code::kNotFound) return named;
  return Status::NotFound(JoinPath(dir, filename) + " names " + state->latest() + ", but " +
                          IndexFilename(prefix) + " does not exist");
}

}  // namespace mnist
