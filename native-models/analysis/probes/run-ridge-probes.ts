import type { ProbePoint } from '../../../electron/api/contract/analyses/probes.ts'
import type { DenseProducts } from '../linear-algebra/dense-products.ts'
import { wilsonInterval } from '../uncertainty/wilson.ts'
import { pcaProbes, projectionBaseline } from './baseline-probes.ts'
import { accumulateSplitMoments, addMoments, centeredMoments } from './feature-moments.ts'
import { neuronProbesAt, subsetsAt } from './neuron-probes.ts'
import { principalBasis } from './pca-basis.ts'
import { meanVariance } from './probe-context.ts'
import type { ProbeContext } from './probe-context.ts'
import type {
  ProbeSubset,
  RidgeProbesInput,
  RidgeProbesOptions,
  RidgeProbesOutput,
  RidgeStrengthChoice,
} from './probe-run-types.ts'
import { diffusedRedundancy, probeCurve, smallestFractionWithin } from './probe-summary.ts'
import { validationSplit } from './validation-split.ts'
import { assertProbesInput } from './probes-input-checks.ts'
import { DEFAULT_RIDGE_GRID } from './ridge-strength.ts'
import { subsetCka } from './subset-cka.ts'

/** Training rows per moments chunk: about 16 MB of float32 features. */
export function defaultChunkRows(dim: number): number {
  return Math.max(1, Math.floor(4_194_304 / dim))
}

/** Fractions probed: the requested ones, deduplicated and ascending, with 1 (the full layer) last. */
export function probedFractions(fractions: readonly number[]): number[] {
  return [...new Set([...fractions, 1])].sort((a, b) => a - b)
}

/**
 * Neuron-subset ridge probes (Diffused Redundancy) with PCA and random-projection baselines, from
 * one pass of float64 moments over the training features; heavy products run on `products`.
 */
export async function runRidgeProbes(
  input: RidgeProbesInput,
  products: DenseProducts,
  options: RidgeProbesOptions = {},
): Promise<RidgeProbesOutput> {
  assertProbesInput(input)
  const now = options.now ?? (() => performance.now())
  const report = options.onProgress ?? (() => {})
  const { dim, classes, train, test } = input
  const fractions = probedFractions(input.fractions)
  const baseFractions = fractions.filter((f) => f < 1)
  const grid = input.ridgeGrid ?? DEFAULT_RIDGE_GRID
  const subsetLists = fractions.map((f) => subsetsAt(dim, f, input.seeds))
  const totalProbes =
    fractions.length * grid.length +
    subsetLists.reduce((total, list) => total + list.length, 0) +
    (input.baselines.pca ? 2 * baseFractions.length : 0) +
    (input.baselines.randomProjection ? (grid.length + input.seeds) * baseFractions.length : 0)

  options.signal?.throwIfAborted()
  const started = now()
  const split = validationSplit(train.n, input.validation.fraction, input.validation.seed)
  const parts = await accumulateSplitMoments(
    train,
    dim,
    classes,
    split.isValidation,
    products,
    options.chunkRows ?? defaultChunkRows(dim),
    (done, total) => {
      options.signal?.throwIfAborted()
      report({ stage: 'moments', done, total })
    },
  )
  const whole = addMoments(parts.train, parts.validation)
  const centered = centeredMoments(whole)
  const momentsMs = now() - started

  let fitted = 0
  const context: ProbeContext = {
    dim,
    classes,
    products,
    train,
    test,
    trainPart: parts.train,
    whole,
    centered,
    validationRows: split.validationRows,
    fallbackScale: { trainPart: meanVariance(parts.train), whole: meanVariance(whole) },
    grid,
    tick: () => {
      options.signal?.throwIfAborted()
      report({ stage: 'probes', done: ++fitted, total: totalProbes })
    },
  }

  const ridgeStarted = now()
  const cka = subsetCka(centered.covariance, dim)
  const points: ProbePoint[] = []
  const strengths: RidgeStrengthChoice[] = []
  for (const subsets of subsetLists) {
    const result = await neuronProbesAt(context, subsets, cka)
    points.push(...result.points)
    strengths.push(result.choice)
  }
  const ridgeMs = now() - ridgeStarted

  const baseChoices = strengths.filter((choice) => choice.fraction < 1)
  const pcaStarted = now()
  const basis = input.baselines.pca ? principalBasis(centered.covariance, dim) : null
  if (basis !== null) points.push(...(await pcaProbes(context, basis, baseChoices)))
  const pcaMs = now() - pcaStarted

  const projectionStarted = now()
  const projections = input.baselines.randomProjection
    ? await projectionBaseline(context, input.seeds, baseFractions)
    : { points: [], choices: [] }
  points.push(...projections.points)
  const projectionMs = now() - projectionStarted

  return summarise(input, split.validationRows.length, points, strengths, subsetLists.flat(), {
    grid: [...grid],
    projectionStrengths: projections.choices,
    pcaEigenvalues: basis?.values ?? null,
    timings: { moments: momentsMs, ridge: ridgeMs, pca: pcaMs, randomProjection: projectionMs },
  })
}

function summarise(
  input: RidgeProbesInput,
  numValidation: number,
  points: ProbePoint[],
  strengths: RidgeStrengthChoice[],
  subsets: ProbeSubset[],
  extra: Pick<RidgeProbesOutput, 'grid' | 'projectionStrengths' | 'pcaEigenvalues' | 'timings'>,
): RidgeProbesOutput {
  const full = points.find((p) => p.basis === 'neurons' && p.fraction === 1)
  if (full === undefined) throw new Error('The full-layer probe is missing.')
  const curve = probeCurve(points)
  const correct = Math.round(full.accuracy * input.test.n)
  return {
    dim: input.dim,
    classes: input.classes,
    numTrain: input.train.n,
    numValidation,
    numTest: input.test.n,
    fullLayer: {
      accuracy: full.accuracy,
      interval: wilsonInterval(correct, input.test.n),
      regularization: full.regularization,
    },
    points,
    curve,
    diffusedRedundancy: diffusedRedundancy(curve, full.accuracy),
    within5Points: smallestFractionWithin(curve, full.accuracy),
    subsets,
    strengths,
    ...extra,
  }
}
