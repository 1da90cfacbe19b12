// libFuzzer target: the TensorBundle reader (io/bundle/bundle_reader.h). The input
// is an `.index` and a `.data` file (tests/fuzz/fuzz_util.h EncodeBundle),
// written to a scratch directory; the fuzzer opens the bundle and reads
// every tensor it lists, as restore and --inspect do.
#include <cstddef>
#include <cstdint>
#include <string>

#include "io/bundle/bundle_format.h"
#include "io/bundle/bundle_reader.h"
#include "tests/fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string index, tensors;
  mnist::fuzz::DecodeBundle(data, size, &index, &tensors);
  const std::string prefix = mnist::fuzz::ScratchDir() + "/bundle";
  if (!mnist::fuzz::WriteBytes(mnist::IndexFilename(prefix), index) ||
      !mnist::fuzz::WriteBytes(mnist::DataFilename(prefix, 0, 1), tensors)) {
    return 0;
  }
  mnist::StatusOr<std::unique_ptr<mnist::BundleReader>> reader = mnist::BundleReader::Open(prefix);
  if (!reader.ok()) return 0;
  for (const std::string& key : (*reader)->Keys()) {
    if ((*reader)->Lookup(key)->dtype == tensorflow::DT_STRING) {
      (void)(*reader)->ReadStrings(key);
    } else {
      (void)(*reader)->ReadBytes(key);
    }
  }
  return 0;
}
