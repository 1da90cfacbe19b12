// Shared by the fuzzers in tests/fuzz: a scratch directory on tmpfs, and the
// one input format of bundle_fuzzer.
#ifndef MNIST_TESTS_FUZZ_FUZZ_UTIL_H_
#define MNIST_TESTS_FUZZ_FUZZ_UTIL_H_

#include <cstddef>
#include <cstdint>
#include <string>

namespace mnist {
namespace fuzz {

// A directory of this process's own, made once (under /dev/shm when there
// is one, so file round trips stay in memory) and reused by every input.
const std::string& ScratchDir();

// bundle_fuzzer's input: a 4-byte little-endian length n, then n bytes of
// `.index`, then the `.data` bytes. EncodeBundle builds one; DecodeBundle
// splits one (a short input gives what it can).
std::string EncodeBundle(const std::string& index, const std::string& data);
void DecodeBundle(const uint8_t* bytes, size_t size, std::string* index, std::string* data);

// Writes `bytes` to `path`; false when that fails.
bool WriteBytes(const std::string& path, const std::string& bytes);

}  // namespace fuzz
}  // namespace mnist

#endif  // MNIST_TESTS_FUZZ_FUZZ_UTIL_H_
