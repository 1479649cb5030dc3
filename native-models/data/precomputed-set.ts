import { readdir } from 'node:fs/promises'
import { resolve } from 'node:path'
import { CORRUPTION_NAMES } from '../../electron/api/contract/index.ts'
import type {
  CorruptedSlice,
  PrecomputedLayout,
  PrecomputedSet,
} from '../../electron/api/contract/index.ts'
import { CIFAR_C_LABELS, listCifarC, readCifarCSlice } from './cifar-c-reader.ts'
import { DatasetError, reason } from './errors.ts'
import { listImageNetC, readImageNetCSlice } from './imagenet-c-reader.ts'
import type { SourceSet } from './source-set.ts'

const CORRUPTION_FILES = new Set(CORRUPTION_NAMES.map((name) => `${name}.npy`))

/** 'cifar-10-c' when the folder holds labels.npy or a `<corruption>.npy`; else 'imagenet-c'. */
export async function detectPrecomputedLayout(root: string): Promise<PrecomputedLayout> {
  const names = await readdir(root).catch((cause: unknown) => {
    throw new DatasetError(
      'NOT_FOUND',
      `The corrupted set '${root}' cannot be opened (${reason(cause)}): check the path.`,
      { cause },
    )
  })
  const isArrays = names.some((name) => name === CIFAR_C_LABELS || CORRUPTION_FILES.has(name))
  return isArrays ? 'cifar-10-c' : 'imagenet-c'
}

/** The corruptions and severities a precomputed set holds, checked as far as that needs no pixels. */
export async function listPrecomputedSet(
  path: string,
  layout: PrecomputedLayout | 'auto',
): Promise<PrecomputedSet> {
  const root = resolve(path)
  const chosen = layout === 'auto' ? await detectPrecomputedLayout(root) : layout
  const listing = chosen === 'cifar-10-c' ? await listCifarC(root) : await listImageNetC(root)
  return { path: root, layout: chosen, ...listing }
}

/** The images of one (corruption, severity) cell of a precomputed set, with their labels. */
export function readCorruptedSlice(root: string, slice: CorruptedSlice): Promise<SourceSet> {
  const read = slice.layout === 'cifar-10-c' ? readCifarCSlice : readImageNetCSlice
  return read(root, slice.corruption, slice.severity)
}
