import { loggedAt } from '../../native-models/analysis/metrics/index.ts'
import type { RoleOverrides } from '../../native-models/analysis/metrics/index.ts'
import { isWhole } from './request-fields.ts'
import type {
  CheckpointInfo,
  ImportCheck,
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

/**
 * The test images named by run.json's `dataset` ({ path, testSplit?, format?, testLimit? }), if
 * any: the first `testLimit` images when it gives one.
 */
export function testSplitOf(meta: Record<string, unknown>): DatasetRequest | null {
  const dataset = meta['dataset'] as
    { path?: unknown; testSplit?: unknown; format?: unknown; testLimit?: unknown } | undefined
  if (typeof dataset?.path !== 'string') return null
  const format =
    typeof dataset.format === 'string' ? (dataset.format as DatasetRequest['format']) : 'auto'
  const split = typeof dataset.testSplit === 'string' ? dataset.testSplit : null
  const limit = isWhole(dataset.testLimit, 1) ? dataset.testLimit : null
  return { path: dataset.path, format, split, holdout: null, classes: null, sample: null, limit }
}

/** run.json's `metricRoles` ({ "accuracy/test": "top1_eval" }), when it names series. */
export function roleOverridesOf(meta: Record<string, unknown>): RoleOverrides {
  const roles = meta['metricRoles']
  if (typeof roles !== 'object' || roles === null || Array.isArray(roles)) return {}
  return Object.fromEntries(
    Object.entries(roles).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string',
    ),
  )
}

/** The logged test (else validation) accuracy of an epoch as a fraction, and its series' split. */
function loggedTestAccuracy(
  metrics: MetricSeries[],
  epoch: number,
  overrides: RoleOverrides,
): { value: number; split: string } | null {
  for (const split of ['test', 'val'] as const) {
    const value = loggedAt(metrics, 'accuracy', split, epoch, overrides)
    if (value !== null) return { value: value > 1 ? value / 100 : value, split }
  }
  return null
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

function skipped(message: string, epoch: number | null = null): ImportCheck {
  const none = { images: null, measured: null, logged: null, isMismatch: false }
  return { status: 'skipped', message, epoch, ...none }
}

const percent = (x: number): string => `${(x * 100).toFixed(2)} %`

/**
 * Evaluates the run's newest checkpoint on its test split and compares with the logged accuracy:
 * a gap of more than a point usually means the preprocessing (normalisation) is wrong. Says what
 * it checked, or why it could not.
 */
export async function checkImportedRun(
  report: ImportReport,
  checkpoints: CheckpointInfo[],
  deps: ImportCheckDeps,
): Promise<{ check: ImportCheck | null; warnings: string[] }> {
  const checkpoint = newestCheckpoint(report, checkpoints)
  if (!checkpoint) return { check: null, warnings: [] }
  const warnings: string[] = []
  const doubled = doubleNormalisationWarning(deps.summaryOf(checkpoint), report.run.preprocessing)
  if (doubled) warnings.push(doubled)
  const epoch = checkpoint.epoch!
  const dataset = testSplitOf(deps.runMeta)
  if (!dataset) {
    const why = 'not checked: run.json names no test dataset ({ dataset: { path, testSplit } }).'
    return { check: skipped(why, epoch), warnings }
  }
  const logged = loggedTestAccuracy(deps.metrics, epoch, roleOverridesOf(deps.runMeta))
  if (logged === null) {
    const why = `not checked: no test or validation accuracy is logged for epoch ${epoch} (name it like test_acc or val_top1, or map it in run.json's metricRoles).`
    return { check: skipped(why, epoch), warnings }
  }
  if (!report.run.preprocessing) {
    return { check: skipped('not checked: the run has no preprocessing yet.', epoch), warnings }
  }
  const request: JobRequest = {
    kind: 'evaluate',
    checkpointId: checkpoint.id,
    modelPath: null,
    dataset,
    preprocessing: null,
    batchSize: null,
    provider: 'auto',
  }
  const { top1, numImages } = (await deps.evaluate(request)).payload as EvaluationResult
  const gap = Math.abs(top1 - logged.value) * 100
  const where = `${numImages} ${dataset.split ?? ''} images`.replace('  ', ' ')
  const check: ImportCheck = {
    status: 'checked',
    message: `checked epoch ${epoch} on ${where}: ${percent(top1)} vs ${percent(logged.value)} logged (${logged.split}).`,
    epoch,
    images: numImages,
    measured: top1,
    logged: logged.value,
    isMismatch: gap > MAX_ACCURACY_GAP_POINTS,
  }
  if (check.isMismatch) {
    warnings.push(
      `Epoch ${epoch} scores ${percent(top1)} on ${dataset.path}${dataset.split ? ` (${dataset.split})` : ''} ` +
        `but training logged ${percent(logged.value)} (${gap.toFixed(2)} points apart): check run.json's preprocessing, usually the normalisation.`,
    )
  }
  return { check, warnings }
}
