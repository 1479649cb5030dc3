import type { CorruptionName } from '../../../../electron/api/contract/index.ts'

/**
 * AlexNet's top-1 error on each ImageNet-C benchmark corruption, averaged over the 5 severities,
 * and on clean ImageNet val: the constants mCE is normalised by (google-research/augmix
 * imagenet.py ALEXNET_ERR, "taken from hendrycks/robustness"; clean error from
 * google-research/robustness_metrics imagenet_variants.py).
 */
export const ALEXNET_ERROR: Readonly<Partial<Record<CorruptionName, number>>> = {
  gaussian_noise: 0.886428,
  shot_noise: 0.894468,
  impulse_noise: 0.92264,
  defocus_blur: 0.81988,
  glass_blur: 0.826268,
  motion_blur: 0.785948,
  zoom_blur: 0.79836,
  snow: 0.866816,
  frost: 0.826572,
  fog: 0.819324,
  brightness: 0.564592,
  contrast: 0.853204,
  elastic_transform: 0.646056,
  pixelate: 0.71784,
  jpeg_compression: 0.6065,
}
export const ALEXNET_CLEAN_ERROR = 0.4348

/** One model's top-1 errors: clean, and per corruption its errors at the severities swept. */
export interface ModelErrors {
  clean: number
  byCorruption: ReadonlyMap<CorruptionName, readonly number[]>
}

export interface CorruptionErrorSummary {
  corruption: CorruptionName
  /** Mean top-1 error over the severities swept. */
  meanError: number
  /** Σ_s E_s / Σ_s E_s(normaliser); null without a normaliser for this corruption. */
  ce: number | null
  /** Σ_s (E_s − E_clean) / Σ_s (E_s(normaliser) − E_clean(normaliser)); null likewise. */
  relativeCe: number | null
}

export interface SweepSummary {
  /** Mean top-1 accuracy over every corrupted cell. */
  meanCorruptedAccuracy: number
  perCorruption: CorruptionErrorSummary[]
  /** Mean CE over the corruptions that have one; null when none has. */
  mce: number | null
  relativeMce: number | null
}

/** What CE divides by: AlexNet's published errors, or another model swept on the same cells. */
export type Normaliser =
  { kind: 'alexnet' } | { kind: 'reference'; errors: ModelErrors } | { kind: 'none' }

const mean = (values: readonly number[]): number =>
  values.reduce((a, b) => a + b, 0) / values.length

function normaliserErrors(
  normaliser: Normaliser,
  corruption: CorruptionName,
  severities: number,
): { sum: number; clean: number } | null {
  if (normaliser.kind === 'alexnet') {
    const average = ALEXNET_ERROR[corruption]
    return average === undefined ? null : { sum: average * severities, clean: ALEXNET_CLEAN_ERROR }
  }
  if (normaliser.kind === 'reference') {
    const errors = normaliser.errors.byCorruption.get(corruption)
    if (!errors || errors.length !== severities) return null
    return { sum: errors.reduce((a, b) => a + b, 0), clean: normaliser.errors.clean }
  }
  return null
}

/**
 * mCE and relative mCE (Hendrycks & Dietterich 2019): per corruption CE = Σ_s E_s / Σ_s E_s(norm),
 * relative CE = Σ_s (E_s − E_clean) / Σ_s (E_s(norm) − E_clean(norm)); mCE = mean CE over the
 * corruptions. With AlexNet, Σ_s E_s(norm) is 5 × its published mean over the 5 severities, so
 * AlexNet normalisation needs all 5 severities of a corruption.
 */
export function summariseSweep(model: ModelErrors, normaliser: Normaliser): SweepSummary {
  const perCorruption: CorruptionErrorSummary[] = []
  const allErrors: number[] = []
  for (const [corruption, errors] of model.byCorruption) {
    allErrors.push(...errors)
    const sum = errors.reduce((a, b) => a + b, 0)
    const usable = normaliser.kind === 'alexnet' && errors.length !== 5 ? null : normaliser
    const norm = usable && normaliserErrors(usable, corruption, errors.length)
    const ce = norm ? sum / norm.sum : null
    const relativeDenominator = norm ? norm.sum - errors.length * norm.clean : 0
    const relativeCe =
      norm && relativeDenominator !== 0
        ? (sum - errors.length * model.clean) / relativeDenominator
        : null
    perCorruption.push({ corruption, meanError: mean(errors), ce, relativeCe })
  }
  const ces = perCorruption.flatMap((c) => (c.ce === null ? [] : [c.ce]))
  const relatives = perCorruption.flatMap((c) => (c.relativeCe === null ? [] : [c.relativeCe]))
  return {
    meanCorruptedAccuracy: allErrors.length === 0 ? Number.NaN : 1 - mean(allErrors),
    perCorruption,
    mce: ces.length === 0 ? null : mean(ces),
    relativeMce: relatives.length === 0 ? null : mean(relatives),
  }
}
