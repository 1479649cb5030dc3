// The PyTorch forward-hook goldens (tests/reference/stats_torch_golden.py) and how results are
// compared with them.
import { readFileSync } from 'node:fs'
import { expect } from 'vitest'
import type { SynthRequest, TapStatistics } from '../../../electron/api/contract/index.ts'
import { maxRelativeDiff, scaleRelativeDiff } from './activation-reference.ts'

type GoldenTap = Pick<TapStatistics, 'key' | 'shape' | 'mean' | 'std' | 'maxAbs' | 'zeroFraction'>

export interface StatsGolden {
  command: string
  request: SynthRequest
  modelSha256: string
  input: { dims: [number, number, number, number] }
  /** Values with 0 < |x| ≤ band · (the tap's max |x|) count as near zero. */
  nearZeroBand: number
  taps: (GoldenTap & { nearZeroFraction: number[] })[]
}

export function readStatsGolden(name: string): StatsGolden {
  const url = new URL(`../../fixtures/goldens/${name}`, import.meta.url)
  return JSON.parse(readFileSync(url, 'utf8')) as StatsGolden
}

const MOMENTS = ['mean', 'std', 'maxAbs'] as const
/** The goldens keep 10 significant digits. */
const GOLDEN_ROUNDING = 1e-9

export interface MomentDifferences {
  /** max |a − b| / max |b| per tap and statistic. */
  scaleRelative: number
  /** |a − b| / |b| per channel, over channels whose value is ≥ 1% of the tap's largest. */
  elementRelativeAboveOnePercent: number
  /** |a − b| / |b| per channel, every channel (near-cancelled tiny values dominate it). */
  elementRelative: number
}

/** Worst differences of mean, std and max |x| over all taps and channels. */
export function momentDifferences(
  taps: readonly TapStatistics[],
  golden: StatsGolden,
): MomentDifferences {
  expect(taps.map((tap) => [tap.key, tap.shape])).toEqual(golden.taps.map((t) => [t.key, t.shape]))
  const worst = { scaleRelative: 0, elementRelativeAboveOnePercent: 0, elementRelative: 0 }
  taps.forEach((tap, t) => {
    for (const stat of MOMENTS) {
      const [actual, expected] = [tap[stat], golden.taps[t][stat]]
      const scale = Math.max(...expected.map(Math.abs))
      const large = expected.flatMap((value, c) => (Math.abs(value) >= 0.01 * scale ? [c] : []))
      const pick = (values: readonly number[]): number[] => large.map((c) => values[c])
      worst.scaleRelative = Math.max(worst.scaleRelative, scaleRelativeDiff(actual, expected))
      worst.elementRelativeAboveOnePercent = Math.max(
        worst.elementRelativeAboveOnePercent,
        maxRelativeDiff(pick(actual), pick(expected)),
      )
      worst.elementRelative = Math.max(worst.elementRelative, maxRelativeDiff(actual, expected))
    }
  })
  return worst
}

/**
 * Asserts that zero fractions agree channel by channel up to values near zero in either runtime
 * (float32 rounding can make a tiny ReLU output exactly 0 in one and not the other); returns how
 * many channels differ at all.
 */
export function expectZeroFractionsAgree(
  taps: readonly TapStatistics[],
  golden: StatsGolden,
  ortNearZero: readonly (readonly number[])[],
): number {
  let differing = 0
  taps.forEach((tap, t) => {
    tap.zeroFraction.forEach((fraction, c) => {
      const expected = golden.taps[t].zeroFraction[c]
      const ambiguous = Math.max(golden.taps[t].nearZeroFraction[c], ortNearZero[t][c])
      const difference = Math.abs(fraction - expected)
      if (difference > GOLDEN_ROUNDING) differing += 1
      expect(difference, `${tap.key} channel ${c}`).toBeLessThanOrEqual(ambiguous + GOLDEN_ROUNDING)
    })
  })
  return differing
}
