import { createHash } from 'node:crypto'
import { stat } from 'node:fs/promises'
import { basename, resolve } from 'node:path'
import type { DatasetInfo, DatasetRequest } from '../../electron/api/contract/index.ts'
import { folderClassOrder, numericClassOrder } from './class-map.ts'
import { DatasetError, reason } from './errors.ts'
import { readImageFolder } from './folder-reader.ts'
import { findIdxSplits, readIdxDataset } from './idx-reader.ts'
import { findNpySplits, readNpyDataset } from './npy-reader.ts'
import { readCorruptedSlice } from './precomputed-set.ts'
import { selectPositions } from './selection.ts'
import type { SourceSet } from './source-set.ts'
import type { Dataset } from './types.ts'

type Format = DatasetInfo['format']

const READERS: Record<Format, (root: string, split: string | null) => Promise<SourceSet>> = {
  imagefolder: readImageFolder,
  idx: readIdxDataset,
  npy: readNpyDataset,
}

async function assertFolder(root: string): Promise<void> {
  const found = await stat(root).catch((cause: unknown) => {
    throw new DatasetError(
      'NOT_FOUND',
      `The dataset folder '${root}' cannot be opened (${reason(cause)}): check the path.`,
      { cause },
    )
  })
  if (!found.isDirectory()) {
    throw new DatasetError(
      'INVALID_ARGUMENT',
      `'${root}' is a file, not a folder: point the dataset at the folder that holds it.`,
    )
  }
}

/** IDX files win, then NPY arrays; anything else is read as an ImageFolder. */
export async function detectFormat(root: string): Promise<Format> {
  if ((await findIdxSplits(root)).size > 0) return 'idx'
  if ((await findNpySplits(root)).size > 0) return 'npy'
  return 'imagefolder'
}

function classOrder(set: SourceSet, override: string[] | null): string[] {
  const { labeling } = set
  if (labeling.kind === 'folders')
    return folderClassOrder(set.root, labeling.classFolders, override)
  return numericClassOrder(labeling.file, labeling.labels, override)
}

/** The logit index of each item at `selected` (reader indices), by the class order `classes`. */
export function labelIndices(
  set: SourceSet,
  classes: readonly string[],
  selected: Int32Array,
): Int32Array {
  const { labeling } = set
  if (labeling.kind === 'numbers') return selected.map((index) => labeling.labels[index])
  const indexOf = new Map(classes.map((name, index) => [name, index]))
  return selected.map((index) => indexOf.get(labeling.classNames[index])!)
}

function emptySelection(set: SourceSet, request: DatasetRequest): DatasetError {
  const where = `'${set.root}'${request.split === null ? '' : ` (split '${request.split}')`}`
  if (set.size === 0) {
    return new DatasetError(
      'DATASET_EMPTY',
      `${where} holds no images: ${set.format === 'imagefolder' ? "put JPEG or PNG files in '<class>/' sub-folders" : 'check that the files hold images'}.`,
    )
  }
  return new DatasetError(
    'DATASET_EMPTY',
    `The holdout, sample and limit keep none of the ${set.size} images of ${where}: loosen them.`,
  )
}

async function fingerprint(
  set: SourceSet,
  request: DatasetRequest,
  classes: string[],
  selected: Int32Array,
): Promise<string> {
  const hash = createHash('sha256')
  const { split, holdout, sample, limit, corrupted } = request
  const identity = { version: 1, format: set.format, split, holdout, sample, limit, classes }
  hash.update(JSON.stringify(corrupted ? { ...identity, corrupted } : identity))
  await set.fingerprint(selected, hash)
  return hash.digest('hex')
}

/** Everything a reader finds at a request's path (or one slice of a corrupted set), unselected. */
export async function openSourceSet(
  request: DatasetRequest,
): Promise<{ root: string; set: SourceSet; classes: string[] }> {
  const root = resolve(request.path)
  await assertFolder(root)
  const set = request.corrupted
    ? await readCorruptedSlice(root, request.corrupted)
    : await READERS[request.format === 'auto' ? await detectFormat(root) : request.format](
        root,
        request.split,
      )
  return { root, set, classes: classOrder(set, request.classes) }
}

function datasetName(root: string, { split, corrupted }: DatasetRequest): string {
  if (corrupted) return `${basename(root)} (${corrupted.corruption} ${corrupted.severity})`
  return split === null ? basename(root) : `${basename(root)} (${split})`
}

/**
 * Opens an ImageFolder, IDX or NPY dataset and applies the request's split, class map, holdout,
 * sample and limit. ImageFolder files are hashed for the fingerprint but decoded only when loaded.
 */
export async function openDataset(request: DatasetRequest): Promise<Dataset> {
  const { root, set, classes } = await openSourceSet(request)
  const format = set.format
  const selected = selectPositions(set.size, request)
  if (selected.length === 0) throw emptySelection(set, request)
  const { channels, itemShape } = await set.probe(selected[0])
  const info = {
    name: datasetName(root, request),
    format,
    path: root,
    split: request.split,
    numImages: selected.length,
    classes,
    fingerprint: await fingerprint(set, request, classes, selected),
    itemShape,
  }
  return {
    info,
    size: selected.length,
    labels: labelIndices(set, classes, selected),
    channels,
    warnings: set.warnings,
    describe: (position) => set.describe(selected[position]),
    source: (position) => set.source(selected[position]),
  }
}
