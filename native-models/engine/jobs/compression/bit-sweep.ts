import type {
  CompressionSweepPoint,
  MonotonicityReport,
  OutputDivergence,
} from '../../../../electron/api/contract/index.ts'
import {
  checkMonotonicity,
  outputDivergenceSummary,
  perImageDivergence,
} from '../../../analysis/compression/index.ts'
import type { ImagePasses } from '../shared/image-passes.ts'
import { runQuantizedPass } from './quantized-pass.ts'
import type { PassOutput, QuantizedModel, SiteFeeds } from './quantized-pass.ts'

export interface SweepPlan {
  bits: readonly number[]
  together: boolean
  eachAlone: boolean
}

/** Every (b, sites) configuration of the plan, all sites together first. */
export function sweepConfigurations(
  plan: SweepPlan,
  siteIds: readonly string[],
): { bits: number; siteId: string | null }[] {
  return [
    ...(plan.together ? plan.bits.map((bits) => ({ bits, siteId: null })) : []),
    ...(plan.eachAlone
      ? siteIds.flatMap((siteId) => plan.bits.map((bits) => ({ bits, siteId })))
      : []),
  ]
}

/** Per-site feeds of the 'levels' graph: 2^b on the quantized sites' channels, 0 (off) elsewhere. */
export function levelFeeds(model: QuantizedModel, bits: number, siteId: string | null): SiteFeeds {
  return new Map(
    model.graph.sites.map(({ site }) => {
      const on = siteId === null || site.id === siteId
      return [site.id, new Float32Array(site.channels).fill(on ? 2 ** bits : 0)]
    }),
  )
}

/** Every site measured (its accounting outputs filled) but not quantized: a negative input. */
export function measureOnlyFeeds(model: QuantizedModel): SiteFeeds {
  return new Map(
    model.graph.sites.map(({ site }) => [site.id, new Float32Array(site.channels).fill(-1)]),
  )
}

/** The contract's divergence of a quantized pass from the unquantized one on the same images. */
export function divergenceFrom(
  reference: PassOutput,
  quantized: PassOutput,
  classes: number,
): OutputDivergence {
  const summary = outputDivergenceSummary(
    perImageDivergence(reference.logits, quantized.logits, classes),
    reference.labels,
  )
  const { top1, top1Delta, kl, maxAbsLogitDelta, changedPredictions } = summary
  return { top1, top1Delta, kl, maxAbsLogitDelta, changedPredictions }
}

/** One pass per configuration, each against the unquantized logits. */
export async function runBitSweep(
  model: QuantizedModel,
  passes: ImagePasses,
  reference: PassOutput,
  plan: SweepPlan,
  options: { signal: AbortSignal; onBatch: () => void },
): Promise<CompressionSweepPoint[]> {
  const points: CompressionSweepPoint[] = []
  const siteIds = model.graph.sites.map(({ site }) => site.id)
  for (const { bits, siteId } of sweepConfigurations(plan, siteIds)) {
    const quantized = await runQuantizedPass(model, passes, levelFeeds(model, bits, siteId), {
      accounting: false,
      ...options,
    })
    points.push({ bits, siteId, divergence: divergenceFrom(reference, quantized, model.classes) })
  }
  return points
}

/** Whether KL and top-1 error fall with b, for all sites together and for each site alone. */
export function sweepMonotonicity(sweep: readonly CompressionSweepPoint[]): MonotonicityReport[] {
  const groups = new Map<string | null, CompressionSweepPoint[]>()
  for (const point of sweep) groups.set(point.siteId, [...(groups.get(point.siteId) ?? []), point])
  return [...groups].flatMap(([siteId, points]) =>
    (['kl', 'top1-error'] as const).map((measure): MonotonicityReport => {
      const check = checkMonotonicity(
        points.map((p) => ({
          bits: p.bits,
          error: measure === 'kl' ? p.divergence.kl.estimate : 1 - p.divergence.top1,
        })),
      )
      const violations = check.violations.map(({ fromBits, toBits, increase }) => ({
        fromBits,
        toBits,
        increase,
      }))
      return { siteId, measure, isMonotonic: check.isMonotonic, violations }
    }),
  )
}
