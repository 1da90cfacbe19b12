#include "io/base/gzip.h"

#include <zlib.h>

#include <algorithm>

#include "io/base/byte_coding.h"

namespace mnist {
namespace {

// Where an inflate stands: its input, its output buffer and how far that may
// grow. With a DeclaredSize the header is inflated first, and the buffer then
// grows once, to exactly the size it declares (checked against the cap).
struct Inflation {
  const std::string& path;
  const std::string& in;
  std::string* out;
  const DeclaredSize& declared;
  uint64_t max_bytes;
  uint64_t limit;            // the most output accepted
  bool header_read = false;  // with a DeclaredSize: the buffer is sized by it
  size_t produced = 0;       // bytes of *out inflated so far
  size_t consumed = 0;       // bytes of `in` inflated so far
};

// The size to allocate first when no header declares one: the gzip trailer's
// last four bytes hold the input size mod 2^32, a good first guess, so the
// common case allocates once. The trailer is untrusted: the guess never
// exceeds what deflate's best ratio (1032:1) could give from this input.
uint64_t FirstGuess(const std::string& in, uint64_t max_bytes) {
  constexpr uint64_t kMaxDeflateRatio = 1032;
  uint64_t guess = in.size() * 4;
  if (in.size() >= 4) {
    const uint32_t isize = LoadLE32(in.data() + in.size() - 4);
    if (isize > 0 && isize <= max_bytes && isize <= in.size() * kMaxDeflateRatio) guess = isize;
  }
  return std::min<uint64_t>(guess, max_bytes);
}

// Makes room in a full buffer: to the size the header declares once it is
// read (sets *done when there is no header: the caller's parser says what is
// wrong), else twice the size, up to the limit.
Status MakeRoom(Inflation* s, bool* done) {
  std::string* out = s->out;
  if (s->declared.head_bytes > 0 && !s->header_read) {
    s->header_read = true;
    const uint64_t total = s->declared.from_head(out->substr(0, s->declared.head_bytes));
    if (total == 0) {
      *done = true;
      return Status::Ok();
    }
    if (total > s->max_bytes) {
      return Status::DataLoss(s->path + ": header declares " + std::to_string(total) +
                              " bytes, more than the limit of " + std::to_string(s->max_bytes));
    }
    s->limit = total;
    return ResizeForReading(s->path, out, total + 1);  // one more: trailing bytes show
  }
  if (out->size() > s->limit) {
    return Status::DataLoss(
        s->path + ": inflates to more than " + std::to_string(s->limit) + " bytes, " +
        (s->limit == s->max_bytes ? std::string("the limit") : std::string("what its header declares")));
  }
  return ResizeForReading(s->path, out, std::min<uint64_t>(uint64_t{out->size()} * 2, s->limit + 1));
}

// One call of inflate() into the room left; sets *done at the end of the last
// gzip member.
Status InflateSome(z_stream* zs, Inflation* s, bool* done) {
  const std::string& in = s->in;
  zs->avail_in = static_cast<uInt>(std::min<size_t>(in.size() - s->consumed, 1u << 30));
  zs->next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()) + s->consumed);
  zs->avail_out = static_cast<uInt>(std::min<size_t>(s->out->size() - s->produced, 1u << 30));
  zs->next_out = reinterpret_cast<Bytef*>(&(*s->out)[s->produced]);
  const uInt avail_in_before = zs->avail_in;
  const uInt avail_out_before = zs->avail_out;
  const int rc = inflate(zs, Z_NO_FLUSH);
  s->consumed += avail_in_before - zs->avail_in;
  s->produced += avail_out_before - zs->avail_out;
  if (rc == Z_STREAM_END) {
    // Another gzip member may follow (as `cat a.gz b.gz` makes).
    if (s->consumed < in.size()) {
      inflateReset(zs);
    } else {
      *done = true;
    }
    return Status::Ok();
  }
  if (rc == Z_BUF_ERROR && s->consumed == in.size()) {
    return Status::DataLoss(s->path + ": gzip stream is truncated after " +
                            std::to_string(in.size()) + " compressed bytes");
  }
  if (rc != Z_OK && rc != Z_BUF_ERROR) {
    return Status::DataLoss(s->path + ": corrupt gzip stream near compressed byte " +
                            std::to_string(s->consumed) + ": " +
                            (zs->msg ? zs->msg : "inflate failed"));
  }
  return Status::Ok();
}

Status Inflate(const std::string& path, const std::string& in, std::string* out,
               uint64_t max_bytes, const DeclaredSize& declared) {
  Inflation s{path, in, out, declared, max_bytes, /*limit=*/max_bytes};
  out->clear();
  MNIST_RETURN_IF_ERROR(ResizeForReading(
      path, out, declared.head_bytes > 0 ? declared.head_bytes : FirstGuess(in, max_bytes) + 1));
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 16) != Z_OK) return Status::IOError(path + ": zlib init failed");
  Status status;
  bool done = false;
  while (status.ok() && !done) {
    if (s.produced == out->size()) {  // the buffer is full
      status = MakeRoom(&s, &done);
      continue;
    }
    status = InflateSome(&zs, &s, &done);
  }
  inflateEnd(&zs);
  if (!status.ok()) {
    out->clear();
    return status;
  }
  out->resize(s.produced);
  // The trailer's or the header's size is right for every well-formed file,
  // so the buffer is then one byte too big: keep it, since shrinking would
  // copy it (a second 47 MB of training images at the peak of RSS). Only a
  // guess that doubled far past the data is given back.
  if (out->capacity() > s.produced + s.produced / 4) out->shrink_to_fit();
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
