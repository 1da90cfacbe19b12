// Status and StatusOr<T>: the one error type of every library in this project.
//
// A Status is OK or carries a code and a message. Messages say where and what,
// e.g. "data/train-images-idx3-ubyte: bad magic 0x00000000 at byte 0, expected
// 2051". A message is one line of text: names read from files (state-file
// entries, tensor and node names) may hold any byte, so every message goes
// through EscapeControlBytes when the Status is made. Libraries return a
// Status and never exit() or assert on input; they speak of values and files,
// never of flags: only app/ names flags and turns a Status into a line on
// stderr and an exit code (app/cli/exit_code.h), by its code.
//
// Thread safety: a Status is a value; const use needs no locking.
#ifndef MNIST_IO_BASE_STATUS_H_
#define MNIST_IO_BASE_STATUS_H_

#include <cassert>
#include <optional>
#include <string>
#include <utility>

namespace mnist {

// `text` with each NUL, other control byte (below 0x20) and DEL written as
// \xNN, so a name read from a file can neither cut a message short nor move
// the terminal's cursor. Other bytes (UTF-8 included) are kept.
std::string EscapeControlBytes(const std::string& text);

class Status {
 public:
  enum class Code {
    kOk = 0,
    kNotFound,            // a file, key or variable that should be there is not
    kDataLoss,            // a file is truncated, corrupt or fails its checksum
    kInvalidArgument,     // a value the caller gave is wrong: malformed, out of range, or
                          // naming something that is not there (a node, a tensor, a prefix)
    kIOError,             // the operating system refused a read or write
    kFailedPrecondition,  // the call came in the wrong state, or what is on disk is not
                          // what it needs though undamaged: a FIFO for a file, a path
                          // leading out, a format, version, op or shape not read
    kOutOfMemory,         // an allocation failed (std::bad_alloc)
    kCancelled,           // the caller asked the work to stop (a stop signal) before it was done
  };

  Status() = default;  // OK
  static Status Ok() { return Status(); }
  static Status NotFound(std::string msg) { return Status(Code::kNotFound, std::move(msg)); }
  static Status DataLoss(std::string msg) { return Status(Code::kDataLoss, std::move(msg)); }
  static Status InvalidArgument(std::string msg) {
    return Status(Code::kInvalidArgument, std::move(msg));
  }
  static Status IOError(std::string msg) { return Status(Code::kIOError, std::move(msg)); }
  static Status FailedPrecondition(std::string msg) {
    return Status(Code::kFailedPrecondition, std::move(msg));
  }
  static Status OutOfMemory(std::string msg) { return Status(Code::kOutOfMemory, std::move(msg)); }
  static Status Cancelled(std::string msg) { return Status(Code::kCancelled, std::move(msg)); }
  // An IOError for `path` from errno value `err`: "<path>: <what>: <strerror>".
  static Status FromErrno(const std::string& path, const std::string& what, int err);

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  // "OK", or "<code name>: <message>", for test diagnostics; the program
  // prints message() alone.
  std::string ToString() const;

  // Returns a copy whose message is "<context>: <message>"; OK stays OK.
  Status WithContext(const std::string& context) const;
  // Returns a copy whose message is "<message><separator><hint>"; OK stays
  // OK. app/ adds what the user can do (which flag) this way.
  Status WithHint(const std::string& hint, const std::string& separator = "; ") const;

 private:
  Status(Code code, std::string msg)
      : code_(code), message_(EscapeControlBytes(msg)) {}
  Code code_ = Code::kOk;
  std::string message_;
};

// A value or the Status that explains why there is none.
template <typename T>
class StatusOr {
 public:
  StatusOr(Status status) : status_(std::move(status)) {  // NOLINT: implicit by design
    assert(!status_.ok() && "StatusOr needs a value when the status is OK");
  }
  StatusOr(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  // REQUIRES: ok().
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() & { return *value_; }
  const T& operator*() const& { return *value_; }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace mnist

// Returns early from the enclosing function when `expr` is not OK.
#define MNIST_RETURN_IF_ERROR(expr)          \
  do {                                       \
    ::mnist::Status _st = (expr);            \
    if (!_st.ok()) return _st;               \
  } while (0)

#endif  // MNIST_IO_BASE_STATUS_H_
