// Protobuf / leveldb base-128 varints: encoding, and decoding untrusted bytes.
//
// Thread safety: pure functions.
#ifndef MNIST_IO_BASE_VARINT_H_
#define MNIST_IO_BASE_VARINT_H_

#include <cstdint>
#include <string>

namespace mnist {

// Parses a varint of at most `max_bits` bits (32 or 64) from [*p, end) and
// advances *p past it (leveldb util/coding.h GetVarint32Ptr/GetVarint64Ptr).
// False when it runs past `end` or is longer than max_bits allows.
inline bool GetVarint(const char** p, const char* end, int max_bits, uint64_t* value) {
  uint64_t result = 0;
  for (int shift = 0; shift < max_bits && *p < end; shift += 7) {
    const uint64_t byte = static_cast<unsigned char>(**p);
    ++*p;
    result |= (byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) {
      *value = result;
      return true;
    }
  }
  return false;
}

// Appends `v` as a varint of 1 to 10 bytes (leveldb util/coding.h PutVarint64).
inline void PutVarint64(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

}  // namespace mnist

#endif  // MNIST_IO_BASE_VARINT_H_
