#include "app/cli/mode_flags.h"

#include <algorithm>

namespace mnist {
namespace {

const ModeFlag* FindModeFlag(const std::string& flag) {
  for (const ModeFlag& m : kModeFlags) {
    if (flag == m.flag) return &m;
  }
  return nullptr;
}

const ModeFlag& ModeFlagOf(Mode mode) {
  for (const ModeFlag& m : kModeFlags) {
    if (m.mode == mode) return m;
  }
  return kModeFlags[0];  // unreachable: every mode but kHelp has its flag
}

// The flags that more than one mode reads (or that no mode's help group
// declares), with every mode that reads them; app/*.h say which options each
// mode's Run function uses. Every other flag is read by the one mode whose
// help group declares it.
const std::map<std::string, std::vector<Mode>>& SharedFlags() {
  static const auto* shared = new std::map<std::string, std::vector<Mode>>{
      {"batch-size", {Mode::kTrain, Mode::kPredict}},
      {"input", {Mode::kEval, Mode::kPredict}},
      {"pixel-scale", {Mode::kEval, Mode::kPredict, Mode::kRun}},
      {"checkpoint", {Mode::kEval, Mode::kFreeze, Mode::kExportOnnx}},
      {"use-ema", {Mode::kEval, Mode::kFreeze, Mode::kExportOnnx}},
      {"var-map", {Mode::kEval, Mode::kFreeze, Mode::kExportOnnx}},
      {"data-dir", {Mode::kTrain, Mode::kEval, Mode::kDownload}},
      {"ckpt-dir", {Mode::kTrain, Mode::kEval, Mode::kFreeze, Mode::kExportOnnx, Mode::kPlot}},
      {"threads", {Mode::kTrain, Mode::kEval, Mode::kPredict}},  // the modes that compute
      {"output", {Mode::kEval, Mode::kFreeze, Mode::kPredict, Mode::kPlot}},
      {"mirror", {Mode::kDownload}},
  };
  return *shared;
}

}  // namespace

std::string ModeList(const std::string& separator) {
  std::string list;
  for (const ModeFlag& m : kModeFlags) list += (list.empty() ? "" : separator) + m.usage;
  return list;
}

StatusOr<std::map<std::string, std::vector<Mode>>> FlagReaders(const cxxopts::Options& options) {
  std::map<std::string, std::vector<Mode>> readers = SharedFlags();
  for (const std::string& group : options.groups()) {
    const std::vector<cxxopts::HelpOptionDetails>& flags = options.group_help(group).options;
    const ModeFlag* owner = flags.empty() ? nullptr : FindModeFlag(flags.front().l.front());
    for (const cxxopts::HelpOptionDetails& flag : flags) {
      const std::string& name = flag.l.front();
      if (name == "help" || FindModeFlag(name) != nullptr || readers.count(name)) continue;
      if (owner == nullptr) {
        return Status::FailedPrecondition("mode_flags.cc: no mode reads --" + name +
                                          "; add it to SharedFlags()");
      }
      readers[name] = {owner->mode};
    }
  }
  return readers;
}

Status CheckFlagsFitMode(const cxxopts::ParseResult& result, Mode mode,
                         const std::map<std::string, std::vector<Mode>>& readers) {
  for (const cxxopts::KeyValue& arg : result.arguments()) {
    auto it = readers.find(arg.key());
    if (it == readers.end()) continue;  // a mode flag or --help
    const std::vector<Mode>& modes = it->second;
    if (std::find(modes.begin(), modes.end(), mode) != modes.end()) continue;
    std::string list;
    for (size_t i = 0; i < modes.size(); ++i) {
      list += std::string(i == 0 ? "" : i + 1 == modes.size() ? " or " : ", ") + "--" +
              ModeFlagOf(modes[i]).flag;
    }
    return Status::InvalidArgument("--" + arg.key() + " is a " + list + " flag, not for --" +
                                   ModeFlagOf(mode).flag);
  }
  return Status::Ok();
}

}  // namespace mnist
