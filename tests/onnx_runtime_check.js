// Runs an ONNX model in ONNX Runtime (npm onnxruntime-node, CPU) for
// tests/checkpoints/onnx_export_test.cc, which compares the results with ours.
//
//   NODE_PATH=build/node_modules node tests/onnx_runtime_check.js \
//       MODEL.onnx INPUT.f32 N WIDTH LOGITS.f32 PREDICTIONS.i64
//
// INPUT.f32 holds N x WIDTH float32 (little-endian, row-major), fed as `input`;
// the `logits` (float32) and `predictions` (int64) outputs are written raw.
'use strict';
const fs = require('fs');
const ort = require('onnxruntime-node');

async function main() {
  const [model, inputPath, n, width, logitsPath, predictionsPath] = process.argv.slice(2);
  const bytes = fs.readFileSync(inputPath);
  // Copy into a fresh ArrayBuffer: a Buffer's offset need not be 4-aligned.
  const x = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const session = await ort.InferenceSession.create(model, { executionProviders: ['cpu'] });
  const out = await session.run({ input: new ort.Tensor('float32', x, [Number(n), Number(width)]) });
  const write = (path, array) =>
    fs.writeFileSync(path, Buffer.from(array.buffer, array.byteOffset, array.byteLength));
  write(logitsPath, out.logits.data);
  write(predictionsPath, out.predictions.data);
  console.log(`onnxruntime-node ${ort.env.versions.common}: ran ${model} on ${n} examples`);
}

main().catch((e) => {
  console.error(`onnx_runtime_check: ${e.message || e}`);
  process.exit(1);
});
