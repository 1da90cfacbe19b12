// Byte coding: fixed-width little- and big-endian integers, protobuf /
// leveldb base-128 varints (encoding, and decoding untrusted bytes), and the
// hex form messages give a 32- or 64-bit word in.
//
// Loads read exactly 4 or 8 bytes at `p`: the caller checks they are there.
//
// Thread safety: pure functions.
#ifndef MNIST_IO_BASE_BYTE_CODING_H_
#define MNIST_IO_BASE_BYTE_CODING_H_

#include <cstdint>
#include <cstdio>
#include <string>

namespace mnist {

// The 4 bytes at `p` as a little-endian word (leveldb util/coding.h DecodeFixed32).
inline uint32_t LoadLE32(const void* p) {
  const auto* b = static_cast<const unsigned char*>(p);
  return uint32_t{b[0]} | uint32_t{b[1]} << 8 | uint32_t{b[2]} << 16 | uint32_t{b[3]} << 24;
}

// The 8 bytes at `p` as a little-endian word (leveldb util/coding.h DecodeFixed64).
inline uint64_t LoadLE64(const void* p) {
  const auto* b = static_cast<const unsigned char*>(p);
  return uint64_t{LoadLE32(b)} | uint64_t{LoadLE32(b + 4)} << 32;
}

// The 4 bytes at `p` as a big-endian word (IDX headers).
inline uint32_t LoadBE32(const void* p) {
  const auto* b = static_cast<const unsigned char*>(p);
  return uint32_t{b[0]} << 24 | uint32_t{b[1]} << 16 | uint32_t{b[2]} << 8 | uint32_t{b[3]};
}

// Appends `v` as 4 little-endian bytes (leveldb util/coding.h PutFixed32).
inline void PutLE32(std::string* out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

// Appends `v` as 4 big-endian bytes (IDX headers).
inline void PutBE32(std::string* out, uint32_t v) {
  for (int i = 3; i >= 0; --i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

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

// "0x0000080d": a 32-bit word as messages show it (magic numbers, CRCs).
inline std::string Hex32(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "0x%08x", v);
  return buf;
}

// "0xdb4775248b80fb57": a 64-bit word as messages show it.
inline std::string Hex64(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof(buf), "0x%016llx", static_cast<unsigned long long>(v));
  return buf;
}

}  // namespace mnist

#endif  // MNIST_IO_BASE_BYTE_CODING_H_
