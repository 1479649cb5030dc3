// The tidy rows of a probes or T3A result give the payload back exactly, directly and through the
// CSV export, on the payload shapes the jobs write: null DR values, logistic points, corruption
// domains, M = 'all', both stream orders.
import { describe, expect, it } from 'vitest'
import {
  diffusedRedundancy,
  probeCurve,
  smallestFractionWithin,
} from '../../../native-models/analysis/probes/probe-summary.ts'
import { probesFromTidy, probesValues } from '../../../electron/api/analyses/probes/tidy.ts'
import { t3aFromTidy, t3aValues } from '../../../electron/api/analyses/t3a/tidy.ts'
import type {
  JobKind,
  ProbePoint,
  ProbesResult,
  T3aDomainResult,
  T3aFilterResult,
  T3aResult,
} from '../../../electron/api/contract/index.ts'
import { parseTidyCsv, TIDY_HEADER, tidyCsvLines } from '../../../electron/api/export/tidy-csv.ts'

const CLASSES = ['T-shirt/top', 'Trouser', 'Pullover, knit', 'Dress "A"']

function ridge(fraction: number, seed: number, accuracy: number, cka: number): ProbePoint {
  return {
    ...{ basis: 'neurons', solver: 'ridge', fraction, k: Math.max(1, Math.floor(fraction * 512)) },
    ...{ seed, regularization: 0.0123 * (seed + 1), accuracy, validationAccuracy: accuracy - 0.01 },
    ...{ cka, iterations: null, converged: null },
  }
}

function baseline(basis: ProbePoint['basis'], fraction: number, seed: number, accuracy: number) {
  return { ...ridge(fraction, seed, accuracy, 0), basis, cka: null }
}

function logistic(fraction: number, seed: number, iterations: number, converged: boolean) {
  return {
    ...ridge(fraction, seed, 0.8125, 0),
    solver: 'logistic' as const,
    regularization: 1e-3,
    validationAccuracy: null,
    cka: null,
    iterations,
    converged,
  }
}

/** A probes payload assembled as the job assembles it, from these points. */
function probesPayload(points: ProbePoint[], fullAccuracy: number): ProbesResult {
  const curve = probeCurve(points)
  return {
    layer: 'penultimate',
    dim: 512,
    classes: CLASSES,
    numTrain: 800,
    numValidation: 200,
    numTest: 500,
    fullLayer: {
      accuracy: fullAccuracy,
      interval: { lower: fullAccuracy - 0.04, upper: fullAccuracy + 0.03 },
      regularization: 0.5,
    },
    points,
    curve,
    diffusedRedundancy: diffusedRedundancy(curve, fullAccuracy),
    within5Points: smallestFractionWithin(curve, fullAccuracy),
    features: {
      train: { cache: 'hit', forwardPasses: 0, numImages: 1000, dim: 512, corruption: null },
      test: { cache: 'computed', forwardPasses: 500, numImages: 500, dim: 512, corruption: null },
    },
    timings: { moments: 12.5, ridge: 40.25, pca: 0, logistic: 1234.5 },
  }
}

const RESULT_CONTEXT = {
  resultId: 7,
  checkpoint: 'resnet18, "seed 2".onnx',
  run: null,
  epoch: null,
  dataset: 'fashion-mnist',
}

/** The payload as a tidy CSV export and read back. */
function throughCsv(kind: JobKind, payload: unknown): unknown {
  const { text } = tidyCsvLines({ ...RESULT_CONTEXT, kind }, payload)
  const [parsed] = parseTidyCsv(`${TIDY_HEADER}${text}`)
  expect(parsed.context.kind).toBe(kind)
  return parsed.payload
}

