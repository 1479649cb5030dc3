// CIFAR-10-C (and CIFAR-100-C), as hendrycks/robustness make_cifar_c.py saves it: one
// `<corruption>.npy` of uint8 (5N, H, W, 3) per corruption, severity s in rows (s−1)·N … s·N − 1,
// and one `labels.npy` beside them with the labels of all 5N rows (or of one severity's N).
import { open, readdir } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { CORRUPTION_NAMES } from '../../electron/api/contract/index.ts'
import type { CorruptionName, PrecomputedSet } from '../../electron/api/contract/index.ts'
import type { ArrayPart } from './array-parts.ts'
import { arraySourceSet } from './array-parts.ts'
import { DatasetError, reason } from './errors.ts'
import { readDatasetFile } from './file-bytes.ts'
import { parseNpy, parseNpyHeader } from './npy.ts'
import { isCorruptionName, unknownWarning } from './precomputed-names.ts'
import { compareCodePoints } from './sorting.ts'
import type { SourceSet } from './source-set.ts'

export const CIFAR_C_LABELS = 'labels.npy'
const SEVERITIES = [1, 2, 3, 4, 5] as const
const LABEL_KINDS = ['u1', 'i1', 'u2', 'i2', 'u4', 'i4', 'u8', 'i8']

/** A corruption file's stacked images: N per severity. */
export interface StackedShape {
  perSeverity: number
  height: number
  width: number
}

interface ArrayHeader {
  kind: string
  shape: number[]
}

const shapeText = (shape: readonly number[]): string => `(${shape.join(', ')})`

/** The dtype and shape of an NPY file, reading only its header. */
export async function readNpyHeader(path: string): Promise<ArrayHeader> {
  const handle = await open(path, 'r').catch((cause: unknown) => {
    throw new DatasetError('NOT_FOUND', `'${path}' cannot be read (${reason(cause)}).`, { cause })
  })
  try {
    const lead = new Uint8Array(12)
    await handle.read(lead, 0, 12, 0)
    const view = new DataView(lead.buffer)
    const headerLength = lead[6] >= 2 ? 12 + view.getUint32(8, true) : 10 + view.getUint16(8, true)
    const bytes = new Uint8Array(headerLength)
    const { bytesRead } = await handle.read(bytes, 0, headerLength, 0)
    return parseNpyHeader(bytes.subarray(0, bytesRead), path)
  } finally {
    await handle.close()
  }
}

/** Checks a corruption file's dtype and shape: uint8 (5N, H, W, 3). */
export function stackedShape(file: string, { kind, shape }: ArrayHeader): StackedShape {
  const fix = `a CIFAR-10-C corruption file is uint8 of shape (5N, H, W, 3), the five severities stacked in order (CIFAR-10-C's are (50000, 32, 32, 3)): save it with numpy.save('${basename(file)}', images.astype(numpy.uint8))`
  if (kind !== 'u1' || shape.length !== 4 || shape[3] !== 3) {
    throw new DatasetError(
      'DATASET_MALFORMED',
      `'${basename(file)}' holds '${kind}' of shape ${shapeText(shape)}: ${fix}.`,
    )
  }
  if (shape[0] === 0 || shape[0] % 5 !== 0) {
    throw new DatasetError(
      'DATASET_MALFORMED',
      `'${basename(file)}' holds ${shape[0]} images, not a positive multiple of 5: ${fix}.`,
    )
  }
  return { perSeverity: shape[0] / 5, height: shape[1], width: shape[2] }
}

/** 'stacked': one label per stacked image (5N); 'once': one severity's N, the same for each. */
export function labelsLayout(
  labelsFile: string,
  { kind, shape }: ArrayHeader,
  imagesFile: string,
  perSeverity: number,
): 'stacked' | 'once' {
  const flat = shape.length === 1 || (shape.length === 2 && shape[1] === 1)
  if (!LABEL_KINDS.includes(kind) || !flat) {
    throw new DatasetError(
      'DATASET_MALFORMED',
      `'${basename(labelsFile)}' holds '${kind}' of shape ${shapeText(shape)}: save the labels as integers of shape (N,).`,
    )
  }
  if (shape[0] === 5 * perSeverity) return 'stacked'
  if (shape[0] === perSeverity) return 'once'
  throw new DatasetError(
    'DATASET_MALFORMED',
    `'${basename(labelsFile)}' holds ${shape[0]} labels but '${basename(imagesFile)}' holds ${5 * perSeverity} images (5 severities × ${perSeverity}): save ${5 * perSeverity} labels (one per stacked image) or ${perSeverity} (one severity's, the same for each).`,
  )
}

async function npyFiles(root: string): Promise<string[]> {
  const listed = await readdir(root, { withFileTypes: true })
  return listed
    .filter((entry) => entry.isFile() && entry.name.endsWith('.npy'))
    .map((entry) => entry.name)
    .sort(compareCodePoints)
}

function missingLabels(root: string): DatasetError {
  return new DatasetError(
    'NOT_FOUND',
    `'${join(root, CIFAR_C_LABELS)}' is missing: CIFAR-10-C keeps the labels of the stacked images in 'labels.npy' beside the corruption files; put it there.`,
  )
}

