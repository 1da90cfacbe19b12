#include "io/base/gzip.h"

#include <zlib.h>

#include <algorithm>

namespace mnist {
namespace {

Status Inflate(const std::string& path, const std::string& in, std::string* out,
               uint64_t max_bytes, const DeclaredSize& declared) {
  // With a DeclaredSize the header is inflated first, and the buffer then
  // grows once, to exactly the size it declares (checked against the cap).
  // Without one, the gzip trailer's last four bytes hold the input size mod
  // 2^32: a good first guess, so the common case allocates once. The trailer
  // is untrusted: the guess never exceeds what deflate's best ratio (1032:1)
  // could give from this input; past it the buffer doubles, up to the cap.
  constexpr uint64_t kMaxDeflateRatio = 1032;
  size_t guess = in.size() * 4;
  if (in.size() >= 4) {
    const auto* t = reinterpret_cast<const unsigned char*>(in.data() + in.size() - 4);
    uint32_t isize = uint32_t{t[0]} | uint32_t{t[1]} << 8 | uint32_t{t[2]} << 16 |
                     uint32_t{t[3]} << 24;
    if (isize > 0 && isize <= max_bytes && isize <= in.size() * kMaxDeflateRatio) guess = isize;
  }
  const bool sized_by_header = declared.head_bytes > 0;
  uint64_t limit = max_bytes;  // the most output accepted
  out->clear();
  MNIST_RETURN_IF_ERROR(ResizeForReading(
      path, out, sized_by_header ? declared.head_bytes : std::min<uint64_t>(guess, max_bytes) + 1));

  z_stream zs{};
  if (inflateInit2(&zs, 15 + 16) != Z_OK) return Status::IOError(path + ": zlib init failed");
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  size_t produced = 0;
  size_t consumed_total = 0;
  bool header_read = false;
  Status status;
  while (true) {
    if (produced == out->size()) {
      if (sized_by_header && !header_read) {
        header_read = true;
        const uint64_t total = declared.from_head(out->substr(0, declared.head_bytes));
        if (total == 0) break;  // no header: the caller's parser says what is wrong
        if (total > max_bytes) {
          status = Status::DataLoss(path + ": header declares " + std::to_string(total) +
                                    " bytes, more than the limit of " + std::to_string(max_bytes));
          break;
        }
        limit = total;
        status = ResizeForReading(path, out, total + 1);  // one more: trailing bytes show
        if (!status.ok()) break;
        continue;
      }
      if (out->size() > limit) {
        status = Status::DataLoss(
            path + ": inflates to more than " + std::to_string(limit) + " bytes, " +
            (limit == max_bytes ? std::string("the limit") : std::string("what its header declares")));
        break;
      }
      status = ResizeForReading(path, out, std::min<uint64_t>(uint64_t{out->size()} * 2, limit + 1));
      if (!status.ok()) break;
    }
    size_t in_left = in.size() - consumed_total;
    zs.avail_in = static_cast<uInt>(std::min<size_t>(in_left, 1u << 30));
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()) + consumed_total);
    size_t room = out->size() - produced;
    zs.avail_out = static_cast<uInt>(std::min<size_t>(room, 1u << 30));
    zs.next_out = reinterpret_cast<Bytef*>(&(*out)[produced]);
    uInt avail_in_before = zs.avail_in;
    uInt avail_out_before = zs.avail_out;
    int rc = inflate(&zs, Z_NO_FLUSH);
    consumed_total += avail_in_before - zs.avail_in;
    produced += avail_out_before - zs.avail_out;
    if (rc == Z_STREAM_END) {
      // Another gzip member may follow (as `cat a.gz b.gz` makes).
      if (consumed_total < in.size()) {
        inflateReset(&zs);
        continue;
      }
      break;
    }
    if (rc == Z_BUF_ERROR && consumed_total == in.size()) {
      status = Status::DataLoss(path + ": gzip stream is truncated after " +
                                std::to_string(in.size()) + " compressed bytes");
      break;
    }
    if (rc != Z_OK && rc != Z_BUF_ERROR) {
      status = Status::DataLoss(path + ": corrupt gzip stream near compressed byte " +
                                std::to_string(consumed_total) + ": " +
                                (zs.msg ? zs.msg : "inflate failed"));
      break;
    }
  }
  inflateEnd(&zs);
  if (!status.ok()) {
    out->clear();
    return status;
  }
  out->resize(produced);
  // The trailer's or the header's size is right for every well-formed file,
  // so the buffer is then one byte too big: keep it, since shrinking would
  // copy it (a second 47 MB of training images at the peak of RSS). Only a
  // guess that doubled far past the data is given back.
  if (out->capacity() > produced + produced / 4) out->shrink_to_fit();
  return Status::Ok();
}

}  // namespace

Status ReadFileMaybeGzip(const std::string& path, std::string* out, uint64_t max_bytes,
                         const DeclaredSize& declared) {
  std::string raw;
  MNIST_RETURN_IF_ERROR(ReadFile(path, &raw, max_bytes));
  bool gzip = raw.size() >= 2 && static_cast<unsigned char>(raw[0]) == 0x1f &&
              static_cast<unsigned char>(raw[1]) == 0x8b;
  if (!gzip) {  // ReadFile has refused more than max_bytes
    *out = std::move(raw);
    return Status::Ok();
  }
  return Inflate(path, raw, out, max_bytes, declared);
}

}  // namespace mnist
