import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CorruptedSlice, DatasetRequest } from '../../../electron/api/contract/index.ts'
import {
  datasetFilesFolder,
  datasetStatSignature,
} from '../../../electron/api/dataset-signature.ts'
import { openDataset } from '../../../native-models/data/open-dataset.ts'
import { checkSlicesAgainstClean } from '../../../native-models/data/precomputed-check.ts'
import {
  listPrecomputedSet,
  readCorruptedSlice,
} from '../../../native-models/data/precomputed-set.ts'
import {
  asBytes,
  datasetRequest,
  expectCodedError,
  imageFolder,
  npyBytes,
  solidPng,
  tempFolder,
  writeTree,
} from '../../fixtures/data/builders.ts'

let root = ''
beforeAll(async () => {
  root = await tempFolder('precomputed')
})
afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('nothing was thrown')
    },
    (error: unknown) => error,
  )
}

const slice = (
  layout: CorruptedSlice['layout'],
  corruption: CorruptedSlice['corruption'],
  severity: CorruptedSlice['severity'],
): CorruptedSlice => ({ layout, corruption, severity })

const sliceRequest = (path: string, corrupted: CorruptedSlice): DatasetRequest => ({
  ...datasetRequest(path),
  corrupted,
})

/** `<corruption>/<severity>/<class>/imgI.png`, solid 4×3 PNGs of value 50·s + 10·c + i. */
async function imageNetC(
  folder: string,
  corruptions: string[],
  classes: Record<string, number>,
  severities = [1, 2, 3, 4, 5],
): Promise<string> {
  const layout: Record<string, Uint8Array> = {}
  for (const corruption of corruptions)
    for (const s of severities)
      for (const [c, [name, count]] of Object.entries(classes).entries())
        for (let i = 0; i < count; i += 1)
          layout[`${corruption}/${s}/${name}/img${i}.png`] = await solidPng(
            4,
            3,
            50 * s + 10 * c + i,
          )
  return writeTree(folder, layout)
}

describe('an ImageNet-C folder', () => {
  let clean = ''
  let set = ''
  beforeAll(async () => {
    clean = await imageFolder(join(root, 'in-clean'), { cat: 2, dog: 3 })
    set = await imageNetC(join(root, 'in-c'), ['fog', 'gaussian_noise'], { cat: 2, dog: 3 })
    await writeTree(set, { 'my_noise/1/cat/a.png': await solidPng(4, 3, 1) })
  })

  it('is recognised, its corruptions listed in the protocol order, unknown names left out', async () => {
    const listing = await listPrecomputedSet(set, 'auto')
    expect(listing.layout).toBe('imagenet-c')
    expect(listing.corruptions).toEqual([
      { name: 'gaussian_noise', severities: [1, 2, 3, 4, 5] },
      { name: 'fog', severities: [1, 2, 3, 4, 5] },
    ])
    expect(listing.unknown).toEqual(['my_noise'])
    expect(listing.warnings[0]).toContain("'my_noise'")
    expect(listing.warnings[0]).toContain('left out')
  })

  it('opens one cell as an ImageFolder with the clean set’s classes and order', async () => {
    const dataset = await openDataset(sliceRequest(set, slice('imagenet-c', 'fog', 3)))
    expect(dataset.info).toMatchObject({
      format: 'imagefolder',
      name: 'in-c (fog 3)',
      numImages: 5,
      classes: ['cat', 'dog'],
    })
    expect([...dataset.labels]).toEqual([0, 0, 1, 1, 1])
    expect(dataset.describe(2)).toBe(join(set, 'fog', '3', 'dog', 'img0.png'))
    const other = await openDataset(sliceRequest(set, slice('imagenet-c', 'fog', 4)))
    expect(other.info.fingerprint).not.toBe(dataset.info.fingerprint)
    expect(
      await checkSlicesAgainstClean(datasetRequest(clean), set, [slice('imagenet-c', 'fog', 3)]),
    ).toBeNull()
  })

  it('has its cell’s own image files in the request identity, so an edited cell is recomputed', async () => {
    const request = sliceRequest(set, slice('imagenet-c', 'fog', 3))
    const signature = () => datasetStatSignature(datasetFilesFolder(request))
    const before = await signature()
    expect(before).toContain(join(set, 'fog', '3', 'dog', 'img2.png'))
    await writeTree(set, { 'fog/3/dog/img2.png': await solidPng(5, 3, 1) })
    expect(await signature()).not.toBe(before)
  })

  it('names a missing severity folder and the fix', async () => {
    const partial = await imageNetC(
      join(root, 'in-partial'),
      ['contrast'],
      { cat: 1 },
      [1, 2, 3, 5],
    )
    const listing = await listPrecomputedSet(partial, 'imagenet-c')
    expect(listing.corruptions).toEqual([{ name: 'contrast', severities: [1, 2, 3, 5] }])
    expect(listing.warnings).toEqual([expect.stringContaining('lacks severity folder(s) 4')])
    const error = await rejection(readCorruptedSlice(partial, slice('imagenet-c', 'contrast', 4)))
    expectCodedError(
      error,
      'NOT_FOUND',
      `The severity folder '${join(partial, 'contrast', '4')}' is missing`,
    )
    expectCodedError(error, 'NOT_FOUND', 'leave severity 4 out')
  })

  it('lists the corruptions it holds when asked for one it lacks', async () => {
    const error = await rejection(readCorruptedSlice(set, slice('imagenet-c', 'snow', 1)))
    expectCodedError(error, 'NOT_FOUND', "holds 'gaussian_noise', 'fog'")
  })

  it('refuses class folders that differ from the clean set’s, naming them', async () => {
    const odd = await imageNetC(join(root, 'in-odd'), ['fog'], { cat: 2, cow: 3 })
    const error = await rejection(
      checkSlicesAgainstClean(datasetRequest(clean), odd, [slice('imagenet-c', 'fog', 2)]),
    )
    expectCodedError(
      error,
      'INVALID_ARGUMENT',
      "it has 'cow', which the clean set lacks; it lacks 'dog'",
    )
  })

  it('refuses a cell whose images are not the clean set’s, position by position', async () => {
    const shifted = await imageNetC(join(root, 'in-shifted'), ['fog'], { cat: 3, dog: 2 })
    const error = await rejection(
      checkSlicesAgainstClean(datasetRequest(clean), shifted, [slice('imagenet-c', 'fog', 1)]),
    )
    expectCodedError(
      error,
      'INVALID_ARGUMENT',
      "img2.png' is labeled 'cat' but image 2 of the clean set",
    )
  })

  it('says how to fix a root that keeps the release’s family folders', async () => {
    const nested = await imageNetC(
      join(root, 'in-nested', 'noise'),
      ['shot_noise'],
      { cat: 1 },
      [1],
    )
    const error = await rejection(listPrecomputedSet(join(nested, '..'), 'auto'))
    expectCodedError(error, 'DATASET_MALFORMED', 'one level down')
  })
})

