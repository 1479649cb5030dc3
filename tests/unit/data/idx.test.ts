import { describe, expect, it } from 'vitest'
import { DatasetError } from '../../../native-models/data/errors.ts'
import { assertImagesAndLabels, parseIdx } from '../../../native-models/data/idx.ts'
import { idxBytes } from '../../fixtures/data/builders.ts'

function parseError(bytes: Uint8Array, file = 'train-images-idx3-ubyte'): DatasetError {
  try {
    parseIdx(bytes, `/data/${file}`)
  } catch (error) {
    if (error instanceof DatasetError) return error
    throw error
  }
  throw new Error('parseIdx accepted the bytes')
}

describe('parseIdx', () => {
  it('reads the dims and a view of the data of an unsigned-byte file', () => {
    const parsed = parseIdx(idxBytes([2, 3, 2], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]), 'x')
    expect(parsed.dims).toEqual([2, 3, 2])
    expect([...parsed.data]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
  })

  it('names the file, the claimed and the actual data size when the header claims more than the file holds', () => {
    const truncated = idxBytes([10, 28, 28]).subarray(0, 16 + 5000)
    const error = parseError(truncated)
    expect(error.code).toBe('DATASET_MALFORMED')
    expect(error.message).toContain(
      "'train-images-idx3-ubyte' claims 10 × 28 × 28 = 7840 bytes of data but holds 5000",
    )
    expect(error.message).toMatch(/download or export it again\.$/)
  })

  it('refuses a file longer than its header claims', () => {
    const bytes = new Uint8Array([...idxBytes([2, 2, 2]), 0, 0, 0])
    expect(parseError(bytes).message).toContain('claims 2 × 2 × 2 = 8 bytes of data but holds 11')
  })

  it('refuses a wrong magic with the magic in hex', () => {
    const bytes = idxBytes([1, 1, 1])
    bytes[0] = 0x1f
    const error = parseError(bytes)
    expect(error.code).toBe('DATASET_MALFORMED')
    expect(error.message).toContain('is not an IDX file (magic 0x1f000803')
  })

  it('refuses IDX files of other element types, naming the type', () => {
    const error = parseError(idxBytes([1, 2, 2], null, 0x0d))
    expect(error.message).toContain('holds float32 values: only unsigned-byte IDX files')
  })

  it('refuses a file too short for its own header', () => {
    expect(parseError(new Uint8Array([0, 0, 8, 3, 0])).message).toContain(
      'its header needs 16 for 3 dimensions',
    )
  })
})

describe('assertImagesAndLabels', () => {
  const images = parseIdx(idxBytes([3, 2, 2]), 'images')

  it('refuses a labels count that differs from the images count, naming both files', () => {
    const labels = parseIdx(idxBytes([4]), 'labels')
    expect(() =>
      assertImagesAndLabels(
        images,
        labels,
        '/d/t10k-images-idx3-ubyte',
        '/d/t10k-labels-idx1-ubyte',
      ),
    ).toThrow("'t10k-labels-idx1-ubyte' holds 4 labels but 't10k-images-idx3-ubyte' holds 3 images")
  })

  it('refuses an images file that is not [count, rows, columns]', () => {
    const flat = parseIdx(idxBytes([3, 4]), 'images')
    const labels = parseIdx(idxBytes([3]), 'labels')
    expect(() => assertImagesAndLabels(flat, labels, 'a-images', 'a-labels')).toThrow(
      'not [count, rows, columns]',
    )
  })
})
