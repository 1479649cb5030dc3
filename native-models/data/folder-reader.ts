import type { Hash } from 'node:crypto'
import { join } from 'node:path'
import { probeImageFile } from './decode-image.ts'
import { DatasetError } from './errors.ts'
import { readDatasetFile } from './file-bytes.ts'
import type { FolderItem, FolderScan } from './image-folder.ts'
import {
  hasSplitLayout,
  listSplitFolders,
  scanClassFolders,
  splitRequired,
  unknownSplit,
} from './image-folder.ts'
import type { SourceSet } from './source-set.ts'

const HASH_CONCURRENCY = 8

async function scanSplits(root: string, split: string | null): Promise<FolderScan> {
  if (split !== null) {
    const splits = await listSplitFolders(root)
    if (!splits.includes(split)) throw unknownSplit(root, split, splits)
    return scanClassFolders(root, join(root, split))
  }
  if (!(await hasSplitLayout(root))) return scanClassFolders(root, root)
  const splits = await listSplitFolders(root)
  if (splits.length > 1) throw splitRequired(root, splits)
  return scanClassFolders(root, join(root, splits[0]))
}

/** Hashes the selected files (a few at a time) and feeds `identity \0 sha256` lines in order. */
async function fingerprintFiles(
  items: readonly FolderItem[],
  selected: Int32Array,
  hash: Hash,
): Promise<void> {
  const digests = new Array<string>(selected.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < selected.length) {
      const position = next++
      digests[position] = (await readDatasetFile(items[selected[position]].path)).sha256
    }
  }
  await Promise.all(Array.from({ length: Math.min(HASH_CONCURRENCY, selected.length) }, worker))
  selected.forEach((index, position) =>
    hash.update(`${items[index].identity}\0${digests[position]}\n`),
  )
}

/** An ImageFolder root: class folders, or split folders of class folders. */
export async function readImageFolder(root: string, split: string | null): Promise<SourceSet> {
  const scan = await scanSplits(root, split)
  if (scan.classFolders.length === 0) {
    throw new DatasetError(
      'DATASET_EMPTY',
      `'${root}' has no class sub-folders: put each class's images in '${root}/<class>/'.`,
    )
  }
  return classFolderSet(root, split, scan)
}

/** The items of a class-folder scan as a SourceSet; files are hashed only for the fingerprint. */
export function classFolderSet(root: string, split: string | null, scan: FolderScan): SourceSet {
  const { items } = scan
  return {
    format: 'imagefolder',
    root,
    split,
    size: items.length,
    labeling: {
      kind: 'folders',
      classFolders: scan.classFolders,
      classNames: items.map((item) => item.className),
    },
    describe: (index) => items[index].path,
    source: (index) => ({ kind: 'file', path: items[index].path }),
    probe: (index) => probeImageFile(items[index].path),
    fingerprint: (selected, hash) => fingerprintFiles(items, selected, hash),
    warnings: scan.warnings,
  }
}
