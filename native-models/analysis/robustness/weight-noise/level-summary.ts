export interface MeanStd {
  mean: number
  /** Sample standard deviation (n − 1); 0 for a single sample. */
  std: number
}

export function meanStd(values: readonly number[]): MeanStd {
  if (values.length === 0) throw new RangeError('meanStd needs at least one value.')
  const mean = values.reduce((a, b) => a + b, 0) / values.length
  if (values.length === 1) return { mean, std: 0 }
  const squares = values.reduce((a, v) => a + (v - mean) ** 2, 0)
  return { mean, std: Math.sqrt(squares / (values.length - 1)) }
}

export interface NoiseSampleScore {
  sigma: number
  sample: number
  top1: number
  top5: number
  nll: number
}

export interface NoiseLevelSummary {
  sigma: number
  samples: number
  top1: MeanStd
  top5: MeanStd
  nll: MeanStd
}

/** Mean ± std over the samples of each σ, in ascending σ. */
export function summariseNoiseLevels(scores: readonly NoiseSampleScore[]): NoiseLevelSummary[] {
  const sigmas = [...new Set(scores.map((s) => s.sigma))].sort((a, b) => a - b)
  return sigmas.map((sigma) => {
    const at = scores.filter((s) => s.sigma === sigma)
    return {
      sigma,
      samples: at.length,
      top1: meanStd(at.map((s) => s.top1)),
      top5: meanStd(at.map((s) => s.top5)),
      nll: meanStd(at.map((s) => s.nll)),
    }
  })
}
