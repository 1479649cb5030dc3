// Index arithmetic of convolution and pooling windows along one spatial axis, for the backward
// rules: explicit pads, ConvTranspose's output_padding and the weight-gradient kernel extent.

export interface WindowAxis {
  /** Input size along the axis. */
  input: number
  /** Output size along the axis. */
  output: number
  kernel: number
  stride: number
  dilation: number
  padBegin: number
  padEnd: number
}

/** Explicit [begin, end] pads for an auto_pad mode (ONNX Conv semantics). */
export function explicitPads(
  autoPad: string,
  input: number,
  kernel: number,
  stride: number,
  dilation: number,
): [number, number] {
  if (autoPad === 'VALID') return [0, 0]
  if (autoPad !== 'SAME_UPPER' && autoPad !== 'SAME_LOWER') {
    throw new RangeError(`auto_pad '${autoPad}' is not NOTSET, VALID, SAME_UPPER or SAME_LOWER.`)
  }
  const output = Math.ceil(input / stride)
  const total = Math.max(0, (output - 1) * stride + dilation * (kernel - 1) + 1 - input)
  const small = Math.floor(total / 2)
  return autoPad === 'SAME_LOWER' ? [total - small, small] : [small, total - small]
}

/**
 * ConvTranspose's output_padding that brings the transposed window back to the forward input
 * size: the forward window drops up to stride − 1 trailing input rows (e.g. a 1×1 stride-2 conv
 * on an odd size), and those rows get a zero gradient.
 * @example convTransposeOutputPadding({ input: 7, output: 4, kernel: 1, stride: 2, dilation: 1, padBegin: 0, padEnd: 0 }) // 0
 */
export function convTransposeOutputPadding(axis: WindowAxis): number {
  const covered =
    axis.stride * (axis.output - 1) +
    axis.dilation * (axis.kernel - 1) +
    1 -
    axis.padBegin -
    axis.padEnd
  const padding = axis.input - covered
  if (padding < 0 || padding >= Math.max(axis.stride, axis.dilation)) {
    throw new RangeError(
      `A window of ${axis.kernel} (stride ${axis.stride}, dilation ${axis.dilation}, pads ${axis.padBegin}+${axis.padEnd}) maps ${axis.input} to ${axis.output}, which no output_padding inverts.`,
    )
  }
  return padding
}

/**
 * Pads [begins..., ends...] of the Conv that computes a stride-1 conv's input gradient with the
 * flipped kernel: the full correlation pads d·(k − 1) less the forward pads. Null when a stride
 * is not 1 or a forward pad exceeds the kernel's reach (then ConvTranspose does it).
 * @example stridelessTransposePads([{ input: 8, output: 8, kernel: 3, stride: 1, dilation: 1, padBegin: 1, padEnd: 1 }]) // [1, 1]
 */
export function stridelessTransposePads(axes: readonly WindowAxis[]): number[] | null {
  if (axes.some((a) => a.stride !== 1)) return null
  const reach = (a: WindowAxis): number => a.dilation * (a.kernel - 1)
  const pads = [...axes.map((a) => reach(a) - a.padBegin), ...axes.map((a) => reach(a) - a.padEnd)]
  return pads.every((pad) => pad >= 0) ? pads : null
}

/**
 * How many input positions (padding included or not) each output window averages over, for
 * AveragePool's backward: [output] divisors along one axis.
 */
export function windowCounts(axis: WindowAxis, countIncludePad: boolean): number[] {
  const low = countIncludePad ? -axis.padBegin : 0
  const high = countIncludePad ? axis.input + axis.padEnd : axis.input
  return Array.from({ length: axis.output }, (_, position) => {
    const start = position * axis.stride - axis.padBegin
    const end = start + axis.dilation * (axis.kernel - 1) + 1
    let count = 0
    for (let tap = start; tap < end; tap += axis.dilation) if (tap >= low && tap < high) count += 1
    return count
  })
}