describe('the probes tidy rows', () => {
  it('give back a payload whose DR values are null when no fraction comes close', () => {
    const points = [
      ridge(0.01, 1, 0.31, 0.2),
      ridge(0.01, 2, 0.29, 0.21),
      ridge(0.5, 1, 0.6, 0.8),
      ridge(1, 0, 0.9, 1),
    ]
    const payload = probesPayload(points, 0.9)
    expect(payload.diffusedRedundancy.map((dr) => dr.value)).toEqual([null, null])
    expect(payload.within5Points).toBeNull()
    expect(probesFromTidy(probesValues(payload))).toEqual(payload)
    expect(throughCsv('probes', payload)).toEqual(payload)
  })

  it('give back logistic points, baselines and DR values that were reached', () => {
    const points = [
      ridge(0.05, 1, 0.7, 0.5),
      ridge(0.05, 2, 0.72, 0.52),
      ridge(0.1, 1, 0.86, 0.7),
      ridge(0.1, 2, 0.88, 0.71),
      ridge(1, 0, 0.9, 1),
      baseline('pca-top', 0.05, 0, 0.8),
      baseline('pca-bottom', 0.05, 0, 0.2),
      baseline('random-projection', 0.05, 1, 0.75),
      logistic(0.1, 1, 87, true),
      logistic(1, 0, 1000, false),
    ]
    const payload = probesPayload(points, 0.9)
    expect(payload.diffusedRedundancy.map((dr) => dr.value)).toEqual([0.9, 0.9])
    expect(payload.within5Points).toBe(0.1)
    const back = probesFromTidy(probesValues(payload))
    expect(back).toEqual(payload)
    expect(back.points.filter((p) => p.solver === 'logistic')).toEqual([
      expect.objectContaining({ validationAccuracy: null, iterations: 87, converged: true }),
      expect.objectContaining({ validationAccuracy: null, iterations: 1000, converged: false }),
    ])
    expect(throughCsv('probes', payload)).toEqual(payload)
  })
})

function filterResult(filter: T3aFilterResult['filter'], accuracy: number): T3aFilterResult {
  return {
    filter,
    accuracy,
    interval: { lower: accuracy - 0.05, upper: accuracy + 0.04 },
    delta: { value: accuracy - 0.75, interval: { lower: -0.02, upper: 0.06 }, mcnemarP: 1 },
    meanEntropy: 0.4375,
    supports: {
      batches: [0, 3, 7],
      counts: [
        [3, 1, 0, 2],
        [4, 3, 2, 5],
        [filter === 'all' ? 9 : 1, 1, 1, 1],
      ],
      meanEntropy: [0.9, 0.6, 0.55],
    },
  }
}

function domain(
  label: string,
  corruption: T3aDomainResult['corruption'],
  forwardPasses: number,
): T3aDomainResult {
  return {
    label,
    corruption,
    numImages: 30,
    predicted: 28,
    base: { accuracy: 0.75, interval: { lower: 0.56, upper: 0.87 }, meanEntropy: 1.25 },
    filters: [filterResult(1, 0.7), filterResult(20, 0.75), filterResult('all', 0.8)],
    features: {
      cache: forwardPasses === 0 ? 'hit' : 'computed',
      forwardPasses,
      numImages: 30,
      dim: 512,
      corruption,
    },
  }
}

const NOISE = {
  name: 'gaussian_noise',
  severity: 5,
  seed: 0,
  jpegQuality: 80,
  padding: 'after',
} as const

function t3aPayload(overrides: Partial<T3aResult> = {}): T3aResult {
  return {
    classes: CLASSES,
    dim: 512,
    streamBatch: 4,
    order: { kind: 'shuffle', seed: 0 },
    lastPartialBatch: 'drop',
    allBehaviour: 'reference-drops-highest-entropy',
    domains: [
      domain('clean, "photo"', null, 30),
      domain('gaussian_noise 5', NOISE, 0),
      domain('sketch', null, 0),
    ],
    adaptMs: 3.75,
    ...overrides,
  }
}

describe('the T3A tidy rows', () => {
  it("give back corruption domains, M = 'all' and a shuffle with seed 0", () => {
    const payload = t3aPayload()
    const back = t3aFromTidy(t3aValues(payload))
    expect(back).toEqual(payload)
    expect(back.domains[1].corruption).toEqual(NOISE)
    expect(back.domains[0].filters.map((f) => f.filter)).toEqual([1, 20, 'all'])
    expect(throughCsv('t3a', payload)).toEqual(payload)
  })

  it('give back the dataset order and the other M = all behaviour', () => {
    const payload = t3aPayload({
      order: { kind: 'dataset' },
      lastPartialBatch: 'predict',
      allBehaviour: 'keep-every-support',
      domains: [domain('only', null, 30)],
    })
    expect(t3aFromTidy(t3aValues(payload))).toEqual(payload)
    expect(throughCsv('t3a', payload)).toEqual(payload)
  })

  it('give back a domain whose filters differ in support evolution lengths', () => {
    const short = filterResult(5, 0.9)
    short.supports = { batches: [0], counts: [[1, 0, 0, 0]], meanEntropy: [1.5] }
    const payload = t3aPayload({
      domains: [{ ...domain('short stream', null, 4), filters: [short, filterResult('all', 0.8)] }],
    })
    expect(t3aFromTidy(t3aValues(payload))).toEqual(payload)
    expect(throughCsv('t3a', payload)).toEqual(payload)
  })
})
