// Bounds of a leveldb-format table (a TensorBundle `.index`), checked before
// leveldb reads it.
//
// leveldb's ReadBlock allocates a block's declared size before reading it,
// and Snappy allocates a block's declared uncompressed size, so a corrupt or
// hostile block handle would make leveldb ask for gigabytes (or throw
// std::bad_alloc) before any checksum is looked at. CheckTableBounds walks
// the footer and the index block itself (leveldb doc/table_format.md: varint
// BlockHandles, prefix-compressed block entries, a restart array) and
// refuses any handle that does not lie inside the table, or a Snappy block
// that does not decompress cleanly, naming the file and the byte. What it
// accepts, leveldb can read without allocating more than the table's size
// (times Snappy's ratio).
//
// Thread safety: a pure function.
#ifndef MNIST_IO_BUNDLE_TABLE_BOUNDS_H_
#define MNIST_IO_BUNDLE_TABLE_BOUNDS_H_

#include <string>

#include "io/base/status.h"

namespace mnist {

// REQUIRES: table.size() >= the 48-byte footer (io/bundle/bundle_format.h); `path`
// only names the file in errors. DataLoss when a block lies outside.
Status CheckTableBounds(const std::string& path, const std::string& table);

}  // namespace mnist

#endif  // MNIST_IO_BUNDLE_TABLE_BOUNDS_H_
