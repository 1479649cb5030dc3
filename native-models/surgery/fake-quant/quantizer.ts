import { DataType } from '../../onnx/proto.ts'
import type { GraphBuilder } from '../graph-builder.ts'
import { emitReduce } from '../ops.ts'
import type { ReduceOp } from '../ops.ts'
import type { QuantizerConstants } from './constants.ts'
import { cast, emitChannelLevels, opEmitter } from './levels.ts'
import type { BitSource, EmitOp } from './levels.ts'

/** Tensor names of one site's quantizer: x̂ and the accounting vectors (float32). */
export interface QuantizerTensors {
  /** x̂ [N, C, H, W]: x itself in channels whose L is 0. */
  quantized: string
  /** [C] max |x| over N, H, W of this batch, before quantization. */
  maxAbs: string
  /** [C] exact zeros in x (exact counts up to 2^24 values per channel). */
  zeroCount: string
  /** [C] nonzeros in x̂: what zero-value compression stores b bits for. */
  quantizedNonzeroCount: string
  /** [C] the width b used, 0 where the channel stays exact. */
  bits: string
  /** Scalar: 1 when the batch's minimum is negative (quantized with a sign), else 0. */
  signed: string
}

const CHANNEL_AXES = [0, 2, 3]

/**
 * AC-GC's corrected quantizer (papers.md §4.2; the CuPy path of fixpoint.py's fixpoint_multi and
 * fixpoint_multi_dec) on an [N, C, H, W] float32 tensor, in exactly NumPy's float32 op order so
 * that x̂ equals it bit for bit: s = 1/(max|x| + 1e-6) per channel; bias = 0 when the batch has a
 * negative value, else −L; q = clip(rint(x·s·L + bias), −L, L − 1); x̂ = (q − bias)/L/s.
 * The reference's zero adjust (−40 added to exact zeros of an unsigned tensor) is not emitted: it
 * only moves zeros further below −L, where the clip brings them back.
 */
export function emitQuantizer(
  builder: GraphBuilder,
  constants: QuantizerConstants,
  site: { tensor: string; source: BitSource; input: string },
): QuantizerTensors {
  const emit: Emitters = {
    op: opEmitter(builder, `${site.tensor}/FakeQuant`),
    reduce: (reduceOp, input, axes, name) =>
      emitReduce(builder, reduceOp, input, axes, {
        keepdims: false,
        name: `${site.tensor}/FakeQuant/${name}`,
      }),
    channelView: builder.int64Constant([1, -1, 1, 1]),
    c: constants,
  }
  const { op, reduce, c } = emit
  const x = site.tensor
  const maxAbs = reduce('ReduceMax', op('Abs', [x], 'Abs'), CHANNEL_AXES, 'MaxAbs')
  const plusEpsilon = op('Add', [maxAbs, c.scaleEpsilon], 'MaxAbsPlusEpsilon')
  const scale = op('Div', [c.one, plusEpsilon], 'Scale')
  const { levels, bits } = emitChannelLevels(op, c, site.source, site.input, scale)
  const isSigned = op('Less', [reduce('ReduceMin', x, [0, 1, 2, 3], 'Min'), c.zero], 'IsSigned')
  const decoded = emitFixedPoint(emit, x, { scale, levels, isSigned })
  const off = op('Equal', [perChannel(emit, levels, 'LevelsOff'), c.zero], 'Off')
  const quantized = op('Where', [off, x, decoded], 'Quantized')
  const isNonzero = op('Not', [op('Equal', [quantized, c.zero], 'QuantizedIsZero')], 'IsNonzero')
  return {
    quantized,
    maxAbs,
    zeroCount: emitCount(emit, op('Equal', [x, c.zero], 'IsZero'), 'ZeroCount'),
    quantizedNonzeroCount: emitCount(emit, isNonzero, 'QuantizedNonzeroCount'),
    bits,
    signed: op('Cast', [isSigned], 'Signed', cast(DataType.FLOAT)),
  }
}

interface Emitters {
  op: EmitOp
  reduce: (op: ReduceOp, input: string, axes: number[], name: string) => string
  /** int64 [1, -1, 1, 1]: a [C] vector as [1, C, 1, 1]. */
  channelView: string
  c: QuantizerConstants
}

function perChannel(emit: Emitters, tensor: string, name: string): string {
  return emit.op('Reshape', [tensor, emit.channelView], `${name}4d`)
}

/**
 * fixpoint_multi then fixpoint_multi_dec with a scale (CuPy path), float32 throughout:
 * q = min(max(rint(x·s·L + bias), −L), L − 1); x̂ = (q − bias)/L/s.
 */
function emitFixedPoint(
  emit: Emitters,
  x: string,
  channel: { scale: string; levels: string; isSigned: string },
): string {
  const { op, c } = emit
  const lowest = op('Neg', [channel.levels], 'Lowest')
  const highest = op('Sub', [channel.levels, c.one], 'Highest')
  const bias = perChannel(emit, op('Where', [channel.isSigned, c.zero, lowest], 'Bias'), 'Bias')
  const scale = perChannel(emit, channel.scale, 'Scale')
  const levels = perChannel(emit, channel.levels, 'Levels')
  const scaled = op('Mul', [op('Mul', [x, scale], 'MulScale'), levels], 'MulLevels')
  const rounded = op('Round', [op('Add', [scaled, bias], 'AddBias')], 'Round')
  const low = op('Max', [rounded, perChannel(emit, lowest, 'Lowest')], 'ClipLow')
  const clipped = op('Min', [low, perChannel(emit, highest, 'Highest')], 'ClipHigh')
  const unbiased = op('Sub', [clipped, bias], 'SubBias')
  return op('Div', [op('Div', [unbiased, levels], 'DivLevels'), scale], 'DivScale')
}

/** Per channel, how many elements hold `condition` (float32; exact up to 2^24). */
function emitCount(emit: Emitters, condition: string, name: string): string {
  const asFloat = emit.op('Cast', [condition], `${name}Float`, cast(DataType.FLOAT))
  return emit.reduce('ReduceSum', asFloat, CHANNEL_AXES, name)
}
