// Adds every kind of node the builder emits to a model, as later analyses will: a tap, a centered
// Gram (one Gemm, and in chunks as one batched MatMul), channel reductions, Squeeze/Unsqueeze and a ScatterElements(add) histogram.
import { DataType } from '../../../../native-models/onnx/proto.ts'
import type { ModelProto } from '../../../../native-models/onnx/proto.ts'
import { intAttribute, tensorAttribute } from '../../../../native-models/surgery/attributes.ts'
import { GraphBuilder } from '../../../../native-models/surgery/graph-builder.ts'
import {
  emitScatterElements,
  emitSingle,
  emitSqueeze,
  emitUnsqueeze,
} from '../../../../native-models/surgery/ops.ts'
import {
  emitCenteredGram,
  emitChannelReduce,
} from '../../../../native-models/surgery/reductions.ts'
import { float32Tensor } from '../../../../native-models/surgery/tensors.ts'

export const HISTOGRAM_BINS = 16
/** Divides the channels of every tap the tests use (the tiny classifier's 4, ResNet18's 64). */
const GRAM_CHUNKS = 2
/** Bin width of the histogram over a post-ReLU tap; the last bin takes everything above. */
export const HISTOGRAM_BIN_WIDTH = 0.125

export interface AnalysisOutputs {
  tap: string
  gram: string
  chunkedGram: string
  channelMean: string
  channelMaxPerSample: string
  logitsRoundTrip: string
  histogram: string
}

export function addAnalysisOutputs(
  model: ModelProto,
  tapName: string,
): { builder: GraphBuilder; outputs: AnalysisOutputs } {
  const builder = new GraphBuilder(model)
  const tap = builder.addOutput(tapName)
  const gram = builder.addOutput(emitCenteredGram(builder, tapName))
  const chunkedGram = builder.addOutput(
    emitCenteredGram(builder, tapName, '/chunked/Gram', GRAM_CHUNKS),
  )
  const channelMean = builder.addOutput(emitChannelReduce(builder, 'ReduceMean', tapName))
  const channelMaxPerSample = builder.addOutput(
    emitChannelReduce(builder, 'ReduceMax', tapName, true),
  )
  const unsqueezed = emitUnsqueeze(builder, 'logits', [0])
  const logitsRoundTrip = builder.addOutput(
    emitSqueeze(builder, unsqueezed, [0], { name: '/roundtrip/Squeeze' }),
  )
  const histogram = builder.addOutput(emitHistogram(builder, tapName))
  return {
    builder,
    outputs: {
      tap,
      gram,
      chunkedGram,
      channelMean,
      channelMaxPerSample,
      logitsRoundTrip,
      histogram,
    },
  }
}

function scalar(builder: GraphBuilder, name: string, value: number): string {
  return builder.float32Constant(name, Float32Array.of(value), [])
}

/** Counts of floor(x / width) clipped to the bins, as ScatterElements(add) into zeros. */
function emitHistogram(builder: GraphBuilder, tensor: string): string {
  const flat = emitSingle(builder, {
    opType: 'Reshape',
    inputs: [tensor, builder.int64Constant([1, -1])],
  })
  const scaled = emitSingle(builder, {
    opType: 'Mul',
    inputs: [flat, scalar(builder, 'hist.scale', 1 / HISTOGRAM_BIN_WIDTH)],
  })
  const floored = emitSingle(builder, { opType: 'Floor', inputs: [scaled] })
  const low = scalar(builder, 'hist.low', 0)
  const high = scalar(builder, 'hist.high', HISTOGRAM_BINS - 1)
  const clipped = emitSingle(builder, { opType: 'Clip', inputs: [floored, low, high] })
  const indices = emitSingle(builder, {
    opType: 'Cast',
    inputs: [clipped],
    attributes: [intAttribute('to', DataType.INT64)],
  })
  const shape = emitSingle(builder, { opType: 'Shape', inputs: [flat] })
  const one = tensorAttribute('value', float32Tensor('one', [1], Float32Array.of(1)))
  const ones = emitSingle(builder, {
    opType: 'ConstantOfShape',
    inputs: [shape],
    attributes: [one],
  })
  const zeros = builder.float32Constant('hist.zeros', new Float32Array(HISTOGRAM_BINS), [
    1,
    HISTOGRAM_BINS,
  ])
  return emitScatterElements(builder, { data: zeros, indices, updates: ones }, 1, 'add', {
    name: '/histogram/ScatterElements',
  })
}

/** The same histogram in JS: float32 products, as ORT computes them. */
export function histogram64(values: Float32Array): Float64Array {
  const counts = new Float64Array(HISTOGRAM_BINS)
  const scale = Math.fround(1 / HISTOGRAM_BIN_WIDTH)
  for (const value of values) {
    const bin = Math.min(HISTOGRAM_BINS - 1, Math.max(0, Math.floor(Math.fround(value * scale))))
    counts[bin] = (counts[bin] ?? 0) + 1
  }
  return counts
}
