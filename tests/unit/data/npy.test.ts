import { describe, expect, it } from 'vitest'
import { parseNpy } from '../../../native-models/data/npy.ts'
import { asBytes, npyBytes } from '../../fixtures/data/builders.ts'

describe('parseNpy', () => {
  it('reads uint8 images with their shape', () => {
    const parsed = parseNpy(
      npyBytes(
        '|u1',
        [2, 2, 3],
        Uint8Array.from({ length: 12 }, (_, i) => i),
      ),
      'images.npy',
    )
    expect(parsed).toMatchObject({ kind: 'u1', shape: [2, 2, 3] })
    expect([...parsed.data]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])
  })

  it('reads little-endian float32 and big-endian int64', () => {
    const floats = parseNpy(npyBytes('<f4', [2], asBytes(Float32Array.from([0.5, -2]))), 'f.npy')
    expect([...floats.data]).toEqual([0.5, -2])
    const big = new Uint8Array(16)
    new DataView(big.buffer).setBigInt64(0, 7n, false)
    new DataView(big.buffer).setBigInt64(8, 300n, false)
    expect([...parseNpy(npyBytes('>i8', [2], big), 'l.npy').data]).toEqual([7, 300])
  })

  it('refuses an unsupported dtype, naming it', () => {
    expect(() => parseNpy(npyBytes('<c8', [1], new Uint8Array(8)), 'images.npy')).toThrow(
      "'images.npy' holds 'c8' values: save images as uint8 or float32",
    )
  })

  it('refuses Fortran order with the fix', () => {
    expect(() => parseNpy(npyBytes('|u1', [2, 2], new Uint8Array(4), true), 'images.npy')).toThrow(
      'numpy.ascontiguousarray',
    )
  })

  it('refuses data shorter than the shape claims', () => {
    expect(() => parseNpy(npyBytes('<f4', [3, 2], new Uint8Array(20)), 'images.npy')).toThrow(
      'claims shape (3, 2) = 24 bytes',
    )
  })

  it('refuses a file without the NPY magic', () => {
    expect(() => parseNpy(new TextEncoder().encode('not numpy at all'), 'images.npy')).toThrow(
      'is not an NPY file',
    )
  })
})
