#include "checkpoints/state/naming.h"
#include "io/base/strings.h"

namespace mnist {

std::string JoinPath(const std::string& dir, const std::string& name) {
  if (dir.empty()) return name;
  if (dir.back() == '/') return dir + name;
  return dir + "/" + name;
}

std::string CheckpointName(const std::string& basename, int64_t step) {
  return basename + "-" + std::to_string(step);
}

std::string MetaFilename(const std::string& prefix) { return prefix + ".meta"; }

bool ParseCheckpointName(const std::string& name, std::string* basename, int64_t* step) {
  if (name.find('/') != std::string::npos) return false;
  const size_t dash = name.rfind('-');
  if (dash == std::string::npos || dash == 0 || dash + 1 == name.size()) return false;
  const std::string digits = name.substr(dash + 1);
  if (digits.size() > 18) return false;  // fits int64 without overflow checks
  int64_t value = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  *basename = name.substr(0, dash);
  *step = value;
  return true;
}

bool IsCheckpointNameOf(const std::string& name, const std::string& basename) {
  std::string parsed_basename;
  int64_t step = 0;
  return ParseCheckpointName(name, &parsed_basename, &step) && parsed_basename == basename &&
         name == CheckpointName(basename, step);
}

bool IsCheckpointFile(const std::string& filename, const std::string& basename) {
  std::string name;
  int64_t step = 0;
  return ParseCheckpointFilename(filename, basename, &name, &step);
}

bool ParseCheckpointFilename(const std::string& filename, const std::string& basename,
                             std::string* name, int64_t* step) {
  const std::string suffixes[] = {".index", ".data-00000-of-00001", ".meta"};
  for (const std::string& suffix : suffixes) {
    std::string stem;
    if (!StripSuffix(filename, suffix, &stem)) continue;
    if (!IsCheckpointNameOf(stem, basename)) return false;
    std::string parsed_basename;
    ParseCheckpointName(stem, &parsed_basename, step);
    *name = stem;
    return true;
  }
  return false;
}

}  // namespace mnist
