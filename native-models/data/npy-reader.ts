// NPY datasets: `images.npy` + `labels.npy` in the root, or per split as `<split>_images.npy` /
// `<split>-images.npy` files or `<split>/images.npy` folders.
import { readdir, stat } from 'node:fs/promises'
import { basename, join } from 'node:path'
import type { ArrayPart } from './array-parts.ts'
import { arraySourceSet } from './array-parts.ts'
import { DatasetError } from './errors.ts'
import { readDatasetFile } from './file-bytes.ts'
import { splitRequired, unknownSplit } from './image-folder.ts'
import type { NpyArray } from './npy.ts'
import { parseNpy } from './npy.ts'
import { compareCodePoints } from './sorting.ts'
import type { PixelArray } from './source-set.ts'
import type { SourceSet } from './source-set.ts'

interface NpyPair {
  images: string
  labels: string
}

const SPLIT_FILE = /^(.+?)[_-]images\.npy$/
const LABEL_KINDS = ['u1', 'i1', 'u2', 'i2', 'u4', 'i4', 'u8', 'i8']

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  )
}

/** The NPY pairs of `root`, keyed by split ('' for the root's own images.npy). */
export async function findNpySplits(root: string): Promise<Map<string, NpyPair>> {
  const pairs = new Map<string, NpyPair>()
  const listed = (await readdir(root, { withFileTypes: true })).sort((a, b) =>
    compareCodePoints(a.name, b.name),
  )
  if (await exists(join(root, 'images.npy')))
    pairs.set('', { images: join(root, 'images.npy'), labels: join(root, 'labels.npy') })
  for (const entry of listed) {
    const match = SPLIT_FILE.exec(entry.name)
    if (match && entry.isFile()) {
      const separator = entry.name.charAt(match[1].length)
      pairs.set(match[1], {
        images: join(root, entry.name),
        labels: join(root, `${match[1]}${separator}labels.npy`),
      })
    } else if (entry.isDirectory() && (await exists(join(root, entry.name, 'images.npy')))) {
      pairs.set(entry.name, {
        images: join(root, entry.name, 'images.npy'),
        labels: join(root, entry.name, 'labels.npy'),
      })
    }
  }
  return pairs
}

function unsupportedImages(file: string, array: NpyArray, problem: string): DatasetError {
  return new DatasetError(
    'DATASET_MALFORMED',
    `'${basename(file)}' holds ${problem} ('${array.kind}' of shape (${array.shape.join(', ')})): save images as uint8 or float32 in NHWC, NHW or NCHW with 1 or 3 channels.`,
  )
}

function pixelArray(file: string, array: NpyArray): PixelArray {
  if (!(array.data instanceof Uint8Array && array.kind === 'u1') && array.kind !== 'f4') {
    throw unsupportedImages(file, array, 'an unsupported dtype')
  }
  const data = array.data as Uint8Array | Float32Array
  const [count, a, b, c] = array.shape as [number, number, number, number | undefined]
  if (array.shape.length === 3)
    return { data, count, height: a, width: b, channels: 1, layout: 'hwc' }
  if (array.shape.length === 4 && (c === 1 || c === 3))
    return { data, count, height: a, width: b, channels: c, layout: 'hwc' }
  if (array.shape.length === 4 && (a === 1 || a === 3))
    return { data, count, height: b, width: c!, channels: a, layout: 'chw' }
  throw unsupportedImages(file, array, 'an unsupported shape')
}

function labelValues(
  file: string,
  array: NpyArray,
  count: number,
  imagesFile: string,
): ArrayLike<number> {
  const flat = array.shape.length === 1 || (array.shape.length === 2 && array.shape[1] === 1)
  if (!LABEL_KINDS.includes(array.kind) || !flat) {
    throw new DatasetError(
      'DATASET_MALFORMED',
      `'${basename(file)}' holds '${array.kind}' of shape (${array.shape.join(', ')}): save labels as integers of shape (N,).`,
    )
  }
  if (array.shape[0] !== count) {
    throw new DatasetError(
      'DATASET_MALFORMED',
      `'${basename(file)}' holds ${array.shape[0]} labels but '${basename(imagesFile)}' holds ${count} images: save matching arrays.`,
    )
  }
  return array.data
}

function floatWarning(images: PixelArray, file: string): string[] {
  if (!(images.data instanceof Float32Array)) return []
  let max = -Infinity
  for (let i = 0; i < images.data.length; i += 1) if (images.data[i] > max) max = images.data[i]!
  if (max <= 1.5) return []
  return [
    `'${basename(file)}' holds float32 values up to ${max}: float images are taken as already scaled to [0, 1] (ToTensor's output), so divide them by 255 first.`,
  ]
}

async function readPair(pair: NpyPair): Promise<{ part: ArrayPart; warnings: string[] }> {
  const [imagesFile, labelsFile] = await Promise.all([
    readDatasetFile(pair.images),
    readDatasetFile(pair.labels),
  ])
  const images = pixelArray(pair.images, parseNpy(imagesFile.bytes, pair.images))
  const labels = labelValues(
    pair.labels,
    parseNpy(labelsFile.bytes, pair.labels),
    images.count,
    pair.images,
  )
  const part = {
    imagesFile: pair.images,
    labelsFile: pair.labels,
    imagesSha256: imagesFile.sha256,
    labelsSha256: labelsFile.sha256,
    images,
    labels,
  }
  return { part, warnings: floatWarning(images, pair.images) }
}

function chosenSplits(root: string, pairs: Map<string, NpyPair>, split: string | null): string[] {
  if (split === null && !pairs.has('') && pairs.size > 1)
    throw splitRequired(root, [...pairs.keys()])
  if (split === null) return pairs.has('') ? [''] : [...pairs.keys()]
  if (split !== '' && pairs.has(split)) return [split]
  throw unknownSplit(
    root,
    split,
    [...pairs.keys()].filter((name) => name !== ''),
  )
}

/** An NPY folder: images as uint8 or float32 ([0, 1]) NHWC/NHW/NCHW, integer labels. */
export async function readNpyDataset(root: string, split: string | null): Promise<SourceSet> {
  const pairs = await findNpySplits(root)
  if (pairs.size === 0) {
    throw new DatasetError(
      'DATASET_EMPTY',
      `'${root}' holds no 'images.npy' (with 'labels.npy'): save the arrays with numpy.save.`,
    )
  }
  const read = await Promise.all(
    chosenSplits(root, pairs, split).map((name) => readPair(pairs.get(name)!)),
  )
  return arraySourceSet(
    'npy',
    root,
    split,
    read.map((r) => r.part),
    read.flatMap((r) => r.warnings),
  )
}
