import type {
  ActivationStatsResult,
  EvaluationResult,
  RunDetail,
  TapStatistics,
} from '../../../electron/api/contract/index.ts'
import type {
  ChartData,
  ChartSpec,
  LabeledResult,
} from '../../../renderer/src/charts/options/chart-data.ts'

/** A 3-class evaluation with the given confusion matrix; everything else follows from it. */
export function evaluation(
  confusion: number[][],
  classes = ['cat', 'dog', 'bird'],
): EvaluationResult {
  const counts = confusion.map((row) => row.reduce((a, b) => a + b, 0))
  const total = counts.reduce((a, b) => a + b, 0)
  const correct = confusion.reduce((a, row, i) => a + row[i], 0)
  return {
    numImages: total,
    classes,
    top1: correct / total,
    top5: 1,
    nll: 0.9,
    ece: 0.05,
    reliability: [
      { lower: 0, upper: 0.5, count: 0, accuracy: 0, confidence: 0 },
      { lower: 0.5, upper: 1, count: total, accuracy: correct / total, confidence: 0.8 },
    ],
    confusion,
    perClass: classes.map((name, i) => ({
      name,
      count: counts[i],
      accuracy: counts[i] ? confusion[i][i] / counts[i] : 0,
    })),
  }
}

export function tap(
  key: string,
  mean: number[],
  std: number[],
  zeroFraction: number[],
): TapStatistics {
  return {
    key,
    shape: [mean.length, 4, 4],
    mean,
    std,
    maxAbs: mean.map((m, c) => Math.abs(m) + 3 * std[c]),
    zeroFraction,
    histogram: {
      edges: [0, 0.001, 0.01, 0.1, 1],
      counts: [5, 1, 2, 2],
      sampledValues: 10,
      totalValues: 100,
    },
  }
}

export function stats(taps: TapStatistics[]): ActivationStatsResult {
  return { numImages: 8, taps }
}

export function labeled<P>(
  id: number,
  label: string,
  payload: P,
  kind: 'evaluate' | 'activation-stats' = 'evaluate',
): LabeledResult<P> {
  return { id, kind, label, payload }
}

export function spec(chart: ChartSpec['chart'], overrides: Partial<ChartSpec> = {}): ChartSpec {
  return { chart, resultIds: [], baselineResultId: null, runIds: [], options: {}, ...overrides }
}

export function data(results: LabeledResult[], runs: RunDetail[] = []): ChartData {
  return { results, runs, isSynthetic: false }
}

export function run(id: number, name: string, tags: string[], accuracy: number[][]): RunDetail {
  return {
    id,
    name,
    folder: `/runs/${name}`,
    tags,
    notes: '',
    classes: null,
    preprocessing: null,
    checkpointCount: 0,
    lastEpoch: accuracy.length - 1,
    importedAt: '',
    updatedAt: '',
    checkpoints: [],
    defaultDataset: null,
    metricRoles: {},
    metrics: [
      {
        name: 'accuracy',
        split: 'test',
        points: accuracy.flatMap((values, epoch) =>
          values.map((value) => ({ epoch, step: null, value })),
        ),
      },
    ],
  }
}
