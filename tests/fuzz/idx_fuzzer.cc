// libFuzzer target: the IDX reader (io/idx/idx_reader.h), raw bytes through
// ParseIdxImages and ParseIdxLabels, and the same bytes as a file through
// ReadIdxImages/ReadIdxLabels (which inflate gzip input).
#include <cstddef>
#include <cstdint>
#include <string>

#include "io/idx/idx_reader.h"
#include "tests/fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  mnist::StatusOr<mnist::IdxImages> images = mnist::ParseIdxImages("fuzz", bytes);
  if (images.ok() && images->count > 0) (void)images->image(images->count - 1)[0];
  mnist::StatusOr<mnist::IdxLabels> labels = mnist::ParseIdxLabels("fuzz", bytes);
  if (labels.ok() && labels->count() > 0) (void)labels->label(labels->count() - 1);
  if (size >= 2 && data[0] == 0x1f && data[1] == 0x8b) {
    const std::string path = mnist::fuzz::ScratchDir() + "/input.gz";
    if (mnist::fuzz::WriteBytes(path, bytes)) {
      (void)mnist::ReadIdxImages(path);
      (void)mnist::ReadIdxLabels(path);
    }
  }
  return 0;
}
