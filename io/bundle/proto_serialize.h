// Serializing protobuf messages to the same bytes every time.
//
// Protobuf writes map fields (NodeDef.attr, ...) in hash order, which can
// change from one process to the next; deterministic serialization sorts
// them by key, so a .meta or .pb of the same network is the same file.
//
// Thread safety: a pure function.
#ifndef MNIST_IO_BUNDLE_PROTO_SERIALIZE_H_
#define MNIST_IO_BUNDLE_PROTO_SERIALIZE_H_

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/message_lite.h>

#include <string>

namespace mnist {

// `message`'s wire bytes with map entries in key order; false when
// serialization fails (e.g. over 2 GiB).
inline bool SerializeDeterministically(const google::protobuf::MessageLite& message,
                                       std::string* out) {
  out->clear();
  google::protobuf::io::StringOutputStream stream(out);
  google::protobuf::io::CodedOutputStream coded(&stream);
  coded.SetSerializationDeterministic(true);
  return message.SerializeToCodedStream(&coded) && !coded.HadError();
}

}  // namespace mnist

#endif  // MNIST_IO_BUNDLE_PROTO_SERIALIZE_H_
