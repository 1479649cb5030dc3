import type {
  CompressionSweepPoint,
  OutputDivergence,
} from '../../../../electron/api/contract/index.ts'
import { formatNumber } from './theme.ts'

export const SWEEP_MEASURES = ['top1', 'kl'] as const
export type SweepMeasure = (typeof SWEEP_MEASURES)[number]

export const SWEEP_MEASURE_NAMES: Record<SweepMeasure, string> = {
  top1: 'top-1',
  kl: 'KL (log y)',
}

export const SWEEP_VIEWS = ['curves', 'sites'] as const
export type SweepView = (typeof SWEEP_VIEWS)[number]

export const SWEEP_VIEW_NAMES: Record<SweepView, string> = {
  curves: 'curves',
  sites: 'site × b heatmap',
}

export const percentText = (v: number, digits = 3): string => `${formatNumber(100 * v, digits)}%`

const signedPercent = (v: number): string => `${v > 0 ? '+' : ''}${percentText(v, 2)}`

/** One quantized pass against the unquantized one, every number with its interval. */
export function divergenceLines(d: OutputDivergence): string[] {
  const delta = d.top1Delta
  return [
    `top-1 ${percentText(d.top1)} (Δ ${signedPercent(delta.estimate)} ` +
      `[${signedPercent(delta.lower)}, ${signedPercent(delta.upper)}], McNemar p = ` +
      `${formatNumber(delta.pValue, 3)})`,
    `KL ${formatNumber(d.kl.estimate)} nats [${formatNumber(d.kl.lower)}, ${formatNumber(d.kl.upper)}]`,
    `predictions changed ${percentText(d.changedPredictions)} · max |Δlogit| mean ` +
      `${formatNumber(d.maxAbsLogitDelta.mean)}, largest ${formatNumber(d.maxAbsLogitDelta.max)}`,
  ]
}

export function sweepPointTip(who: string, point: CompressionSweepPoint): string {
  const where = point.siteId === null ? 'every site together' : `${point.siteId} alone`
  return [`${who}`, `b = ${point.bits}, ${where}`, ...divergenceLines(point.divergence)].join(
    '<br>',
  )
}
