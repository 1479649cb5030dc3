import { readdir } from 'node:fs/promises'
import { basename, join } from 'node:path'
import type { ArrayPart } from './array-parts.ts'
import { arraySourceSet } from './array-parts.ts'
import { DatasetError } from './errors.ts'
import { readDatasetFile } from './file-bytes.ts'
import { assertImagesAndLabels, parseIdx } from './idx.ts'
import { splitRequired, unknownSplit } from './image-folder.ts'
import { compareCodePoints } from './sorting.ts'
import type { SourceSet } from './source-set.ts'

/** `train-images-idx3-ubyte.gz`, `t10k-labels.idx1-ubyte`, ... */
const IDX_FILE = /^(.+?)-(images|labels)[-.]idx[13]-ubyte(\.gz)?$/

interface SplitFiles {
  images?: string
  labels?: string
}

const SPLIT_ORDER = ['train', 't10k']

function compareSplits(a: string, b: string): number {
  const rank = (s: string): number =>
    SPLIT_ORDER.includes(s) ? SPLIT_ORDER.indexOf(s) : SPLIT_ORDER.length
  return rank(a) - rank(b) || compareCodePoints(a, b)
}

/** IDX files in `root` by split prefix; an uncompressed file wins over its '.gz' twin. */
export async function findIdxSplits(root: string): Promise<Map<string, SplitFiles>> {
  const splits = new Map<string, SplitFiles>()
  const names = (await readdir(root)).sort(compareCodePoints)
  for (const name of names) {
    const match = IDX_FILE.exec(name)
    if (!match) continue
    const files = splits.get(match[1]) ?? {}
    const role = match[2] as 'images' | 'labels'
    if (files[role] === undefined || files[role].endsWith('.gz')) files[role] = join(root, name)
    splits.set(match[1], files)
  }
  return new Map([...splits].sort(([a], [b]) => compareSplits(a, b)))
}

function chosenSplits(
  root: string,
  splits: Map<string, SplitFiles>,
  split: string | null,
): string[] {
  if (split === null && splits.size > 1) throw splitRequired(root, [...splits.keys()])
  if (split === null) return [...splits.keys()]
  if (splits.has(split)) return [split]
  if (split === 'test' && splits.has('t10k')) return ['t10k']
  throw unknownSplit(root, split, [...splits.keys()])
}

async function readPart(name: string, files: SplitFiles): Promise<ArrayPart> {
  const present = files.images ?? files.labels!
  if (files.images === undefined || files.labels === undefined) {
    const missing = files.images === undefined ? 'images-idx3' : 'labels-idx1'
    throw new DatasetError(
      'DATASET_MALFORMED',
      `'${basename(present)}' has no '${name}-${missing}-ubyte[.gz]' beside it: put both files of the split in the folder.`,
    )
  }
  const [imagesFile, labelsFile] = await Promise.all([
    readDatasetFile(files.images),
    readDatasetFile(files.labels),
  ])
  const images = parseIdx(imagesFile.bytes, files.images)
  const labels = parseIdx(labelsFile.bytes, files.labels)
  assertImagesAndLabels(images, labels, files.images, files.labels)
  const [count, height, width] = images.dims as [number, number, number]
  return {
    imagesFile: files.images,
    labelsFile: files.labels,
    imagesSha256: imagesFile.sha256,
    labelsSha256: labelsFile.sha256,
    images: { data: images.data, count, height, width, channels: 1, layout: 'hwc' },
    labels: labels.data,
  }
}

/** An MNIST-family folder: `<split>-images-idx3-ubyte[.gz]` + `<split>-labels-idx1-ubyte[.gz]`. */
export async function readIdxDataset(root: string, split: string | null): Promise<SourceSet> {
  const splits = await findIdxSplits(root)
  if (splits.size === 0) {
    throw new DatasetError(
      'DATASET_EMPTY',
      `'${root}' holds no IDX files: expected '<split>-images-idx3-ubyte[.gz]' and '<split>-labels-idx1-ubyte[.gz]'.`,
    )
  }
  const chosen = chosenSplits(root, splits, split)
  const parts = await Promise.all(chosen.map((name) => readPart(name, splits.get(name)!)))
  return arraySourceSet('idx', root, split, parts, [])
}
