// MD5 (RFC 1321): the checksum the MNIST files are published with.
//
// Only for checking downloads against a known digest; MD5 is broken for
// anything adversarial, so a match proves "the file we expected", not
// "nobody tampered with it" (the size is checked too, see
// data/download/mnist_download.h). Test vectors from RFC 1321 appendix A.5 are in
// tests/io/md5_test.cc.
//
// Thread safety: an Md5 object is used by one thread at a time; Md5Hex is a
// pure function.
#ifndef MNIST_IO_BASE_MD5_H_
#define MNIST_IO_BASE_MD5_H_

#include <cstddef>
#include <cstdint>
#include <string>

namespace mnist {

// Incremental MD5: Update() any number of times, then HexDigest() once.
class Md5 {
 public:
  Md5();
  // Appends data[0, n) to the message.
  void Update(const void* data, size_t n);
  // The digest as 32 lower-case hex digits. REQUIRES: called once, last.
  std::string HexDigest();

 private:
  void Transform(const uint8_t block[64]);

  uint32_t state_[4];  // A, B, C, D (RFC 1321 section 3.3)
  uint64_t length_ = 0;  // message bytes so far
  uint8_t buffer_[64];   // a partial block, length_ % 64 bytes
};

// The MD5 of `data` as 32 lower-case hex digits.
std::string Md5Hex(const std::string& data);

}  // namespace mnist

#endif  // MNIST_IO_BASE_MD5_H_
