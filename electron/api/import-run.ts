import type { DbHandle, RunImport } from '../../db/index.ts'
import {
  abandonRunImport,
  beginRunImport,
  saveRunImport,
  storedCheckpointFiles,
  writeMetricBatch,
} from '../../db/index.ts'
import type { CheckpointInput } from '../../db/index.ts'
import { summarizeModel } from '../../native-models/onnx/index.ts'
import {
  emptyRunFolderError,
  planCheckpointImport,
  readMetricsJsonl,
  RunFolderError,
  scanRunFolder,
} from '../../native-models/runs/index.ts'
import type {
  CheckpointFile,
  MetricsReadSummary,
  RunFolderScan,
} from '../../native-models/runs/index.ts'
import type { ImportReport } from './contract/index.ts'
import { toIpcError } from './errors.ts'
import type { ProgressReport } from './service.ts'

type Summarized = Omit<CheckpointInput, 'runId'>

/** The step logged last for each epoch, so a checkpoint carries it. */
type LastSteps = Map<number, number>

interface ImportedMetrics extends MetricsReadSummary {
  lastSteps: LastSteps
  lastEpoch: number | null
}

const NO_METRICS: ImportedMetrics = {
  lines: 0,
  rows: 0,
  warnings: [],
  lastSteps: new Map(),
  lastEpoch: null,
}

/** Streams metrics.jsonl into the import's generation, a short transaction per batch. */
async function importMetrics(
  db: DbHandle,
  importing: RunImport,
  file: string | null,
  onProgress: (p: ProgressReport) => void,
): Promise<ImportedMetrics> {
  if (file === null) return NO_METRICS
  const lastSteps: LastSteps = new Map()
  let lastEpoch: number | null = null
  let written = 0
  const summary = await readMetricsJsonl(file, (rows, fractionRead) => {
    writeMetricBatch(db, importing.runId, importing.generation, rows)
    for (const { epoch, step } of rows) {
      if (lastEpoch === null || epoch > lastEpoch) lastEpoch = epoch
      if (step !== null && step > (lastSteps.get(epoch) ?? -Infinity)) lastSteps.set(epoch, step)
    }
    written += rows.length
    const done = Math.round(fractionRead * 100)
    onProgress({ stage: 'reading metrics (%)', done, total: 100, detail: `${written} values` })
  })
  return { ...summary, lastSteps, lastEpoch }
}

type Summarize = (path: string) => Promise<Summarized['summary']>

async function summarizeFiles(
  files: readonly CheckpointFile[],
  lastSteps: LastSteps,
  summarize: Summarize,
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
      const summary = await summarize(file.path)
      const { path, epoch, variant, sizeBytes, mtimeMs } = file
      const step = lastSteps.get(epoch) ?? null
      summarized.push({ path, epoch, variant, sizeBytes, mtimeMs, step, summary })
    } catch (error) {
      // One unreadable epoch must not block the others; it is read again at the next import.
      const { code, message } = toIpcError(error)
      warnings.push(`[${code}] ${message}`)
    }
  }
  onProgress({ stage: 'reading checkpoints', done: files.length, total: files.length })
  return { summarized, warnings }
}

function noReadableCheckpointError(scan: RunFolderScan, problems: string[]): RunFolderError {
  return new RunFolderError(
    'RUN_FOLDER_UNREADABLE',
    `None of the ${scan.checkpoints.length} checkpoint file(s) in '${scan.folder}' could be read, so nothing was imported; first problem: ${problems[0]} Fix or re-export them, then import again.`,
  )
}

/**
 * Imports a run folder, or brings an imported one up to date: only new or changed checkpoint
 * files are read. Metric rows are written as a new generation in short transactions; run,
 * checkpoints and that generation become visible together in one short transaction at the end.
 * A failure leaves what was stored before as it was.
 */
export async function importRunFolder(
  db: DbHandle,
  folder: string,
  onProgress: (p: ProgressReport) => void = () => undefined,
  summarize: Summarize = summarizeModel,
): Promise<ImportReport> {
  const scan = await scanRunFolder(folder)
  const stored = storedCheckpointFiles(db, scan.folder)
  const plan = planCheckpointImport(scan.checkpoints, stored)
  const run = { ...scan.fields, folder: scan.folder, defaultName: scan.defaultName }
  const importing = beginRunImport(db, run)
  try {
    const metrics = await importMetrics(db, importing, scan.metricsFile, onProgress)
    if (scan.checkpoints.length === 0 && metrics.rows === 0) {
      throw emptyRunFolderError(scan.folder, scan.ignoredFiles)
    }
    const { summarized, warnings } = await summarizeFiles(
      plan.toRead,
      metrics.lastSteps,
      summarize,
      onProgress,
    )
    if (scan.checkpoints.length > 0 && summarized.length === 0 && stored.size === 0) {
      throw noReadableCheckpointError(scan, warnings)
    }
    const saved = await saveRunImport(db, importing, {
      run,
      checkpoints: summarized,
      lastLoggedEpoch: metrics.lastEpoch,
    })
    return {
      run: saved.run,
      added: saved.added,
      unchanged: saved.unchanged,
      metricLines: metrics.lines,
      check: null,
      warnings: [
        ...[...scan.warnings, ...metrics.warnings].map((w) => `[${w.code}] ${w.message}`),
        ...warnings.map((w) => `${w} It was not imported.`),
      ],
    }
  } catch (error) {
    await abandonRunImport(db, importing).catch(() => undefined)
    throw error
  }
}
