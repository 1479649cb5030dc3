// The Markdown report of `npm run bench:features`, ready to paste into README.md.
import type { RidgeProbesOutput } from '../../native-models/analysis/probes/index.ts'
import type { SupportFilter, T3aResult } from '../../native-models/analysis/t3a/index.ts'
import type { BenchFeatures } from './features-data.ts'
import type { BenchSettings } from './features-run.ts'
import type { SklearnResult } from './features-sklearn.ts'
import type { LogisticRun, Timing } from './features-steps.ts'

const RIDGE_TARGET_MS = 20_000
const T3A_TARGET_MS = 1_000

export interface FeaturesReportInput {
  data: BenchFeatures
  settings: BenchSettings
  loadBefore: number[]
  loadAfter: number[]
  loading: Timing
  moments: { cross: Timing; featureLabel: Timing }
  /** principalBasis alone, on the covariance of every training row. */
  eigen: Timing
  ridge: Timing & { value: RidgeProbesOutput }
  /** CPU ms of runRidgeProbes' moments, ridge, pca and randomProjection stages. */
  ridgeCpu: number[] | null
  logistic: LogisticRun[]
  t3a: { prepare: Timing; filters: Timing & { value: T3aResult[] } }
  sklearn: (Timing & { value: SklearnResult }) | null
  t3aFilters: SupportFilter[]
}

const s = (ms: number): string => (ms / 1000).toFixed(2)
const pct = (accuracy: number | null): string =>
  accuracy === null ? '–' : `${(100 * accuracy).toFixed(2)} %`
const ratio = (theirs: number, ours: number): string => `${(theirs / ours).toPrecision(2)}×`
const loads = (l: number[]): string => l.map((v) => v.toFixed(2)).join(', ')
const row = (cells: string[]): string => `| ${cells.join(' | ')} |`

function ridgeCounts(input: FeaturesReportInput): { fits: number; searchFits: number } {
  const output = input.ridge.value
  const fits = output.points.filter((p) => p.basis === 'neurons').length
  return { fits, searchFits: output.grid.length * output.strengths.length }
}

/**
 * scikit-learn's time for every subset of the run, from the subsets it refitted: each fraction's
 * measured fits scaled by how many subsets that fraction has (the cost depends on k, not the seed).
 */
function sklearnAllSubsetsMs(input: FeaturesReportInput): number {
  const { subsets } = input.ridge.value
  const fits = input.sklearn?.value.ridge ?? []
  const refitted = subsets.filter((subset) => subset.seed <= input.settings.sklearnSeeds)
  const countAt = (list: typeof subsets, fraction: number): number =>
    list.filter((subset) => subset.fraction === fraction).length
  return refitted.reduce((total, subset, i) => {
    const scale = countAt(subsets, subset.fraction) / countAt(refitted, subset.fraction)
    return total + 1000 * (fits[i]?.seconds ?? 0) * scale
  }, 0)
}

function stageRows(input: FeaturesReportInput): string[] {
  const { data, moments, ridge, sklearn, eigen } = input
  const { timings } = ridge.value
  const cpu = (stage: number): string => (input.ridgeCpu === null ? '' : s(input.ridgeCpu[stage]))
  const numpy = sklearn?.value.numpy
  const vsNumpy = (seconds: number | undefined, ours: Timing): string[] =>
    seconds === undefined ? ['–', '–'] : [seconds.toFixed(2), ratio(1000 * seconds, ours.wallMs)]
  const { fits, searchFits } = ridgeCounts(input)
  const ridgeFits = sklearn?.value.ridge ?? []
  const sklearnRidgeMs = 1000 * ridgeFits.reduce((total, fit) => total + fit.seconds, 0)
  const extrapolated = ridgeFits.length > 0 ? sklearnAllSubsetsMs(input) : null
  const oursRidgeMs = timings.moments + timings.ridge
  const verdict = timings.ridge < RIDGE_TARGET_MS ? 'under' : 'OVER'
  const { n } = data.train
  return [
    row([
      'XᵀX (float64 sums, ORT)',
      s(moments.cross.wallMs),
      s(moments.cross.cpuMs),
      ...vsNumpy(numpy?.crossSeconds, moments.cross),
      `${n} × ${data.dim} → ${data.dim}²; scikit-learn column: NumPy float32 XᵀX`,
    ]),
    row([
      'XᵀY (one-hot labels)',
      s(moments.featureLabel.wallMs),
      s(moments.featureLabel.cpuMs),
      ...vsNumpy(numpy?.featureLabelSeconds, moments.featureLabel),
      `${data.dim} × ${data.classes}; scikit-learn column: NumPy float32 XᵀY`,
    ]),
    row([
      'runRidgeProbes: moments stage',
      s(timings.moments),
      cpu(0),
      '',
      '',
      'XᵀX, XᵀY, Σx of the training and validation parts, centering',
    ]),
    row([
      `**ridge probes**: ${fits} fits + ${searchFits} λ-search fits`,
      s(timings.ridge),
      cpu(1),
      '',
      '',
      `15 fractions × ${input.settings.seeds} seeds, CKA included; ${verdict} the 20 s target (wall)`,
    ]),
    row([
      'ridge probes with their moments, vs scikit-learn',
      s(oursRidgeMs),
      '',
      extrapolated === null ? '–' : s(extrapolated),
      extrapolated === null ? '–' : ratio(extrapolated, oursRidgeMs),
      `scikit-learn Ridge: ${ridgeFits.length} fits measured (${s(sklearnRidgeMs)} s), scaled per fraction to all ${fits} subsets; no λ search`,
    ]),
    row([
      'PCA eigendecomposition alone (principalBasis)',
      s(eigen.wallMs),
      s(eigen.cpuMs),
      ...vsNumpy(numpy?.eighSeconds, eigen),
      `${data.dim}×${data.dim} symmetric; scikit-learn column: numpy.linalg.eigh`,
    ]),
    row([
      'runRidgeProbes: PCA stage',
      s(timings.pca),
      cpu(2),
      '',
      '',
      'the eigendecomposition again + PCA probes at 14 fractions',
    ]),
    row([
      'runRidgeProbes: random projections',
      s(timings.randomProjection),
      cpu(3),
      '',
      '',
      `14 fractions × ${input.settings.seeds} seeds`,
    ]),
    row(['runRidgeProbes total', s(ridge.wallMs), s(ridge.cpuMs), '', '', 'the whole call']),
  ]
}

