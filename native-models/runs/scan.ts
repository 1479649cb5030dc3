import { readdir, readFile, stat } from 'node:fs/promises'
import { basename, join, resolve } from 'node:path'
import { compareCheckpointFiles, parseCheckpointName } from './checkpoint-names.ts'
import { RunFolderError } from './errors.ts'
import { duplicateEpochWarnings, gapWarning, ignoredFilesWarning } from './folder-warnings.ts'
import { listForMessage } from './messages.ts'
import { NO_RUN_JSON, parseRunJson } from './run-json.ts'
import type { CheckpointFile, RunFolderScan, RunJsonFields } from './types.ts'

export const METRICS_FILE_NAME = 'metrics.jsonl'
export const RUN_JSON_FILE_NAME = 'run.json'

function hasCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === code
}

async function listFolder(folder: string): Promise<string[]> {
  try {
    return await readdir(folder)
  } catch (error) {
    const problem = hasCode(error, 'ENOTDIR') ? 'is a file, not a run folder' : 'does not exist'
    if (!hasCode(error, 'ENOTDIR') && !hasCode(error, 'ENOENT')) throw error
    throw new RunFolderError(
      'NOT_FOUND',
      `'${folder}' ${problem}: choose the folder your training writes epoch_<N>.onnx and metrics.jsonl to.`,
      { cause: error },
    )
  }
}

async function checkpointFile(folder: string, fileName: string): Promise<CheckpointFile | null> {
  const name = parseCheckpointName(fileName)
  if (name === null) return null
  const path = join(folder, fileName)
  const info = await stat(path)
  if (!info.isFile()) return null
  return { path, fileName, ...name, sizeBytes: info.size, mtimeMs: info.mtimeMs }
}

async function readCheckpointFiles(
  folder: string,
  names: readonly string[],
): Promise<{ files: CheckpointFile[]; ignored: string[] }> {
  const onnxNames = names.filter((name) => name.toLowerCase().endsWith('.onnx'))
  const found = await Promise.all(onnxNames.map((name) => checkpointFile(folder, name)))
  const files = found.filter((file) => file !== null).sort(compareCheckpointFiles)
  const ignored = onnxNames.filter((_, index) => found[index] === null)
  return { files, ignored }
}

async function isPresent(file: string): Promise<boolean> {
  try {
    await stat(file)
    return true
  } catch (error) {
    if (hasCode(error, 'ENOENT')) return false
    throw error
  }
}

async function readTextIfPresent(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8')
  } catch (error) {
    if (hasCode(error, 'ENOENT')) return null
    throw error
  }
}

async function readRunJson(folder: string): Promise<RunJsonFields> {
  const file = join(folder, RUN_JSON_FILE_NAME)
  const text = await readTextIfPresent(file)
  return text === null ? NO_RUN_JSON : parseRunJson(text, file)
}

/** The error for a folder with neither checkpoints nor metric values. */
export function emptyRunFolderError(folder: string, ignored: readonly string[]): RunFolderError {
  const hint = ignored.length > 0 ? ` (rename ${listForMessage(ignored)} to epoch_<N>.onnx)` : ''
  return new RunFolderError(
    'RUN_FOLDER_EMPTY',
    `'${folder}' has no epoch_<N>.onnx checkpoint and no metrics in ${METRICS_FILE_NAME}${hint}: choose the folder your training writes them to.`,
  )
}

/**
 * Reads a run folder (see FORMAT.md) without changing anything: its checkpoint files in epoch
 * order with size and mtime, run.json, and where metrics.jsonl is (read it with
 * readMetricsJsonl, which streams). Scanning twice gives the
 * same result until training writes more, so the caller can diff it against the workspace.
 */
export async function scanRunFolder(folder: string): Promise<RunFolderScan> {
  const absolute = resolve(folder)
  const names = await listFolder(absolute)
  const metricsFile = join(absolute, METRICS_FILE_NAME)
  const [{ files, ignored }, fields, hasMetrics] = await Promise.all([
    readCheckpointFiles(absolute, names),
    readRunJson(absolute),
    isPresent(metricsFile),
  ])
  if (files.length === 0 && !hasMetrics) throw emptyRunFolderError(absolute, ignored)
  return {
    folder: absolute,
    defaultName: basename(absolute),
    fields,
    checkpoints: files,
    metricsFile: hasMetrics ? metricsFile : null,
    ignoredFiles: ignored,
    warnings: [
      ...gapWarning(absolute, files),
      ...duplicateEpochWarnings(absolute, files),
      ...ignoredFilesWarning(absolute, ignored),
    ],
  }
}
