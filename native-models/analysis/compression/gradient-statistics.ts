// The gradient statistics AC-GC's bound reads, in the squared form the reference measures and
// averages (grad_approx.py `_compute_layer_properties`): averaging nnz² is not squaring the mean nnz.

/** One convolution that consumes a conv-input activation (AC-GC sums over all of them). */
export interface ConvSuccessorStatistics {
  /** ‖∇W‖²: squared Frobenius norm of the successor's weight gradient, summed over the batch. */
  weightGradSquaredNorm: number
  /** ‖∇y‖²: squared norm of the gradient of the successor's output over the batch. */
  outputGradSquaredNorm: number
  /** R, S: kernel height and width. */
  kernelHeight: number
  kernelWidth: number
  /** T: the stride along height and width. */
  strideHeight: number
  strideWidth: number
}

/** Statistics of an activation whose consumers are all convolutions (residual adds ignored). */
export interface ConvInputStatistics {
  kind: 'conv-input'
  successors: ConvSuccessorStatistics[]
}

/** Statistics of an activation consumed by one BatchNorm with K channels (arrays of length K). */
export interface BnInputStatistics {
  kind: 'bn-input'
  /** 1/σ_k² (the reference's inv_std2). */
  inverseStdSquared: number[]
  /** γ_k² (gamma2). */
  gammaSquared: number[]
  /** (∂L/∂γ_k)² (ggamma2). */
  gammaGradSquared: number[]
  /** nnz_k²: the squared count of nonzero entries of ∇z (BN output gradient) in channel k (nnz2_k). */
  outputGradNonzeroCountSquared: number[]
  /** max over the channel of (∇z)² (gz2_max_k). */
  outputGradSquaredMax: number[]
  /** ‖∇x‖²: squared norm of the gradient of the BN input over the batch (sgx2). */
  inputGradSquaredNorm: number
}

/** Gradient statistics of one site; `kind` is the contract's CompressionSiteKind. */
export type SiteGradientStatistics = ConvInputStatistics | BnInputStatistics

/**
 * The element-wise mean of per-batch statistics of one site, as the reference's
 * `GradApproximator('mean')` keeps the mean of its last measurements.
 */
export function averageSiteStatistics(batches: readonly ConvInputStatistics[]): ConvInputStatistics
export function averageSiteStatistics(batches: readonly BnInputStatistics[]): BnInputStatistics
export function averageSiteStatistics(
  batches: readonly SiteGradientStatistics[],
): SiteGradientStatistics
export function averageSiteStatistics(
  batches: readonly SiteGradientStatistics[],
): SiteGradientStatistics {
  const first = batches[0]
  if (first === undefined) throw new RangeError('Cannot average the statistics of zero batches.')
  if (batches.some((batch) => batch.kind !== first.kind))
    throw new RangeError(`All batches must describe the same kind of site ('${first.kind}').`)
  return first.kind === 'conv-input'
    ? averageConvStatistics(batches as readonly ConvInputStatistics[])
    : averageBnStatistics(batches as readonly BnInputStatistics[])
}

function averageConvStatistics(batches: readonly ConvInputStatistics[]): ConvInputStatistics {
  const first = batches[0]
  if (batches.some((batch) => batch.successors.length !== first.successors.length))
    throw new RangeError('Every batch must list the same number of successor convolutions.')
  const successors = first.successors.map((successor, i) => {
    const measured = batches.map((batch) => batch.successors[i])
    if (measured.some((other) => !sameGeometry(other, successor)))
      throw new RangeError(
        `Successor ${i} differs between batches: every batch must list the same convolutions in the same order.`,
      )
    return {
      ...successor,
      weightGradSquaredNorm: mean(measured.map((m) => m.weightGradSquaredNorm)),
      outputGradSquaredNorm: mean(measured.map((m) => m.outputGradSquaredNorm)),
    }
  })
  return { kind: 'conv-input', successors }
}

function averageBnStatistics(batches: readonly BnInputStatistics[]): BnInputStatistics {
  const channels = batches[0].gammaSquared.length
  const perChannel = (field: BnChannelField): number[] => {
    const sums = new Float64Array(channels)
    for (const batch of batches) {
      const values = batch[field]
      if (values.length !== channels)
        throw new RangeError(
          `'${field}' has ${values.length} channels in one batch and ${channels} in another.`,
        )
      for (let k = 0; k < channels; k += 1) sums[k] += values[k]
    }
    return Array.from(sums, (sum) => sum / batches.length)
  }
  return {
    kind: 'bn-input',
    inverseStdSquared: perChannel('inverseStdSquared'),
    gammaSquared: perChannel('gammaSquared'),
    gammaGradSquared: perChannel('gammaGradSquared'),
    outputGradNonzeroCountSquared: perChannel('outputGradNonzeroCountSquared'),
    outputGradSquaredMax: perChannel('outputGradSquaredMax'),
    inputGradSquaredNorm: mean(batches.map((batch) => batch.inputGradSquaredNorm)),
  }
}

type BnChannelField =
  | 'inverseStdSquared'
  | 'gammaSquared'
  | 'gammaGradSquared'
  | 'outputGradNonzeroCountSquared'
  | 'outputGradSquaredMax'

function sameGeometry(a: ConvSuccessorStatistics, b: ConvSuccessorStatistics): boolean {
  return (
    a.kernelHeight === b.kernelHeight &&
    a.kernelWidth === b.kernelWidth &&
    a.strideHeight === b.strideHeight &&
    a.strideWidth === b.strideWidth
  )
}

function mean(values: readonly number[]): number {
  let sum = 0
  for (const value of values) sum += value
  return sum / values.length
}
