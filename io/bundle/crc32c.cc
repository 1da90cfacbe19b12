#include "io/bundle/crc32c.h"

#include <array>
#include <cstring>

#include "io/base/byte_coding.h"

#if defined(__SSE4_2__)
#include <nmmintrin.h>
#endif

namespace mnist {
namespace crc32c {
namespace {

constexpr uint32_t kReflectedPolynomial = 0x82F63B78u;

// kTables[0] is the classic byte-at-a-time table; kTables[k][b] is the CRC of
// byte b followed by k zero bytes, which lets eight bytes be folded with eight
// independent lookups ("slicing-by-8").
using Tables = std::array<std::array<uint32_t, 256>, 8>;

constexpr Tables MakeTables() {
  Tables t{};
  for (uint32_t b = 0; b < 256; ++b) {
    uint32_t crc = b;
    for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ ((crc & 1u) ? kReflectedPolynomial : 0u);
    t[0][b] = crc;
  }
  for (size_t k = 1; k < 8; ++k) {
    for (uint32_t b = 0; b < 256; ++b) {
      const uint32_t prev = t[k - 1][b];
      t[k][b] = (prev >> 8) ^ t[0][prev & 0xffu];
    }
  }
  return t;
}

constexpr Tables kTables = MakeTables();

}  // namespace

uint32_t ExtendPortable(uint32_t crc, const void* data, size_t n) {
  const auto* p = static_cast<const uint8_t*>(data);
  uint32_t c = ~crc;
  while (n >= 8) {
    const uint32_t lo = LoadLE32(p) ^ c;
    const uint32_t hi = LoadLE32(p + 4);
    c = kTables[7][lo & 0xffu] ^ kTables[6][(lo >> 8) & 0xffu] ^ kTables[5][(lo >> 16) & 0xffu] ^
        kTables[4][lo >> 24] ^ kTables[3][hi & 0xffu] ^ kTables[2][(hi >> 8) & 0xffu] ^
        kTables[1][(hi >> 16) & 0xffu] ^ kTables[0][hi >> 24];
    p += 8;
    n -= 8;
  }
  while (n > 0) {
    c = kTables[0][(c ^ *p) & 0xffu] ^ (c >> 8);
    ++p;
    --n;
  }
  return ~c;
}

#if defined(__SSE4_2__) && defined(__x86_64__)

namespace {

// The crc32 instruction takes three cycles to give its result but can start
// one every cycle, so long buffers run as three streams at once: the three
// consecutive kStreamBytes-long parts of each block, the second and third
// started from 0, then joined. The CRC register is linear over GF(2), so a
// register followed by n zero bytes is a fixed 32x32 bit matrix applied to
// it, and the register after A then B is Shift(register after A) ^
// (register of B started from 0). kShift[k][b] is that matrix applied to
// byte b in byte position k, for n = kStreamBytes.
constexpr size_t kStreamBytes = 1024;
constexpr size_t kBlockBytes = 3 * kStreamBytes;

using ShiftTables = std::array<std::array<uint32_t, 256>, 4>;

ShiftTables MakeShiftTables() {
  // The matrix's columns: each one-bit register after kStreamBytes zeros.
  std::array<uint32_t, 32> column{};
  for (int bit = 0; bit < 32; ++bit) {
    uint64_t c = uint64_t{1} << bit;
    for (size_t i = 0; i < kStreamBytes; i += 8) c = _mm_crc32_u64(c, 0);
    column[bit] = static_cast<uint32_t>(c);
  }
  ShiftTables t{};
  for (int k = 0; k < 4; ++k) {
    for (uint32_t b = 0; b < 256; ++b) {
      uint32_t v = 0;
      for (int bit = 0; bit < 8; ++bit) {
        if (b & (1u << bit)) v ^= column[8 * k + bit];
      }
      t[k][b] = v;
    }
  }
  return t;
}

inline uint32_t Shift(const ShiftTables& t, uint32_t c) {
  return t[0][c & 0xffu] ^ t[1][(c >> 8) & 0xffu] ^ t[2][(c >> 16) & 0xffu] ^ t[3][c >> 24];
}

inline uint64_t Load64(const uint8_t* p) {
  uint64_t word;
  std::memcpy(&word, p, sizeof(word));  // x86 is little-endian, as the CRC expects
  return word;
}

}  // namespace

uint32_t Extend(uint32_t crc, const void* data, size_t n) {
  static const ShiftTables kShift = MakeShiftTables();
  const auto* p = static_cast<const uint8_t*>(data);
  uint64_t c = ~crc;
  // Byte steps up to an 8-byte boundary, then three streams per block, then
  // 8 bytes per instruction, then bytes.
  while (n > 0 && (reinterpret_cast<uintptr_t>(p) & 7u) != 0) {
    c = _mm_crc32_u8(static_cast<uint32_t>(c), *p);
    ++p;
    --n;
  }
  while (n >= kBlockBytes) {
    uint64_t c1 = 0, c2 = 0;
    for (size_t i = 0; i < kStreamBytes; i += 8) {
      c = _mm_crc32_u64(c, Load64(p + i));
      c1 = _mm_crc32_u64(c1, Load64(p + kStreamBytes + i));
      c2 = _mm_crc32_u64(c2, Load64(p + 2 * kStreamBytes + i));
    }
    c = Shift(kShift, Shift(kShift, static_cast<uint32_t>(c)) ^ static_cast<uint32_t>(c1)) ^
        static_cast<uint32_t>(c2);
    p += kBlockBytes;
    n -= kBlockBytes;
  }
  while (n >= 8) {
    c = _mm_crc32_u64(c, Load64(p));
    p += 8;
    n -= 8;
  }
  while (n > 0) {
    c = _mm_crc32_u8(static_cast<uint32_t>(c), *p);
    ++p;
    --n;
  }
  return ~static_cast<uint32_t>(c);
}

bool IsHardwareAccelerated() { return true; }

#else

uint32_t Extend(uint32_t crc, const void* data, size_t n) { return ExtendPortable(crc, data, n); }

bool IsHardwareAccelerated() { return false; }

#endif

}  // namespace crc32c
}  // namespace mnist
