#include "io/base/status.h"

#include <cstdio>
#include <cstring>

namespace mnist {

std::string EscapeControlBytes(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u != 0x7f) {
      out += c;
      continue;
    }
    char hex[8];
    std::snprintf(hex, sizeof(hex), "\\x%02x", u);
    out += hex;
  }
  return out;
}

Status Status::FromErrno(const std::string& path, const std::string& what, int err) {
  return IOError(path + ": " + what + ": " + std::strerror(err));
}

std::string Status::ToString() const {
  switch (code_) {
    case Code::kOk: return "OK";
    case Code::kNotFound: return "not found: " + message_;
    case Code::kDataLoss: return "data loss: " + message_;
    case Code::kInvalidArgument: return "invalid argument: " + message_;
    case Code::kIOError: return "I/O error: " + message_;
    case Code::kFailedPrecondition: return "failed precondition: " + message_;
    case Code::kOutOfMemory: return "out of memory: " + message_;
    case Code::kCancelled: return "cancelled: " + message_;
  }
  return message_;
}

Status Status::WithContext(const std::string& context) const {
  if (ok()) return *this;
  return Status(code_, context + ": " + message_);
}

Status Status::WithHint(const std::string& hint, const std::string& separator) const {
  if (ok()) return *this;
  return Status(code_, message_ + separator + hint);
}

}  // namespace mnist
