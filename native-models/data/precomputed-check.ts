import { join } from 'node:path'
import type { CorruptedSlice, DatasetRequest } from '../../electron/api/contract/index.ts'
import { cifarCLabels } from './cifar-c-reader.ts'
import { DatasetError } from './errors.ts'
import { readImageNetCSlice } from './imagenet-c-reader.ts'
import { labelIndices, openSourceSet } from './open-dataset.ts'
import { listPrecomputedSet } from './precomputed-set.ts'
import type { Labeling, SourceSet } from './source-set.ts'

/** The labels of one cell's images, read without their pixels. */
interface SliceLabels {
  /** The slice in messages: its folder, or 'labels.npy (severity 3)'. */
  name: string
  size: number
  labeling: Labeling
  describe(index: number): string
}

interface CleanSet {
  root: string
  set: SourceSet
  classes: string[]
  indices: Int32Array
}

const quoted = (names: readonly string[]): string =>
  names
    .slice(0, 6)
    .map((n) => `'${n}'`)
    .join(', ') + (names.length > 6 ? ` and ${names.length - 6} more` : '')

const CHOOSE_CLEAN =
  'a precomputed set must hold the clean set’s images in the clean set’s order (ImageNet-C: its val folder; CIFAR-10-C: the CIFAR-10 test set), so choose the clean set and split it was made from'

function assertSameClassFolders(slice: SliceLabels, clean: CleanSet): void {
  if (slice.labeling.kind !== 'folders') return
  const own = slice.labeling.classFolders
  const cleanFolders =
    clean.set.labeling.kind === 'folders' ? clean.set.labeling.classFolders : clean.classes
  const extra = own.filter((name) => !clean.classes.includes(name))
  const missing = cleanFolders.filter((name) => !own.includes(name))
  if (extra.length === 0 && missing.length === 0) return
  const parts = [
    ...(extra.length > 0 ? [`it has ${quoted(extra)}, which the clean set lacks`] : []),
    ...(missing.length > 0 ? [`it lacks ${quoted(missing)}`] : []),
  ]
  throw new DatasetError(
    'INVALID_ARGUMENT',
    `The class folders of '${slice.name}' differ from those of the clean set '${clean.root}' (${parts.join('; ')}): ${CHOOSE_CLEAN}.`,
  )
}

function sliceIndex(slice: SliceLabels, clean: CleanSet, index: number): number {
  const { labeling } = slice
  if (labeling.kind === 'folders') return clean.classes.indexOf(labeling.classNames[index])
  const label = labeling.labels[index]
  if (!Number.isInteger(label) || label < 0 || label >= clean.classes.length) {
    throw new DatasetError(
      'INVALID_ARGUMENT',
      `'${slice.describe(index)}' has label ${label} but the clean set '${clean.root}' has ${clean.classes.length} classes (0 … ${clean.classes.length - 1}): ${CHOOSE_CLEAN}.`,
    )
  }
  return label
}

/** Same count, same classes, and the same label at every position as the clean set. */
function assertMatchesClean(slice: SliceLabels, clean: CleanSet): void {
  if (slice.size !== clean.set.size) {
    throw new DatasetError(
      'INVALID_ARGUMENT',
      `'${slice.name}' holds ${slice.size} images but the clean set '${clean.root}' holds ${clean.set.size}: ${CHOOSE_CLEAN}.`,
    )
  }
  assertSameClassFolders(slice, clean)
  for (let i = 0; i < slice.size; i += 1) {
    const own = sliceIndex(slice, clean, i)
    if (own === clean.indices[i]) continue
    throw new DatasetError(
      'INVALID_ARGUMENT',
      `'${slice.describe(i)}' is labeled '${clean.classes[own]}' but image ${i} of the clean set ('${clean.set.describe(i)}') is '${clean.classes[clean.indices[i]]}': ${CHOOSE_CLEAN}.`,
    )
  }
}

async function cifarSlices(
  path: string,
  slices: readonly CorruptedSlice[],
): Promise<SliceLabels[]> {
  const listing = await listPrecomputedSet(path, 'cifar-10-c')
  const perSeverity = listing.imagesPerCell!
  for (const { corruption } of slices) {
    if (!listing.corruptions.some((c) => c.name === corruption))
      throw new DatasetError(
        'NOT_FOUND',
        `'${join(listing.path, `${corruption}.npy`)}' is missing: '${listing.path}' holds ${quoted(listing.corruptions.map((c) => c.name))}; choose among those.`,
      )
  }
  const severities = [...new Set(slices.map((s) => s.severity))]
  const imagesFile = join(listing.path, `${listing.corruptions[0].name}.npy`)
  return Promise.all(
    severities.map(async (severity) => {
      const { labels, file } = await cifarCLabels(listing.path, imagesFile, perSeverity, severity)
      return {
        name: `${file} (severity ${severity})`,
        size: labels.length,
        labeling: { kind: 'numbers' as const, labels, file },
        describe: (index: number) => `${file}#${(severity - 1) * perSeverity + index}`,
      }
    }),
  )
}

async function imageNetSlices(
  path: string,
  slices: readonly CorruptedSlice[],
): Promise<SliceLabels[]> {
  const sets = await Promise.all(
    slices.map((s) => readImageNetCSlice(path, s.corruption, s.severity)),
  )
  return sets.map((set) => ({ ...set, name: set.root }))
}

/** The class names a slice gets by default: sorted folder names, or '0' … 'K−1'. */
function defaultClasses(slice: SliceLabels): string[] {
  const { labeling } = slice
  if (labeling.kind === 'folders') return [...labeling.classFolders]
  let largest = -1
  for (let i = 0; i < labeling.labels.length; i += 1)
    largest = Math.max(largest, labeling.labels[i])
  return Array.from({ length: largest + 1 }, (_, i) => String(i))
}

/**
 * Checks that each (corruption, severity) cell of the precomputed set at `path` holds the clean
 * set's images in its order: as many, the same classes, and the same label at every position (the
 * same selection then picks the same images). Reads folder names and label files, no pixels.
 * Returns the class names the cells need so their logits are named as the clean set's (numeric
 * CIFAR-10-C labels against class folders), or null when their own names already are.
 */
export async function checkSlicesAgainstClean(
  clean: DatasetRequest,
  path: string,
  slices: readonly CorruptedSlice[],
): Promise<string[] | null> {
  if (slices.length === 0) return null
  const opened = await openSourceSet(clean)
  const all = Int32Array.from({ length: opened.set.size }, (_, i) => i)
  const cleanSet: CleanSet = { ...opened, indices: labelIndices(opened.set, opened.classes, all) }
  const labels =
    slices[0].layout === 'cifar-10-c'
      ? await cifarSlices(path, slices)
      : await imageNetSlices(path, slices)
  for (const slice of labels) assertMatchesClean(slice, cleanSet)
  if (clean.classes !== null) return null
  const own = defaultClasses(labels[0])
  const same =
    own.length === cleanSet.classes.length && own.every((n, i) => n === cleanSet.classes[i])
  return same ? null : cleanSet.classes
}
