import type {
  CheckpointJobBase,
  GradientsRequest,
} from '../../../../electron/api/contract/index.ts'

/** The launcher's gradient-norm fieldset. */
export interface GradientsOptions {
  gradientBatch: number
  blockOutputs: boolean
}

export function defaultGradientsOptions(): GradientsOptions {
  return { gradientBatch: 32, blockOutputs: true }
}

export function gradientsRequest(
  base: CheckpointJobBase,
  options: GradientsOptions,
): GradientsRequest {
  return {
    ...base,
    kind: 'gradients',
    // Each gradient is over gradientBatch images: that is the batch.
    batchSize: null,
    gradientBatch: options.gradientBatch,
    blockOutputs: options.blockOutputs,
  }
}

/** The request on the parameters another result stored (its provenance). */
export function gradientsRequestLike(
  base: CheckpointJobBase,
  parameters: Record<string, unknown>,
): GradientsRequest {
  const stored = parameters as Partial<Omit<GradientsRequest, 'kind'>>
  const defaults = defaultGradientsOptions()
  return gradientsRequest(base, {
    gradientBatch: stored.gradientBatch ?? defaults.gradientBatch,
    blockOutputs: stored.blockOutputs ?? defaults.blockOutputs,
  })
}
