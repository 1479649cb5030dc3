import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { DatasetRequest } from './contract/index.ts'
import { RequestError } from './errors.ts'

async function walk(folder: string, depth: number, out: string[]): Promise<void> {
  const entries = await readdir(folder, { withFileTypes: true })
  entries.sort((a, b) => (a.name < b.name ? -1 : 1))
  for (const entry of entries) {
    const path = join(folder, entry.name)
    if (entry.isDirectory() && depth > 0) await walk(path, depth - 1, out)
    else if (entry.isFile()) {
      const info = await stat(path)
      out.push(`${path}\t${info.size}\t${info.mtimeMs}`)
    }
  }
}

/**
 * A cheap stand-in for the content fingerprint, for cache look-ups before any job runs: every
 * file's path, size and modification time (up to split/class/file depth). Any edit changes it.
 */
export async function datasetStatSignature(path: string): Promise<string> {
  const info = await stat(path).catch(() => null)
  if (!info)
    throw new RequestError(
      'NOT_FOUND',
      `Dataset '${path}' does not exist: choose an image folder or a folder of IDX/NPY files.`,
    )
  if (info.isFile()) return `${path}\t${info.size}\t${info.mtimeMs}`
  const lines: string[] = []
  await walk(path, 2, lines)
  return lines.join('\n')
}

/** The folder whose files a request reads: an ImageNet-C cell's own `<corruption>/<severity>`. */
export function datasetFilesFolder({ path, corrupted }: DatasetRequest): string {
  if (corrupted?.layout !== 'imagenet-c') return path
  return join(path, corrupted.corruption, String(corrupted.severity))
}
