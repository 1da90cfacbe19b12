#include "io/bundle/table_bounds.h"

#include <snappy.h>

#include <cstdint>

#include "io/bundle/bundle_format.h"
#include "io/base/byte_coding.h"

namespace mnist {
namespace {

// Block trailer: 1-byte compression type + fixed32 masked CRC
// (leveldb table/format.h kBlockTrailerSize).
constexpr uint64_t kBlockTrailerSize = 5;
constexpr char kNoCompression = 0;
constexpr char kSnappyCompression = 1;

struct Handle {
  uint64_t offset = 0;
  uint64_t size = 0;
};

class Checker {
 public:
  Checker(const std::string& path, const std::string& table)
      : path_(path), table_(table), blocks_end_(table.size() - kTableFooterSize) {}

  Status Run() {
    const char* p = table_.data() + blocks_end_;
    const char* const footer_end = p + kTableFooterSize - 8;  // handles before the magic
    Handle metaindex, index;
    if (!DecodeHandle(&p, footer_end, &metaindex) || !DecodeHandle(&p, footer_end, &index)) {
      return Status::DataLoss(path_ + ": footer at byte " + std::to_string(blocks_end_) +
                              " holds no two block handles");
    }
    MNIST_RETURN_IF_ERROR(CheckBlock(metaindex, "metaindex block"));
    MNIST_RETURN_IF_ERROR(CheckBlock(index, "index block"));
    std::string contents;
    MNIST_RETURN_IF_ERROR(BlockContents(index, &contents));
    return CheckIndexEntries(contents, index.offset);
  }

 private:
  static bool DecodeHandle(const char** p, const char* end, Handle* handle) {
    return GetVarint(p, end, 64, &handle->offset) && GetVarint(p, end, 64, &handle->size);
  }

  Status Outside(const Handle& h, const std::string& what) const {
    return Status::DataLoss(path_ + ": " + what + " at bytes [" + std::to_string(h.offset) + ", " +
                            std::to_string(h.offset) + " + " + std::to_string(h.size) +
                            " + trailer) lies outside the " + std::to_string(blocks_end_) +
                            " bytes before the footer");
  }

  // The block and its trailer lie before the footer; a Snappy block
  // decompresses cleanly (IsValidCompressedBuffer allocates nothing).
  Status CheckBlock(const Handle& h, const std::string& what) const {
    if (h.offset > blocks_end_ || h.size > blocks_end_ - h.offset ||
        kBlockTrailerSize > blocks_end_ - h.offset - h.size) {
      return Outside(h, what);
    }
    const char type = table_[h.offset + h.size];
    if (type == kSnappyCompression &&
        !snappy::IsValidCompressedBuffer(table_.data() + h.offset, h.size)) {
      return Status::DataLoss(path_ + ": " + what + " at byte " + std::to_string(h.offset) +
                              " is not a valid Snappy stream");
    }
    return Status::Ok();
  }

  // REQUIRES: CheckBlock(h) passed.
  Status BlockContents(const Handle& h, std::string* out) const {
    const char type = table_[h.offset + h.size];
    const char* data = table_.data() + h.offset;
    if (type == kNoCompression) {
      out->assign(data, h.size);
      return Status::Ok();
    }
    if (type == kSnappyCompression && snappy::Uncompress(data, h.size, out)) return Status::Ok();
    return Status::DataLoss(path_ + ": block at byte " + std::to_string(h.offset) +
                            " has compression type " + std::to_string(static_cast<int>(type)) +
                            ", expected 0 (none) or 1 (Snappy)");
  }

  // Each entry of the index block (leveldb table/block_builder.cc: varint32
  // shared, non_shared, value_length, key suffix, value) is the handle of a
  // data block.
  Status CheckIndexEntries(const std::string& block, uint64_t block_at) const {
    const std::string where = path_ + ": index block at byte " + std::to_string(block_at);
    if (block.size() < 4) return Status::DataLoss(where + " is too short for its restart count");
    const char* tail = block.data() + block.size() - 4;
    const uint32_t restarts = static_cast<uint32_t>(static_cast<unsigned char>(tail[0])) |
                              static_cast<uint32_t>(static_cast<unsigned char>(tail[1])) << 8 |
                              static_cast<uint32_t>(static_cast<unsigned char>(tail[2])) << 16 |
                              static_cast<uint32_t>(static_cast<unsigned char>(tail[3])) << 24;
    if (restarts > (block.size() - 4) / 4) {
      return Status::DataLoss(where + " claims " + std::to_string(restarts) + " restart points");
    }
    const char* p = block.data();
    const char* const entries_end = tail - 4 * static_cast<size_t>(restarts);
    uint64_t key_size = 0;
    while (p < entries_end) {
      uint64_t shared = 0, non_shared = 0, value_size = 0;
      if (!GetVarint(&p, entries_end, 32, &shared) || !GetVarint(&p, entries_end, 32, &non_shared) ||
          !GetVarint(&p, entries_end, 32, &value_size) || shared > key_size ||
          non_shared > static_cast<uint64_t>(entries_end - p) ||
          value_size > static_cast<uint64_t>(entries_end - p) - non_shared) {
        return Status::DataLoss(where + ": entry at byte " +
                                std::to_string(p - block.data()) + " is malformed");
      }
      key_size = shared + non_shared;
      p += non_shared;
      const char* value = p;
      p += value_size;
      Handle data;
      if (!DecodeHandle(&value, p, &data)) {
        return Status::DataLoss(where + ": entry ending at byte " +
                                std::to_string(p - block.data()) + " holds no block handle");
      }
      MNIST_RETURN_IF_ERROR(CheckBlock(data, "data block"));
    }
    return Status::Ok();
  }

  const std::string& path_;
  const std::string& table_;
  const uint64_t blocks_end_;
};

}  // namespace

Status CheckTableBounds(const std::string& path, const std::string& table) {
  return Checker(path, table).Run();
}

}  // namespace mnist
