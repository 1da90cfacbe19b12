// Reads a TFRecord file (a TensorBoard events file) with npm's
// @roboflow/tfrecords, a reader independent of ours, for
// tests/app/events_file_test.cc:
//
//   NODE_PATH=build/node_modules node tests/tfrecord_check.js FILE
//
// Its TFRecordsReader checks each record's length CRC and data CRC and stops
// at the first mismatch, saying so with console.log. It then parses each
// record as an Example; ours hold Events, so that parse is replaced by one
// that keeps the record's bytes, and each is decoded here as an Event with
// google-protobuf's wire reader (field numbers of io/proto/event.proto).
// Prints "records: N", "crc: ok" (or the mismatch) and one line per record:
//   event wall_time=W file_version=V
//   event wall_time=W graph_def=N_bytes
//   event wall_time=W step=S val_acc=0.5 val_loss=...
// and exits 1 unless every byte of the file was read with good CRCs.
'use strict';
const fs = require('fs');
const jspb = require('google-protobuf');
const messages = require('@roboflow/tfrecords/src/tensorFlowRecordsProtoBuf_pb');
const { TFRecordsReader } = require('@roboflow/tfrecords/src/tensorFlowReader');

messages.TFRecordsImageMessage.deserializeBinary = (data) => ({ toObject: () => data });

// Summary.Value: tag = 1, simple_value = 2.
function readValue(value, reader) {
  while (reader.nextField() && !reader.isEndGroup()) {
    if (reader.getFieldNumber() === 1) value.tag = reader.readString();
    else if (reader.getFieldNumber() === 2) value.simple_value = reader.readFloat();
    else reader.skipField();
  }
}

// Summary: repeated Value value = 1.
function readSummary(summary, reader) {
  while (reader.nextField() && !reader.isEndGroup()) {
    if (reader.getFieldNumber() === 1) {
      const value = {};
      reader.readMessage(value, readValue);
      summary.push(value);
    } else {
      reader.skipField();
    }
  }
}

// Event: wall_time = 1, step = 2, file_version = 3, graph_def = 4, summary = 5.
function describeEvent(data) {
  const reader = new jspb.BinaryReader(data);
  let line = 'event';
  while (reader.nextField() && !reader.isEndGroup()) {
    switch (reader.getFieldNumber()) {
      case 1: line += ` wall_time=${reader.readDouble()}`; break;
      case 2: line += ` step=${reader.readInt64()}`; break;
      case 3: line += ` file_version=${reader.readString()}`; break;
      case 4: line += ` graph_def=${reader.readBytes().length}_bytes`; break;
      case 5: {
        const summary = [];
        reader.readMessage(summary, readSummary);
        for (const v of summary) line += ` ${v.tag}=${v.simple_value}`;
        break;
      }
      default: reader.skipField();
    }
  }
  return line;
}

const bytes = fs.readFileSync(process.argv[2]);
const mismatches = [];
const log = console.log;
console.log = (...args) => mismatches.push(args.join(' '));
let reader;
try {
  reader = new TFRecordsReader(bytes);
} finally {
  console.log = log;
}
console.log(`records: ${reader.length}`);
console.log(`crc: ${mismatches.length === 0 ? 'ok' : mismatches.join('; ')}`);
for (const data of reader.toArray()) console.log(describeEvent(data));
process.exit(mismatches.length === 0 ? 0 : 1);