const N = 4
/** (5N, 2, 2, 3) uint8: every byte of row r is r + offset, so a row shows where it was sliced from. */
function stacked(offset: number, rows = 5 * N): Uint8Array {
  return npyBytes(
    '|u1',
    [rows, 2, 2, 3],
    Uint8Array.from({ length: rows * 12 }, (_, i) => Math.floor(i / 12) + offset),
  )
}
const labels = (values: number[]): Uint8Array =>
  npyBytes('<i8', [values.length], asBytes(BigInt64Array.from(values.map(BigInt))))
const CLEAN_LABELS = [0, 1, 1, 0]

describe('a CIFAR-10-C folder', () => {
  let clean = ''
  let set = ''
  beforeAll(async () => {
    clean = await writeTree(join(root, 'cifar-clean'), {
      'images.npy': npyBytes('|u1', [N, 2, 2, 3], new Uint8Array(N * 12)),
      'labels.npy': labels(CLEAN_LABELS),
    })
    set = await writeTree(join(root, 'cifar-c'), {
      'fog.npy': stacked(0),
      'snow.npy': stacked(100),
      'my_blur.npy': stacked(0),
      'labels.npy': labels([0, 1, 2, 3, 4].flatMap(() => CLEAN_LABELS)),
    })
  })

  it('is recognised by its arrays and lists its corruptions with N images per cell', async () => {
    const listing = await listPrecomputedSet(set, 'auto')
    expect(listing).toMatchObject({
      layout: 'cifar-10-c',
      imagesPerCell: N,
      unknown: ['my_blur'],
      corruptions: [
        { name: 'snow', severities: [1, 2, 3, 4, 5] },
        { name: 'fog', severities: [1, 2, 3, 4, 5] },
      ],
    })
  })

  it('takes severity s from rows (s − 1)·N … s·N − 1 with their labels', async () => {
    const dataset = await openDataset(sliceRequest(set, slice('cifar-10-c', 'snow', 3)))
    expect(dataset.size).toBe(N)
    expect([...dataset.labels]).toEqual(CLEAN_LABELS)
    const rows = Array.from({ length: N }, (_, i) => {
      const source = dataset.source(i)
      return source.kind === 'pixels' ? [...new Set(source.image.data)] : null
    })
    expect(rows).toEqual([[108], [109], [110], [111]])
    expect(dataset.describe(1)).toBe(`${join(set, 'snow.npy')}#9`)
    expect(
      await checkSlicesAgainstClean(datasetRequest(clean), set, [slice('cifar-10-c', 'snow', 3)]),
    ).toBeNull()
  })

  it('accepts labels.npy with one severity’s N labels', async () => {
    const once = await writeTree(join(root, 'cifar-once'), {
      'fog.npy': stacked(0),
      'labels.npy': labels(CLEAN_LABELS),
    })
    const dataset = await openDataset(sliceRequest(once, slice('cifar-10-c', 'fog', 5)))
    expect([...dataset.labels]).toEqual(CLEAN_LABELS)
  })

  it.each([
    [
      'a float array',
      npyBytes('<f4', [5 * N, 2, 2, 3], new Uint8Array(5 * N * 48)),
      "holds 'f4' of shape (20, 2, 2, 3)",
    ],
    [
      'gray images',
      npyBytes('|u1', [5 * N, 2, 2], new Uint8Array(5 * N * 4)),
      "holds 'u1' of shape (20, 2, 2)",
    ],
    [
      'a count not a multiple of 5',
      stacked(0, 19),
      'holds 19 images, not a positive multiple of 5',
    ],
  ])(
    'refuses %s as a corruption file, naming the file and the layout',
    async (_, bytes, phrase) => {
      const bad = await writeTree(join(root, `cifar-bad-${phrase.length}`), {
        'fog.npy': bytes,
        'labels.npy': labels(CLEAN_LABELS),
      })
      const error = await rejection(listPrecomputedSet(bad, 'cifar-10-c'))
      expectCodedError(error, 'DATASET_MALFORMED', `'fog.npy' ${phrase}`)
      expectCodedError(error, 'DATASET_MALFORMED', 'uint8 of shape (5N, H, W, 3)')
      await expect(openDataset(sliceRequest(bad, slice('cifar-10-c', 'fog', 1)))).rejects.toThrow(
        phrase,
      )
    },
  )

  it('refuses labels that fit neither 5N nor N images', async () => {
    const bad = await writeTree(join(root, 'cifar-labels'), {
      'fog.npy': stacked(0),
      'labels.npy': labels([0, 1, 0, 1, 0, 1, 0]),
    })
    const error = await rejection(openDataset(sliceRequest(bad, slice('cifar-10-c', 'fog', 2))))
    expectCodedError(
      error,
      'DATASET_MALFORMED',
      "'labels.npy' holds 7 labels but 'fog.npy' holds 20 images (5 severities × 4)",
    )
  })

  it('names a missing labels.npy and where it belongs', async () => {
    const bad = await writeTree(join(root, 'cifar-nolabels'), { 'fog.npy': stacked(0) })
    const error = await rejection(listPrecomputedSet(bad, 'auto'))
    expectCodedError(error, 'NOT_FOUND', `'${join(bad, 'labels.npy')}' is missing`)
  })

  it('refuses a clean set of another size or other labels', async () => {
    const bigger = await writeTree(join(root, 'cifar-clean-5'), {
      'images.npy': npyBytes('|u1', [5, 2, 2, 3], new Uint8Array(60)),
      'labels.npy': labels([0, 1, 1, 0, 1]),
    })
    const cells = [slice('cifar-10-c', 'fog', 1)]
    expectCodedError(
      await rejection(checkSlicesAgainstClean(datasetRequest(bigger), set, cells)),
      'INVALID_ARGUMENT',
      'holds 4 images but the clean set',
    )
    const swapped = await writeTree(join(root, 'cifar-clean-swapped'), {
      'images.npy': npyBytes('|u1', [N, 2, 2, 3], new Uint8Array(N * 12)),
      'labels.npy': labels([1, 0, 1, 0]),
    })
    expectCodedError(
      await rejection(checkSlicesAgainstClean(datasetRequest(swapped), set, cells)),
      'INVALID_ARGUMENT',
      `'${join(set, 'labels.npy')}#0' is labeled '0' but image 0 of the clean set`,
    )
  })

  it('gives the clean set’s class names to cells whose labels are numbers', async () => {
    const named = await writeTree(join(root, 'cifar-clean-named'), {
      'a/0.png': await solidPng(2, 2, 0),
      'b/0.png': await solidPng(2, 2, 0),
      'b/1.png': await solidPng(2, 2, 0),
      'c/0.png': await solidPng(2, 2, 0),
    })
    const set3 = await writeTree(join(root, 'cifar-c-3'), {
      'fog.npy': stacked(0),
      'labels.npy': labels([0, 1, 1, 2]),
    })
    expect(
      await checkSlicesAgainstClean(datasetRequest(named), set3, [slice('cifar-10-c', 'fog', 2)]),
    ).toEqual(['a', 'b', 'c'])
  })
})
