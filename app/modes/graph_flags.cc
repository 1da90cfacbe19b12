#include "app/modes/graph_flags.h"

#include "io/base/strings.h"

namespace mnist {

Status WithInputHint(const Status& status, const ImportedGraph& graph) {
  if (status.ok() || graph.input_names().size() == 1) return status;
  return status.WithHint("name the one the images feed with --input");
}

Status WithFlagsGiven(const Status& status, const std::vector<std::string>& flags) {
  if (status.code() != Status::Code::kInvalidArgument) return status;
  std::vector<std::string> given;
  for (const std::string& flag : flags) {
    if (!flag.empty()) given.push_back(flag);
  }
  return given.empty() ? status : status.WithContext(StrJoin(given, " "));
}

}  // namespace mnist
