// The README tables for corruption generation against the forward pass, and weight-noise samples.
import type { CorruptionRates } from './corruption-rates.ts'
import type { WeightNoiseSampleCost } from './weight-noise-sample.ts'

/** Forward images/s per size label (row (a) of the same run). */
export type ForwardRates = Record<string, number | undefined>

const rate = (value: number | undefined): string =>
  value === undefined ? '–' : value >= 100 ? value.toFixed(0) : value.toFixed(1)

function ratio(generation: number | undefined, forward: number | undefined): string {
  if (generation === undefined || forward === undefined) return '–'
  const value = generation / forward
  return value < 1 ? `**${value.toFixed(2)}× (below)**` : `${value.toFixed(1)}×`
}

/** Names of the corruptions whose pool rate is below the forward rate at that size. */
export function belowForward(all: readonly CorruptionRates[], forward: ForwardRates): string[] {
  return all.flatMap((sized) =>
    sized.rates
      .filter((r) => r.poolImagesPerSecond < (forward[sized.label] ?? 0))
      .map((r) => `${r.name} at ${sized.label}`),
  )
}

/** One row per corruption, one column group per size: 1 thread, its CPU ms, pool, pool ÷ forward. */
export function corruptionTable(all: readonly CorruptionRates[], forward: ForwardRates): string[] {
  if (all.length === 0) return []
  const groups = all.map((sized) => sized.label)
  const columns = (g: string) => `${g} 1 thread | ${g} CPU ms | ${g} pool | ${g} pool ÷ forward`
  const header = [
    `corruption | ${groups.map(columns).join(' | ')}`,
    `---|${groups.map(() => '--:|--:|--:|--:').join('|')}`,
    `forward (bare ORT, row a) | ${all.map((s) => `– | – | ${rate(forward[s.label])} | 1×`).join(' | ')}`,
  ]
  const rows = all[0].rates.map(({ name }) => {
    const cells = all.map((sized) => {
      const r = sized.rates.find((candidate) => candidate.name === name)
      const pool = r?.poolImagesPerSecond
      const cpu =
        r === undefined ? '–' : r.singleThreadCpuMs.toFixed(r.singleThreadCpuMs < 10 ? 2 : 1)
      return `${rate(r?.singleThreadImagesPerSecond)} | ${cpu} | ${rate(pool)} | ${ratio(pool, forward[sized.label])}`
    })
    return `${name} | ${cells.join(' | ')}`
  })
  const notes = all.map(
    (sized) =>
      `- ${sized.label}: pool of ${sized.workers} worker(s) (cores − 1, as a sweep cell's loader), started in ${sized.poolStartSeconds.toFixed(2)} s once per cell; at least ${Math.min(...sized.rates.map((r) => r.images))} images per corruption, severities 1–5 in turn.`,
  )
  const below = belowForward(all, forward)
  const setUp = all.flatMap((sized) =>
    sized.rates
      .filter((r) => r.firstImagesCpuMs > 5 * r.singleThreadCpuMs + 1)
      .map((r) => `${r.name} at ${sized.label} (${r.firstImagesCpuMs.toFixed(0)} ms)`),
  )
  return [
    '#### Corruption generation against the forward pass (img/s)',
    '',
    ...header,
    ...rows,
    '',
    ...notes,
    `- Below the forward rate (a sweep cell would wait for them): ${below.length === 0 ? 'none' : below.join(', ')}.`,
    `- Rates are steady-state: each corruption first ran one untimed image per severity. Corruptions whose first images cost over 5× a steady one (CPU per image, set-up a cell pays once per worker): ${setUp.length === 0 ? 'none' : setUp.join(', ')}.`,
    '- CPU ms: the generating thread’s CPU time per image (process.threadCpuUsage), which a loaded machine inflates least; img/s are wall-clock.',
    '- Generation includes the normalisation a cell does after the corruption; it runs on the bench’s JPEGs after resize and crop (what the decoded-image cache holds), without ORT running at the same time (in a sweep the pool shares the cores with ORT’s threads).',
  ]
}

export function weightNoiseLines(cost: WeightNoiseSampleCost | null): string[] {
  if (cost === null) return []
  const setup = cost.patchSeconds + cost.sessionSeconds
  return [
    '#### Weight noise: one sample',
    '',
    'size | perturbed | patch s | session s | patch + session s | forward over subset s | (patch + session) ÷ forward',
    '---|---|--:|--:|--:|--:|--:',
    [
      `${cost.label}, ${cost.subsetImages} images`,
      `${cost.perturbedTensors} tensors, ${(cost.perturbedParameters / 1e6).toFixed(1)} M weights`,
      ...[cost.patchSeconds, cost.sessionSeconds, setup, cost.forwardSeconds].map((s) =>
        s.toFixed(2),
      ),
      `${(setup / cost.forwardSeconds).toFixed(2)}×`,
    ].join(' | '),
    '',
    `- Means over ${cost.samples} samples at σ = 0.1 ('weights' scope): θ·ξ drawn for every target and the initializers replaced (patch), a new ORT session created from the copy (session), then the subset run on that new session (its first runs included, as in the job).`,
  ]
}
