import type {
  CheckpointInfo,
  DatasetRequest,
  EvaluationResult,
  ImportReport,
  JobRequest,
  MetricSeries,
  ModelSummary,
  Preprocessing,
  ResultInfo,
} from './contract/index.ts'

/** What the check needs from the service. */
export interface ImportCheckDeps {
  runMeta: Record<string, unknown>
  metrics: MetricSeries[]
  summaryOf: (checkpoint: CheckpointInfo) => ModelSummary
  evaluate: (request: JobRequest) => Promise<ResultInfo>
}

const MAX_ACCURACY_GAP_POINTS = 1

/** The test images named by run.json's `dataset` ({ path, testSplit?, format?, testLimit? }), if any. */
export function testSplitOf(meta: Record<string, unknown>): DatasetRequest | null {
  const dataset = meta['dataset'] as
    { path?: unknown; testSplit?: unknown; format?: unknown } | undefined
  if (typeof dataset?.path !== 'string') return null
  const format =
    typeof dataset.format === 'string' ? (dataset.format as DatasetRequest['format']) : 'auto'
  const split = typeof dataset.testSplit === 'string' ? dataset.testSplit : null
  return {
    path: dataset.path,
    format,
    split,
    holdout: null,
    classes: null,
    sample: null,
    limit: null,
  }
}

function loggedTestAccuracy(metrics: MetricSeries[], epoch: number): number | null {
  const series = metrics.find(
    (m) => m.name === 'accuracy' && (m.split === 'test' || m.split === 'val'),
  )
  const value = series?.points.filter((p) => p.epoch === epoch).at(-1)?.value
  if (value === undefined) return null
  return value > 1 ? value / 100 : value
}

function isIdentityNormalisation(p: Preprocessing): boolean {
  return p.mean.every((m) => m === 0) && p.std.every((s) => s === 1)
}

/** A warning when the graph normalises its input and the preprocessing normalises again. */
export function doubleNormalisationWarning(
  summary: ModelSummary,
  preprocessing: Preprocessing | null,
): string | null {
  if (!summary.inputNormalization || !preprocessing || isIdentityNormalisation(preprocessing))
    return null
  return (
    `${summary.fileName} normalises its input inside the graph (mean [${summary.inputNormalization.mean.join(', ')}]) ` +
    `and run.json's preprocessing normalises again (mean [${preprocessing.mean.join(', ')}]): set mean 0 and std 1 in run.json.`
  )
}

function newestCheckpoint(report: ImportReport, all: CheckpointInfo[]): CheckpointInfo | null {
  const plain = all.filter((c) => c.epoch !== null && c.variant === '')
  const candidates = plain.length > 0 ? plain : all.filter((c) => c.epoch !== null)
  return candidates.sort((a, b) => b.epoch! - a.epoch!)[0] ?? report.added[0] ?? null
}

/**
 * Evaluates the run's newest checkpoint on its test split and compares with the logged accuracy:
 * a gap of more than a point usually means the preprocessing (normalisation) is wrong.
 */
export async function checkImportedRun(
  report: ImportReport,
  checkpoints: CheckpointInfo[],
  deps: ImportCheckDeps,
): Promise<string[]> {
  const checkpoint = newestCheckpoint(report, checkpoints)
  if (!checkpoint) return []
  const warnings: string[] = []
  const doubled = doubleNormalisationWarning(deps.summaryOf(checkpoint), report.run.preprocessing)
  if (doubled) warnings.push(doubled)
  const dataset = testSplitOf(deps.runMeta)
  const logged = loggedTestAccuracy(deps.metrics, checkpoint.epoch!)
  if (!dataset || logged === null || !report.run.preprocessing) return warnings
  const request: JobRequest = {
    kind: 'evaluate',
    checkpointId: checkpoint.id,
    modelPath: null,
    dataset,
    preprocessing: null,
    batchSize: null,
    provider: 'auto',
  }
  const { top1 } = (await deps.evaluate(request)).payload as EvaluationResult
  const gap = Math.abs(top1 - logged) * 100
  if (gap > MAX_ACCURACY_GAP_POINTS) {
    warnings.push(
      `Epoch ${checkpoint.epoch} scores ${(top1 * 100).toFixed(2)}% on ${dataset.path}${dataset.split ? ` (${dataset.split})` : ''} ` +
        `but training logged ${(logged * 100).toFixed(2)}% (${gap.toFixed(2)} points apart): check run.json's preprocessing, usually the normalisation.`,
    )
  }
  return warnings
}
