// IDX and NPY datasets: one or more splits, each an images array and a labels array loaded in memory.
import type { Hash } from 'node:crypto'
import { basename } from 'node:path'
import { DatasetError } from './errors.ts'
import type { PixelArray, SourceSet } from './source-set.ts'
import { pixelImage } from './source-set.ts'

export interface ArrayPart {
  imagesFile: string
  labelsFile: string
  imagesSha256: string
  labelsSha256: string
  images: PixelArray
  labels: ArrayLike<number>
}

function locate(parts: readonly ArrayPart[], index: number): { part: ArrayPart; local: number } {
  let local = index
  for (const part of parts) {
    if (local < part.images.count) return { part, local }
    local -= part.images.count
  }
  throw new RangeError(`Item ${index} is beyond the dataset's ${index - local} items.`)
}

function assertSameShape(parts: readonly ArrayPart[]): void {
  const [first, ...rest] = parts
  for (const part of rest) {
    const a = first.images
    const b = part.images
    if (a.height !== b.height || a.width !== b.width || a.channels !== b.channels) {
      throw new DatasetError(
        'DATASET_MALFORMED',
        `'${basename(part.imagesFile)}' holds ${b.width}×${b.height}×${b.channels} images but '${basename(first.imagesFile)}' holds ${a.width}×${a.height}×${a.channels}: choose one split.`,
      )
    }
  }
}

function concatenatedLabels(parts: readonly ArrayPart[]): Float64Array {
  const labels = new Float64Array(parts.reduce((n, p) => n + p.images.count, 0))
  let offset = 0
  for (const part of parts) {
    for (let i = 0; i < part.images.count; i += 1) labels[offset + i] = part.labels[i]!
    offset += part.images.count
  }
  return labels
}

function updateFingerprint(parts: readonly ArrayPart[], selected: Int32Array, hash: Hash): void {
  // File contents, not names: a renamed or gunzipped copy of the same arrays is the same dataset.
  for (const part of parts)
    hash.update(`images\0${part.imagesSha256}\nlabels\0${part.labelsSha256}\n`)
  hash.update(new Uint8Array(selected.buffer, selected.byteOffset, selected.byteLength))
}

/** A SourceSet over in-memory splits, indexed in the order of `parts`. */
export function arraySourceSet(
  format: 'idx' | 'npy',
  root: string,
  split: string | null,
  parts: readonly ArrayPart[],
  warnings: string[],
): SourceSet {
  assertSameShape(parts)
  const labels = concatenatedLabels(parts)
  const { height, width, channels } = parts[0].images
  const itemShape = channels === 1 ? [height, width] : [height, width, channels]
  const labelsFiles = parts.map((p) => basename(p.labelsFile)).join(' + ')
  return {
    format,
    root,
    split,
    size: labels.length,
    labeling: { kind: 'numbers', labels, file: labelsFiles },
    describe(index) {
      const { part, local } = locate(parts, index)
      return `${part.imagesFile}#${local}`
    },
    source(index) {
      const { part, local } = locate(parts, index)
      return { kind: 'pixels', image: pixelImage(part.images, local) }
    },
    probe: () => Promise.resolve({ channels, itemShape }),
    fingerprint: (selected, hash) => Promise.resolve(updateFingerprint(parts, selected, hash)),
    warnings,
  }
}