function logisticRows(input: FeaturesReportInput): string[] {
  const { weightDecay } = input.settings
  return input.logistic.map((run, i) => {
    const theirs = input.sklearn?.value.logistic[i]
    const note =
      `k = ${run.columns.length}, ${run.fit.iterations} it. (${run.fit.stopReason}); ` +
      `test ${pct(run.accuracy)} vs scikit-learn ${theirs === undefined ? '–' : `${pct(theirs.accuracy)}, ${theirs.iterations} it.`}`
    return row([
      `logistic probe, fraction ${run.fraction} (α = ${weightDecay})`,
      s(run.timing.wallMs),
      s(run.timing.cpuMs),
      theirs === undefined ? '–' : theirs.seconds.toFixed(2),
      theirs === undefined ? '–' : ratio(1000 * theirs.seconds, run.timing.wallMs),
      note,
    ])
  })
}

function t3aRows(input: FeaturesReportInput): string[] {
  const { prepare, filters } = input.t3a
  const total = prepare.wallMs + filters.wallMs
  const totalCpu = prepare.cpuMs + filters.cpuMs
  const perM = filters.value.map((r) => `M=${r.filter}: ${pct(r.t3aAccuracy)}`).join(', ')
  const verdict = totalCpu < T3A_TARGET_MS ? 'under' : 'OVER'
  return [
    row([
      'T3A: base classifier pass',
      s(prepare.wallMs),
      s(prepare.cpuMs),
      '',
      '',
      `${input.data.test.n} test features; base ${pct(filters.value[0]?.baseAccuracy ?? null)}`,
    ]),
    row([
      `T3A: every M (${input.t3aFilters.join(', ')}) in one pass`,
      s(filters.wallMs),
      s(filters.cpuMs),
      '',
      '',
      perM,
    ]),
    row(['**T3A total**', s(total), s(totalCpu), '', '', `${verdict} the 1 s target (CPU)`]),
  ]
}

/** Ours vs scikit-learn on the subsets scikit-learn refitted: the sanity check of the timings. */
function accuracyRows(input: FeaturesReportInput): string[] {
  const output = input.ridge.value
  const theirs = input.sklearn?.value.ridge ?? []
  const refitted = output.subsets.filter((subset) => subset.seed <= input.settings.sklearnSeeds)
  return refitted.map((subset, i) => {
    const ours = output.points.find(
      (p) => p.basis === 'neurons' && p.fraction === subset.fraction && p.seed === subset.seed,
    )
    const fit = theirs[i]
    return row([
      String(subset.fraction),
      String(subset.indices.length),
      String(subset.seed),
      ours === undefined ? '–' : ours.regularization.toPrecision(3),
      pct(ours?.accuracy ?? null),
      fit === undefined ? '–' : pct(fit.accuracy),
      fit === undefined ? '–' : fit.seconds.toFixed(2),
    ])
  })
}

export function featuresReport(input: FeaturesReportInput): string {
  const { data, settings, sklearn } = input
  const output = input.ridge.value
  return [
    `### Probes and T3A speed: ${data.train.n} × ${data.dim} training, ${data.test.n} test features, C = ${data.classes}`,
    '',
    `Features: ${data.description} (ready in ${s(input.loading.wallMs)} s). One run, not a best of several; ` +
      `load average before ${loads(input.loadBefore)}, after ${loads(input.loadAfter)} (2 cores); ` +
      `Node ${process.versions.node}, ORT and scikit-learn on ${settings.threads} threads` +
      `${sklearn === null ? '; scikit-learn not installed' : ` (${sklearn.value.versions}, OMP/OpenBLAS threads = ${settings.threads})`}.`,
    '',
    '| step | ours wall s | ours CPU s | scikit-learn s | scikit-learn / ours | notes |',
    '|---|--:|--:|--:|--:|---|',
    ...stageRows(input),
    ...logisticRows(input),
    ...t3aRows(input),
    '',
    `Full layer: ridge ${pct(output.fullLayer.accuracy)} (λ = ${output.fullLayer.regularization.toPrecision(3)}). ` +
      `Logistic: L-BFGS, max ${settings.maxIterations} iterations, max-abs gradient ≤ ${settings.tolerance} ` +
      `(scikit-learn: C = 1/(α·n), tol = ${settings.tolerance}·n on its sum-form gradient).`,
    '',
    '| fraction | k | seed | λ | ours test top-1 | scikit-learn test top-1 | scikit-learn fit s |',
    '|--:|--:|--:|--:|--:|--:|--:|',
    ...accuracyRows(input),
  ].join('\n')
}
