// Regenerates native-models/onnx/onnx-descriptor.json from the committed onnx.proto
// (copied from Debian's python3-onnx 1.12: /usr/lib/python3/dist-packages/onnx/onnx.proto).
// Usage: node scripts/gen-onnx-descriptor.ts
import { readFileSync, writeFileSync } from 'node:fs'
import protobuf from 'protobufjs'

const dir = new URL('../native-models/onnx/', import.meta.url)
const parsed = protobuf.parse(readFileSync(new URL('onnx.proto', dir), 'utf8'), { keepCase: false })
writeFileSync(new URL('onnx-descriptor.json', dir), JSON.stringify(parsed.root.toJSON()) + '\n')
