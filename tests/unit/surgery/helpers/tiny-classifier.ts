// A tiny image classifier (Conv → Relu → GlobalAveragePool → Flatten → Gemm) for builder tests:
// small enough to build per test, and made of the same ops as a ResNet.
import { DataType } from '../../../../native-models/onnx/proto.ts'
import type { ModelProto, NodeProto } from '../../../../native-models/onnx/proto.ts'
import {
  floatAttribute,
  intAttribute,
  intsAttribute,
} from '../../../../native-models/surgery/attributes.ts'
import { float32Tensor } from '../../../../native-models/surgery/tensors.ts'
import { tensorTypeProto } from '../../../../native-models/surgery/value-types.ts'

export const TINY_INPUT_DIMS = [2, 3, 4, 4] as const
export const TINY_CHANNELS = 4
export const TINY_CLASSES = 5

/** Deterministic, varied values without a PRNG: every test can recompute them. */
export function patternValues(length: number, phase = 0): Float32Array {
  return Float32Array.from({ length }, (_, i) => Math.sin(1.7 * i + phase) * 0.5)
}

function node(opType: string, input: string[], output: string[], attribute = []): NodeProto {
  return { name: `/${opType.toLowerCase()}/${opType}`, opType, input, output, attribute }
}

export function tinyClassifier(opset: number): ModelProto {
  const conv = node('Conv', ['input', 'conv.weight', 'conv.bias'], ['/conv/Conv_output_0'])
  conv.attribute = [intsAttribute('kernel_shape', [3, 3]), intsAttribute('pads', [1, 1, 1, 1])]
  const gemm = node('Gemm', ['/Flatten_output_0', 'fc.weight', 'fc.bias'], ['logits'])
  gemm.attribute = [floatAttribute('alpha', 1), intAttribute('transB', 1)]
  const flatten = node('Flatten', ['/avgpool/GlobalAveragePool_output_0'], ['/Flatten_output_0'])
  flatten.attribute = [intAttribute('axis', 1)]
  return {
    irVersion: 7,
    opsetImport: [{ domain: '', version: opset }],
    producerName: 'tiny-classifier',
    graph: {
      name: 'tiny',
      node: [
        conv,
        node('Relu', ['/conv/Conv_output_0'], ['/relu/Relu_output_0']),
        node('GlobalAveragePool', ['/relu/Relu_output_0'], ['/avgpool/GlobalAveragePool_output_0']),
        flatten,
        gemm,
      ],
      initializer: [
        float32Tensor('conv.weight', [TINY_CHANNELS, 3, 3, 3], patternValues(TINY_CHANNELS * 27)),
        float32Tensor('conv.bias', [TINY_CHANNELS], patternValues(TINY_CHANNELS, 1)),
        float32Tensor('fc.weight', [TINY_CLASSES, TINY_CHANNELS], patternValues(20, 2)),
        float32Tensor('fc.bias', [TINY_CLASSES], patternValues(TINY_CLASSES, 3)),
      ],
      input: [{ name: 'input', type: tensorTypeProto(DataType.FLOAT, [...TINY_INPUT_DIMS]) }],
      output: [{ name: 'logits', type: tensorTypeProto(DataType.FLOAT, [2, TINY_CLASSES]) }],
    },
  }
}

/**
 * The tiny classifier at opset 11 plus the node forms that changed by opset 18, written as an
 * opset-11 exporter would: axes as attributes, a coerced Softmax, and optionally a BatchNorm that
 * lists its four absent training outputs (valid ONNX, but ORT 1.30 segfaults running it).
 */
export function legacyClassifier(options: { absentBatchNormOutputs?: boolean } = {}): ModelProto {
  const model = tinyClassifier(11)
  const graph = model.graph ?? {}
  const extra: NodeProto[] = [
    { ...node('Softmax', ['logits'], ['probs']), attribute: [intAttribute('axis', 1)] },
    { ...node('Unsqueeze', ['probs'], ['probs3']), attribute: [intsAttribute('axes', [2])] },
    {
      ...node('Softmax', ['probs3'], ['soft3']),
      name: '/soft3/Softmax',
      attribute: [intAttribute('axis', 1)],
    },
    {
      ...node('ReduceSum', ['soft3'], ['sum']),
      attribute: [intsAttribute('axes', [1]), intAttribute('keepdims', 0)],
    },
    { ...node('Squeeze', ['sum'], ['sum1d']), attribute: [intsAttribute('axes', [1])] },
    {
      ...node('ReduceMean', ['/relu/Relu_output_0'], ['channel_mean']),
      attribute: [intsAttribute('axes', [2, 3]), intAttribute('keepdims', 0)],
    },
    batchNorm(options.absentBatchNormOutputs === true),
  ]
  graph.node = [...(graph.node ?? []), ...extra]
  graph.initializer = [...(graph.initializer ?? []), ...bnParameters()]
  const outputs: [string, number[]][] = [
    ['probs', [2, TINY_CLASSES]],
    ['soft3', [2, TINY_CLASSES, 1]],
    ['sum1d', [2]],
    ['channel_mean', [2, TINY_CHANNELS]],
    ['bn_out', [2, TINY_CHANNELS, 4, 4]],
  ]
  const declared = outputs.map(([name, dims]) => ({
    name,
    type: tensorTypeProto(DataType.FLOAT, dims),
  }))
  graph.output = [...(graph.output ?? []), ...declared]
  return model
}

function batchNorm(withAbsentOutputs: boolean): NodeProto {
  const inputs = ['/conv/Conv_output_0', 'bn.scale', 'bn.bias', 'bn.mean', 'bn.var']
  const outputs = withAbsentOutputs ? ['bn_out', '', '', '', ''] : ['bn_out']
  const bn = node('BatchNormalization', inputs, outputs)
  bn.attribute = [floatAttribute('epsilon', 1e-5)]
  return bn
}

function bnParameters(): ReturnType<typeof float32Tensor>[] {
  const values = [1.5, 0.25, -0.5, 2]
  return ['bn.scale', 'bn.bias', 'bn.mean', 'bn.var'].map((name, i) =>
    float32Tensor(name, [TINY_CHANNELS], new Float32Array(TINY_CHANNELS).fill(values[i] ?? 0)),
  )
}
