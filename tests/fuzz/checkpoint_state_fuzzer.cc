// libFuzzer target: the `checkpoint` state file parser
// (checkpoints/state/checkpoint_state.h ParseCheckpointState), text in, names
// checked against a scratch directory.
#include <cstddef>
#include <cstdint>
#include <string>

#include "checkpoints/state/checkpoint_state.h"
#include "tests/fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const std::string& dir = mnist::fuzz::ScratchDir();
  mnist::StatusOr<mnist::CheckpointState> state =
      mnist::ParseCheckpointState(dir, dir + "/checkpoint", text);
  if (state.ok() && state->paths.empty()) __builtin_trap();  // latest() needs one
  return 0;
}