function assertSameShape(files: readonly { file: string; shape: StackedShape }[]): void {
  const [first, ...rest] = files
  for (const { file, shape } of rest) {
    const a = first.shape
    if (shape.perSeverity !== a.perSeverity || shape.height !== a.height || shape.width !== a.width)
      throw new DatasetError(
        'DATASET_MALFORMED',
        `'${basename(file)}' holds 5 × ${shape.perSeverity} images of ${shape.width}×${shape.height} but '${basename(first.file)}' holds 5 × ${a.perSeverity} of ${a.width}×${a.height}: every corruption file of a set holds the same images; remove the odd one.`,
      )
  }
}

/** The corruptions of a CIFAR-10-C folder, every file checked by its header (nothing else read). */
export async function listCifarC(root: string): Promise<Omit<PrecomputedSet, 'path' | 'layout'>> {
  const names = (await npyFiles(root)).map((file) => file.slice(0, -'.npy'.length))
  if (!names.includes('labels')) throw missingLabels(root)
  const corruptionNames = CORRUPTION_NAMES.filter((name) => names.includes(name))
  const unknown = names.filter((name) => name !== 'labels' && !isCorruptionName(name))
  if (corruptionNames.length === 0) {
    throw new DatasetError(
      'DATASET_EMPTY',
      `'${root}' holds 'labels.npy' but no corruption file named after the protocol ('fog.npy', 'gaussian_noise.npy', …): name each file after its corruption.`,
    )
  }
  const shapes = await Promise.all(
    corruptionNames.map(async (name) => {
      const file = join(root, `${name}.npy`)
      return { file, shape: stackedShape(file, await readNpyHeader(file)) }
    }),
  )
  assertSameShape(shapes)
  const labelsFile = join(root, CIFAR_C_LABELS)
  labelsLayout(
    labelsFile,
    await readNpyHeader(labelsFile),
    shapes[0].file,
    shapes[0].shape.perSeverity,
  )
  return {
    corruptions: corruptionNames.map((name) => ({ name, severities: [...SEVERITIES] })),
    unknown,
    imagesPerCell: shapes[0].shape.perSeverity,
    warnings: unknownWarning(root, unknown, '.npy files'),
  }
}

/** The labels of one severity's N images. */
export async function cifarCLabels(
  root: string,
  imagesFile: string,
  perSeverity: number,
  severity: number,
): Promise<{ labels: ArrayLike<number>; file: string; sha256: string }> {
  const labelsFile = join(root, CIFAR_C_LABELS)
  const stored = await readDatasetFile(labelsFile).catch((cause: unknown) => {
    if ((cause as DatasetError).code === 'NOT_FOUND') throw missingLabels(root)
    throw cause
  })
  const array = parseNpy(stored.bytes, labelsFile)
  const layout = labelsLayout(labelsFile, array, imagesFile, perSeverity)
  const start = layout === 'stacked' ? (severity - 1) * perSeverity : 0
  return {
    labels: array.data.subarray(start, start + perSeverity),
    file: labelsFile,
    sha256: stored.sha256,
  }
}

async function missingCorruption(root: string, name: string): Promise<DatasetError> {
  const present = (await npyFiles(root)).filter((file) => file !== CIFAR_C_LABELS)
  return new DatasetError(
    'NOT_FOUND',
    `'${join(root, `${name}.npy`)}' is missing: '${root}' holds ${present.map((f) => `'${f}'`).join(', ') || 'no corruption file'}; choose one of those corruptions.`,
  )
}

/** One (corruption, severity) slice of a CIFAR-10-C folder: N images with their labels. */
export async function readCifarCSlice(
  root: string,
  corruption: CorruptionName,
  severity: number,
): Promise<SourceSet> {
  const imagesFile = join(root, `${corruption}.npy`)
  const stored = await readDatasetFile(imagesFile).catch(async (cause: unknown) => {
    if ((cause as DatasetError).code === 'NOT_FOUND')
      throw await missingCorruption(root, corruption)
    throw cause
  })
  const array = parseNpy(stored.bytes, imagesFile)
  const { perSeverity, height, width } = stackedShape(imagesFile, array)
  const labels = await cifarCLabels(root, imagesFile, perSeverity, severity)
  const length = perSeverity * height * width * 3
  const first = (severity - 1) * perSeverity
  const part: ArrayPart = {
    imagesFile,
    labelsFile: labels.file,
    imagesSha256: stored.sha256,
    labelsSha256: labels.sha256,
    images: {
      data: (array.data as Uint8Array).subarray((severity - 1) * length, severity * length),
      count: perSeverity,
      height,
      width,
      channels: 3,
      layout: 'hwc',
    },
    labels: labels.labels,
  }
  const set = arraySourceSet('npy', root, null, [part], [])
  // Name an image by its row in the stacked file, as numpy indexes it.
  return { ...set, describe: (index) => `${imagesFile}#${first + index}` }
}
