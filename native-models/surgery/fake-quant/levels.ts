import { DataType } from '../../onnx/proto.ts'
import type { AttributeProto } from '../../onnx/proto.ts'
import { intAttribute } from '../attributes.ts'
import type { GraphBuilder } from '../graph-builder.ts'
import { emitSingle } from '../ops.ts'
import type { QuantizerConstants } from './constants.ts'

/**
 * How the graph learns each channel's level count L = 2^b: fed directly ('levels'), or computed
 * per batch from an allowed squared error dx² as AC-GC's AutoQuant does ('error-bound'). An input
 * of 0 leaves the channel exact and skips it; a negative one leaves it exact but still measures it
 * (max |x|, zeros, sign), which is how the unquantized pass reads the statistics.
 */
export type BitSource = 'levels' | 'error-bound'

/** One node; `name` is the base of the node and output names. */
export type EmitOp = (
  opType: string,
  inputs: readonly string[],
  name: string,
  attributes?: AttributeProto[],
) => string

export function opEmitter(builder: GraphBuilder, prefix: string): EmitOp {
  return (opType, inputs, name, attributes = []) =>
    emitSingle(builder, { opType, inputs, attributes }, { name: `${prefix}/${name}` })
}

export const cast = (to: number): AttributeProto[] => [intAttribute('to', to)]

/**
 * log2 of a positive float32 tensor, rounded to float32. ONNX has no Log2: ln is taken in
 * float64, so powers of two give exact integers. NumPy's float32 log2 can be 1 ulp off this, which
 * moves a width only when f lies within an ulp of an integer (the golden checks both agree).
 */
export function emitLog2(op: EmitOp, c: QuantizerConstants, x: string, name: string): string {
  const wide = op('Cast', [x], `${name}/ToDouble`, cast(DataType.DOUBLE))
  const natural = op('Log', [wide], `${name}/Log`)
  const binary = op('Div', [natural, c.ln2], `${name}/DivLn2`)
  return op('Cast', [binary], `${name}`, cast(DataType.FLOAT))
}

export interface ChannelLevels {
  /** float32 [C]: L = 2^b, 0 where the channel stays exact. */
  levels: string
  /** float32 [C]: b, 0 where the channel stays exact. */
  bits: string
}

/**
 * L and b per channel from the site's graph input. With 'error-bound' (papers.md §4.2,
 * autoquant.py `scramble`): f = −½·log2(dx²) − log2(s) − 1 in float32,
 * b = clip(floor(f), 1, 15) + 1 (floor is trunc once clipped at 1), L = 2^b.
 */
export function emitChannelLevels(
  op: EmitOp,
  c: QuantizerConstants,
  source: BitSource,
  input: string,
  scale: string,
): ChannelLevels {
  if (source === 'levels') {
    // A negative input (measure only) counts as 0: the channel stays exact.
    const levels = op('Relu', [input], 'Levels')
    const off = op('Equal', [levels, c.zero], 'LevelsOff')
    const bits = emitLog2(op, c, levels, 'LevelBits')
    return { levels, bits: op('Where', [off, c.zero, bits], 'Bits') }
  }
  return emitBoundLevels(op, c, input, scale)
}

function emitBoundLevels(
  op: EmitOp,
  c: QuantizerConstants,
  squaredErrorBound: string,
  scale: string,
): ChannelLevels {
  const on = op('Greater', [squaredErrorBound, c.zero], 'BoundOn')
  // Any positive stand-in keeps the unused lanes finite; the Where at the end discards them.
  const squaredError = op('Where', [on, squaredErrorBound, c.one], 'BoundOrOne')
  const log2Bound = emitLog2(op, c, squaredError, 'Log2Bound')
  const intrinsic = op('Mul', [c.minusHalf, log2Bound], 'Intrinsic')
  const minusScaleBits = op(
    'Sub',
    [intrinsic, emitLog2(op, c, scale, 'Log2Scale')],
    'MinusScaleBits',
  )
  const f = op('Sub', [minusScaleBits, c.one], 'F')
  const floored = op('Floor', [f], 'Floor')
  const fractionBits = op('Clip', [floored, c.minFractionBits, c.maxFractionBits], 'FractionBits')
  const bits = op('Add', [fractionBits, c.one], 'BitsOn')
  // Exact for the integer widths 2…16 (the golden covers each).
  const levels = op('Pow', [c.two, bits], 'LevelsOn')
  return {
    levels: op('Where', [on, levels, c.zero], 'Levels'),
    bits: op('Where', [on, bits, c.zero], 'Bits'),
  }
}
