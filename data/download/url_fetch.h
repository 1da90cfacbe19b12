// Fetches one URL into memory with libcurl: http, https or file, redirects
// followed, an HTTP error status is an error, and never more than the size
// the caller expects (CURLOPT_MAXFILESIZE, and the write callback stops a
// server that sends no length). Failures carry curl's own words
// (CURLOPT_ERRORBUFFER, e.g. "Failed to connect to 127.0.0.1 port 9 after 0
// ms: Couldn't connect to server").
//
// Thread safety: one FetchUrl at a time per thread; libcurl's global setup
// runs once, on the first call.
#ifndef MNIST_DATA_DOWNLOAD_URL_FETCH_H_
#define MNIST_DATA_DOWNLOAD_URL_FETCH_H_

#include <cstdint>
#include <cstdio>
#include <string>

#include "io/base/status.h"

namespace mnist {

// Limits, in seconds: to connect (a dead mirror fails fast), and for one
// whole transfer.
constexpr int kConnectTimeoutSeconds = 5;
constexpr int kTransferTimeoutSeconds = 120;

struct FetchedUrl {
  Status status;             // OK, or IOError "<url>: <curl's words>"
  bool unreachable = false;  // the host could not be resolved or reached, or timed out
  std::string bytes;         // what arrived, when status is OK
};

// Fetches `url`, refusing more than `max_bytes`. When `progress` is not
// null, one line "<label>: 45% of 9.9 MB" (or "of 29 kB") is rewritten in place on it while
// bytes arrive (a terminal) and erased at the end.
FetchedUrl FetchUrl(const std::string& url, uint64_t max_bytes, const std::string& label,
                    FILE* progress);

}  // namespace mnist

#endif  // MNIST_DATA_DOWNLOAD_URL_FETCH_H_
