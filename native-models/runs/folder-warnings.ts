import { findEpochGaps } from './epoch-gaps.ts'
import { listForMessage } from './messages.ts'
import type { CheckpointFile, RunFolderWarning } from './types.ts'

export function gapWarning(folder: string, files: readonly CheckpointFile[]): RunFolderWarning[] {
  const gaps = findEpochGaps(files.map((file) => file.epoch))
  if (gaps === null) return []
  const epochs = listForMessage(gaps.missing, 8, gaps.missingCount)
  const every = gaps.stride === 1 ? 'every epoch' : `every ${gaps.stride} epochs`
  const message = `'${folder}' has no checkpoint for epoch${gaps.missingCount > 1 ? 's' : ''} ${epochs} (expected one ${every} from ${gaps.first} to ${gaps.last}): the import continues without them.`
  return [{ code: 'RUN_FOLDER_GAP', message }]
}

/** epoch_3.onnx beside epoch_03.onnx: both are imported, but the user likely wants one. */
export function duplicateEpochWarnings(
  folder: string,
  files: readonly CheckpointFile[],
): RunFolderWarning[] {
  const byEpoch = new Map<string, CheckpointFile[]>()
  for (const file of files) {
    const key = `${file.epoch}.${file.variant}`
    byEpoch.set(key, [...(byEpoch.get(key) ?? []), file])
  }
  return [...byEpoch.values()]
    .filter((group) => group.length > 1)
    .map((group) => ({
      code: 'RUN_FOLDER_DUPLICATE_EPOCH',
      message: `'${folder}' has ${group.length} files for epoch ${group[0].epoch} (${listForMessage(group.map((file) => file.fileName))}): all are imported; delete the extra ones to keep the run unambiguous.`,
    }))
}

export function ignoredFilesWarning(
  folder: string,
  ignored: readonly string[],
): RunFolderWarning[] {
  if (ignored.length === 0) return []
  const message = `'${folder}' has .onnx files not named epoch_<N>.onnx or epoch_<N>.<variant>.onnx (${listForMessage(ignored)}): they were not imported; rename them to import them.`
  return [{ code: 'RUN_FOLDER_IGNORED_FILES', message }]
}
