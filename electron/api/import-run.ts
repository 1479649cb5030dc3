import type { DbHandle } from '../../db/index.ts'
import { saveRunImport, storedCheckpointFiles } from '../../db/index.ts'
import type { CheckpointInput } from '../../db/index.ts'
import { summarizeModel } from '../../native-models/onnx/index.ts'
import { planCheckpointImport, scanRunFolder } from '../../native-models/runs/index.ts'
import type { CheckpointFile, MetricRow } from '../../native-models/runs/index.ts'
import type { ImportReport } from './contract/index.ts'
import { toIpcError } from './errors.ts'
import type { ProgressReport } from './service.ts'

type Summarized = Omit<CheckpointInput, 'runId'>

/** The step logged last for an epoch, so a checkpoint carries it; null when no line has one. */
function lastStepOf(metrics: readonly MetricRow[], epoch: number): number | null {
  const steps = metrics.filter((m) => m.epoch === epoch && m.step !== null).map((m) => m.step!)
  return steps.length > 0 ? Math.max(...steps) : null
}

async function summarizeFiles(
  files: readonly CheckpointFile[],
  metrics: readonly MetricRow[],
  onProgress: (p: ProgressReport) => void,
): Promise<{ summarized: Summarized[]; warnings: string[] }> {
  const summarized: Summarized[] = []
  const warnings: string[] = []
  for (const [i, file] of files.entries()) {
    onProgress({
      stage: 'reading checkpoints',
      done: i,
      total: files.length,
      detail: file.fileName,
    })
    try {
      const summary = await summarizeModel(file.path)
      const { path, epoch, variant, sizeBytes, mtimeMs } = file
      summarized.push({
        path,
        epoch,
        variant,
        sizeBytes,
        mtimeMs,
        step: lastStepOf(metrics, epoch),
        summary,
      })
    } catch (error) {
      // One unreadable epoch must not block the others; it is read again at the next import.
      const { code, message } = toIpcError(error)
      warnings.push(`[${code}] ${message} It was not imported.`)
    }
  }
  onProgress({ stage: 'reading checkpoints', done: files.length, total: files.length })
  return { summarized, warnings }
}

/**
 * Imports a run folder, or brings an imported one up to date: only new or changed checkpoint
 * files are read; run, metrics and checkpoints are written in one transaction.
 */
export async function importRunFolder(
  db: DbHandle,
  folder: string,
  onProgress: (p: ProgressReport) => void = () => undefined,
): Promise<ImportReport> {
  const scan = await scanRunFolder(folder)
  const plan = planCheckpointImport(scan.checkpoints, storedCheckpointFiles(db, scan.folder))
  const { summarized, warnings } = await summarizeFiles(plan.toRead, scan.metrics, onProgress)
  const saved = saveRunImport(db, {
    run: { ...scan.fields, folder: scan.folder, defaultName: scan.defaultName },
    metrics: scan.metrics,
    checkpoints: summarized,
  })
  return {
    run: saved.run,
    added: saved.added,
    unchanged: saved.unchanged,
    metricLines: scan.metricLines,
    warnings: [...scan.warnings.map((w) => `[${w.code}] ${w.message}`), ...warnings],
  }
}
