/**
 * TensorBoard's scalar smoothing: an exponential moving average started at 0 and debiased by
 * the sum of its weights, smoothed_t = last_t / (1 - w^t) with last_t = last_(t-1)·w + (1 - w)·x_t,
 * where t counts the finite values so far. Non-finite values pass through unchanged and are not
 * counted; a constant series is returned as is (tensorboard#786). Same as `classicSmoothing` in
 * tensorboard/webapp/widgets/line_chart_v2/data_transformer.ts.
 * @example smoothScalars([1, 2, 3], 0.5) // [1, 5/3, 17/7]
 */
export function smoothScalars(values: readonly number[], weight: number): number[] {
  if (!(weight >= 0 && weight < 1))
    throw new RangeError(`The smoothing weight must be in [0, 1), got ${weight}.`)
  if (values.every((v) => v === values[0])) return [...values]
  let last = 0
  let count = 0
  return values.map((value) => {
    if (!Number.isFinite(value)) return value
    last = last * weight + (1 - weight) * value
    count++
    return last / (1 - weight ** count)
  })
}
