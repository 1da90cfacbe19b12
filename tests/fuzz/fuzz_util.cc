#include "tests/fuzz/fuzz_util.h"

#include <stdlib.h>
#include <unistd.h>

#include <cstdio>

namespace mnist {
namespace fuzz {

const std::string& ScratchDir() {
  static const std::string dir = [] {
    std::string pattern = access("/dev/shm", W_OK) == 0 ? "/dev/shm/mnist_fuzz.XXXXXX"
                                                         : "/tmp/mnist_fuzz.XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) abort();
    return pattern;
  }();
  return dir;
}

std::string EncodeBundle(const std::string& index, const std::string& data) {
  std::string out;
  const uint32_t n = static_cast<uint32_t>(index.size());
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((n >> (8 * i)) & 0xff));
  return out + index + data;
}

void DecodeBundle(const uint8_t* bytes, size_t size, std::string* index, std::string* data) {
  uint32_t n = 0;
  for (size_t i = 0; i < 4 && i < size; ++i) n |= uint32_t{bytes[i]} << (8 * i);
  const size_t rest = size < 4 ? 0 : size - 4;
  const size_t index_size = n < rest ? n : rest;
  index->assign(reinterpret_cast<const char*>(bytes) + (size - rest), index_size);
  data->assign(reinterpret_cast<const char*>(bytes) + (size - rest) + index_size, rest - index_size);
}

bool WriteBytes(const std::string& path, const std::string& bytes) {
  FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return false;
  const bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  return std::fclose(f) == 0 && ok;
}

}  // namespace fuzz
}  // namespace mnist
