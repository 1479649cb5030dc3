/** Where a batch of classifier outputs first holds NaN or ±Infinity. */
export interface NonFiniteOutput {
  row: number
  classIndex: number
  value: number
}

/** The first non-finite value of `outputs` (rows of `numOutputs`), or null when every one is finite. */
export function firstNonFiniteOutput(
  outputs: ArrayLike<number>,
  numOutputs: number,
): NonFiniteOutput | null {
  for (let i = 0; i < outputs.length; i += 1) {
    const value = outputs[i]
    if (!Number.isFinite(value))
      return { row: Math.floor(i / numOutputs), classIndex: i % numOutputs, value }
  }
  return null
}
