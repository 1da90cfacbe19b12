// CRC32C (Castagnoli): the checksum of TensorFlow's TensorBundle data and of
// the leveldb-format blocks of its `.index` table.
//
// The polynomial is 0x1EDC6F41, used bit-reflected (0x82F63B78), with initial
// value 0 and the usual pre/post inversion, exactly as leveldb's
// util/crc32c.h and TF's core/lib/hash/crc32c.h compute it (RFC 3720 test
// vectors in tests/io/crc32c_test.cc). On x86 built with SSE4.2 (we compile with
// -march=native) the CPU's crc32 instruction does the work, three streams at
// a time (30 GB/s from cache here, 3x one stream); elsewhere a slicing-by-8
// table does. Both give identical results.
//
// Stored checksums are masked (Mask/Unmask): a CRC over bytes that themselves
// contain embedded CRCs is weak, so leveldb and TF store a rotated and offset
// value instead. See ../shared/TF_FORMAT.md section 4.
//
// Thread safety: pure functions over caller-owned bytes.
#ifndef MNIST_IO_BUNDLE_CRC32C_H_
#define MNIST_IO_BUNDLE_CRC32C_H_

#include <cstddef>
#include <cstdint>

namespace mnist {
namespace crc32c {

// Returns the CRC32C of concat(A, data[0, n)) where `crc` is the CRC32C of
// some byte string A. Extend(0, ...) starts a new checksum.
uint32_t Extend(uint32_t crc, const void* data, size_t n);

// Returns the CRC32C of data[0, n).
inline uint32_t Value(const void* data, size_t n) { return Extend(0, data, n); }

// Added after the rotation by Mask (leveldb's kMaskDelta).
constexpr uint32_t kMaskDelta = 0xa282ead8u;

// The value stored on disk for checksum `crc`: rotate right by 15, add delta.
inline uint32_t Mask(uint32_t crc) { return ((crc >> 15) | (crc << 17)) + kMaskDelta; }

// Inverse of Mask.
inline uint32_t Unmask(uint32_t masked) {
  const uint32_t rotated = masked - kMaskDelta;
  return (rotated >> 17) | (rotated << 15);
}

// The table-driven implementation, always available; exposed so tests can
// check it against the hardware path.
uint32_t ExtendPortable(uint32_t crc, const void* data, size_t n);

// True when Extend uses the CPU's crc32 instruction.
bool IsHardwareAccelerated();

}  // namespace crc32c
}  // namespace mnist

#endif  // MNIST_IO_BUNDLE_CRC32C_H_
