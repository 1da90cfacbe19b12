#include "data/download/url_fetch.h"

#include <curl/curl.h>

#include <memory>
#include <mutex>

namespace mnist {
namespace {

struct Transfer {
  uint64_t max_bytes;
  std::string* bytes;
  bool too_long = false;  // more than max_bytes arrived (the server sent no length)
  const std::string* label;
  FILE* progress;
  int shown_percent = -1;
};

size_t Write(char* data, size_t size, size_t count, void* user) {
  Transfer* t = static_cast<Transfer*>(user);
  const size_t n = size * count;
  if (t->bytes->size() + n > t->max_bytes) {
    t->too_long = true;
    return 0;  // curl stops with CURLE_WRITE_ERROR
  }
  t->bytes->append(data, n);
  return n;
}

int Progress(void* user, curl_off_t, curl_off_t now, curl_off_t, curl_off_t) {
  Transfer* t = static_cast<Transfer*>(user);
  const int percent = t->max_bytes == 0 ? 100 : static_cast<int>(100 * static_cast<uint64_t>(now) /
                                                                 t->max_bytes);
  if (percent != t->shown_percent) {
    t->shown_percent = percent;
    const double bytes = static_cast<double>(t->max_bytes);
    std::fprintf(t->progress, bytes < 1e6 ? "\r%s: %3d%% of %.0f kB" : "\r%s: %3d%% of %.1f MB",
                 t->label->c_str(), percent, bytes < 1e6 ? bytes / 1e3 : bytes / 1e6);
    std::fflush(t->progress);
  }
  return 0;
}

}  // namespace

FetchedUrl FetchUrl(const std::string& url, uint64_t max_bytes, const std::string& label,
                    FILE* progress) {
  static std::once_flag global_init;
  std::call_once(global_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });

  FetchedUrl result;
  std::unique_ptr<CURL, void (*)(CURL*)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) {
    result.status = Status::IOError(url + ": libcurl could not start a transfer");
    return result;
  }
  Transfer transfer{max_bytes, &result.bytes, false, &label, progress};
  char error[CURL_ERROR_SIZE] = "";
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https,file");
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(c, CURLOPT_FAILONERROR, 1L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, static_cast<long>(kConnectTimeoutSeconds));
  curl_easy_setopt(c, CURLOPT_TIMEOUT, static_cast<long>(kTransferTimeoutSeconds));
  curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(max_bytes));
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, Write);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &transfer);
  if (progress != nullptr) {
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, Progress);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, &transfer);
  }
  const CURLcode code = curl_easy_perform(c);
  if (progress != nullptr && transfer.shown_percent >= 0) {
    std::fprintf(progress, "\r\033[K");  // erase the progress line
    std::fflush(progress);
  }
  if (code == CURLE_OK) return result;

  result.bytes.clear();
  result.unreachable = code == CURLE_COULDNT_RESOLVE_HOST || code == CURLE_COULDNT_CONNECT ||
                       code == CURLE_OPERATION_TIMEDOUT;
  const std::string published = std::to_string(max_bytes) + " bytes";
  if (transfer.too_long) {
    result.status = Status::IOError(url + ": more than the published " + published + " arrived");
  } else {
    std::string words = error[0] != '\0' ? error : curl_easy_strerror(code);
    if (code == CURLE_FILESIZE_EXCEEDED) words += " (the published size is " + published + ")";
    result.status = Status::IOError(url + ": " + words);
  }
  return result;
}

}  // namespace mnist
