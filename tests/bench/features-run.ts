// `npm run bench:features [-- --features train.features --test-features test.features]`: issue 16's
// benchmark, not part of CI, never fails on timing. On 60,000 × 2048 training and 10,000 test
// features (seeded synthetic ones unless two feature cache files are given): XᵀX and XᵀY, the
// 15 fractions × 5 seeds of fast ridge probes with their PCA and random-projection baselines, exact
// logistic probes at a few fractions, scikit-learn fitting the same probes on the same features in
// the same run, and T3A for every M. Prints a Markdown table for README.md.
import { loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { DEFAULT_PROBE_FRACTIONS } from '../../electron/api/contract/analyses/probes.ts'
import { runRidgeProbes } from '../../native-models/analysis/probes/index.ts'
import type { RidgeProbesOutput } from '../../native-models/analysis/probes/index.ts'
import type { SupportFilter } from '../../native-models/analysis/t3a/index.ts'
import { ortDenseProducts } from '../../native-models/runtime/index.ts'
import { cachedFeatures, syntheticFeatures } from './features-data.ts'
import type { BenchFeatures } from './features-data.ts'
import { featuresReport } from './features-report.ts'
import { fitWithSklearn, sklearnAvailable } from './features-sklearn.ts'
import type { SklearnResult } from './features-sklearn.ts'
import { principalBasis } from '../../native-models/analysis/probes/pca-basis.ts'
import {
  logisticProbe,
  momentProducts,
  recordingClock,
  stageCpu,
  t3aOnTest,
  timed,
} from './features-steps.ts'
import type { LogisticRun } from './features-steps.ts'

const T3A_FILTERS: SupportFilter[] = [1, 5, 20, 50, 100, 'all']

export interface BenchSettings {
  seeds: number
  logisticFractions: number[]
  weightDecay: number
  maxIterations: number
  tolerance: number
  /** Seeds per fraction scikit-learn refits (the first ones). */
  sklearnSeeds: number
  threads: number
}

function parseOptions(): {
  settings: BenchSettings
  files: [string, string] | null
  shape: number[]
} {
  const { values } = parseArgs({
    options: {
      features: { type: 'string' },
      'test-features': { type: 'string' },
      train: { type: 'string', default: '60000' },
      test: { type: 'string', default: '10000' },
      dim: { type: 'string', default: '2048' },
      classes: { type: 'string', default: '10' },
      seeds: { type: 'string', default: '5' },
      'logistic-fractions': { type: 'string', default: '0.01,0.1,0.5,1' },
      'weight-decay': { type: 'string', default: '1e-4' },
      'max-iterations': { type: 'string', default: '300' },
      tolerance: { type: 'string', default: '1e-4' },
      'sklearn-seeds': { type: 'string', default: '1' },
      threads: { type: 'string', default: '2' },
    },
  })
  const train = values.features
  const test = values['test-features']
  if ((train === undefined) !== (test === undefined)) {
    throw new Error('--features and --test-features go together.')
  }
  return {
    settings: {
      seeds: Number(values.seeds),
      logisticFractions: values['logistic-fractions'].split(',').map(Number),
      weightDecay: Number(values['weight-decay']),
      maxIterations: Number(values['max-iterations']),
      tolerance: Number(values.tolerance),
      sklearnSeeds: Number(values['sklearn-seeds']),
      threads: Number(values.threads),
    },
    files: train !== undefined && test !== undefined ? [train, test] : null,
    shape: [values.train, values.test, values.dim, values.classes].map(Number),
  }
}

async function loadFeatures(
  files: [string, string] | null,
  shape: number[],
): Promise<BenchFeatures> {
  if (files !== null) return cachedFeatures(files[0], files[1])
  const [train, test, dim, classes] = shape
  return syntheticFeatures({ train, test, dim, classes })
}

/** scikit-learn on the first `sklearnSeeds` subsets per fraction (our λ) and the logistic probes. */
async function sklearnRun(
  data: BenchFeatures,
  ridge: RidgeProbesOutput,
  logistic: LogisticRun[],
  settings: BenchSettings,
  covariance: Float64Array,
): Promise<SklearnResult> {
  const refitted = ridge.subsets.filter((s) => s.seed <= settings.sklearnSeeds)
  const ridgeProbes = refitted.map((subset) => {
    const point = ridge.points.find(
      (p) => p.basis === 'neurons' && p.fraction === subset.fraction && p.seed === subset.seed,
    )
    if (point === undefined) throw new Error(`No probe at ${subset.fraction}/${subset.seed}.`)
    return { columns: subset.indices, alpha: point.regularization }
  })
  const n = data.train.n
  const logisticProbes = logistic.map((run) => ({
    columns: run.columns,
    C: 1 / (settings.weightDecay * n),
    maxIterations: settings.maxIterations,
    tol: settings.tolerance * n,
  }))
  return fitWithSklearn(data, covariance, ridgeProbes, logisticProbes, settings.threads)
}

async function main(): Promise<void> {
  const { settings, files, shape } = parseOptions()
  const loadBefore = loadavg()
  const loading = await timed(() => loadFeatures(files, shape))
  const data = loading.value
  const products = ortDenseProducts({ intraOpNumThreads: settings.threads })
  try {
    const moments = await momentProducts(data, products)
    const input = {
      ...{ train: data.train, test: data.test, dim: data.dim, classes: data.classes },
      ...{ fractions: DEFAULT_PROBE_FRACTIONS, seeds: settings.seeds, ridgeGrid: null },
      validation: { fraction: 0.1, seed: 0 },
      baselines: { pca: true, randomProjection: true },
    }
    const eigen = await timed(() => principalBasis(moments.covariance, data.dim))
    const clock = recordingClock()
    const ridge = await timed(() => runRidgeProbes(input, products, { now: clock.now }))
    const logistic: LogisticRun[] = []
    for (const fraction of settings.logisticFractions) {
      const subset = ridge.value.subsets.find(
        (s) => s.fraction === fraction && s.seed === (fraction === 1 ? 0 : 1),
      )
      if (subset === undefined) throw new Error(`Fraction ${fraction} is not a probed fraction.`)
      logistic.push(await logisticProbe(data, fraction, subset.indices, settings))
    }
    const full = logistic.find((run) => run.fraction === 1)
    if (full === undefined) throw new Error('T3A needs the full-layer logistic probe (fraction 1).')
    const t3a = await t3aOnTest(data, full.fit, T3A_FILTERS)
    const sklearn = (await sklearnAvailable())
      ? await timed(() => sklearnRun(data, ridge.value, logistic, settings, moments.covariance))
      : null
    const report = featuresReport({
      ...{ data, settings, loadBefore, loadAfter: loadavg(), loading },
      ...{ moments, eigen, ridge, ridgeCpu: stageCpu(clock.cpuMarks), logistic, t3a, sklearn },
      t3aFilters: T3A_FILTERS,
    })
    console.log(report)
  } finally {
    await products.release()
  }
}

await main()
