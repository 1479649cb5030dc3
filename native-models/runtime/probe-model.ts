import { DataType, encodeModelProto } from '../onnx/proto.ts'
import type { TypeProto } from '../onnx/proto.ts'

let probeBytes: Uint8Array | null = null

/** A one-node Relu model: enough for ORT to load a provider and place a kernel on it. */
export function probeModelBytes(): Uint8Array {
  probeBytes ??= encodeModelProto({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    producerName: 'resnet-workbench provider probe',
    graph: {
      name: 'probe',
      node: [{ name: 'relu', opType: 'Relu', input: ['x'], output: ['y'] }],
      input: [{ name: 'x', type: floatVector() }],
      output: [{ name: 'y', type: floatVector() }],
    },
  })
  return probeBytes
}

function floatVector(): TypeProto {
  return { tensorType: { elemType: DataType.FLOAT, shape: { dim: [{ dimValue: 4 }] } } }
}
