import type { Corruption, CorruptionCall } from '../corruption.ts'
import { clippedZoom } from '../filters/clipped-zoom.ts'
import type { RgbImage } from '../image.ts'
import { parameterFor } from '../size-table.ts'
import type { SeverityTable } from '../size-table.ts'

type Arange = readonly [start: number, stop: number, step: number]

// np.arange(start, stop, step) of make_cifar_c.py (32), make_tinyimagenet_c.py (64) and
// make_imagenet_c.py (224). The stop is often reached by rounding: arange(1, 1.06, 0.01) has 7
// zooms, 1.00 … 1.06.
const ZOOMS: SeverityTable<Arange> = {
  32: [
    [1, 1.06, 0.01],
    [1, 1.11, 0.01],
    [1, 1.16, 0.01],
    [1, 1.21, 0.01],
    [1, 1.26, 0.01],
  ],
  64: [
    [1, 1.06, 0.01],
    [1, 1.11, 0.01],
    [1, 1.16, 0.01],
    [1, 1.21, 0.01],
    [1, 1.26, 0.01],
  ],
  224: [
    [1, 1.11, 0.01],
    [1, 1.16, 0.01],
    [1, 1.21, 0.02],
    [1, 1.26, 0.02],
    [1, 1.31, 0.03],
  ],
}

/** np.arange for floats: ceil((stop − start) / step) values start + i·((start + step) − start). */
export function numpyArange([start, stop, step]: Arange): Float64Array {
  const length = Math.max(0, Math.ceil((stop - start) / step))
  const delta = start + step - start
  const values = new Float64Array(length)
  for (let i = 0; i < length; i++) values[i] = i === 0 ? start : start + i * delta
  return values
}

/**
 * (x + Σ_z clipped_zoom(x, z)) / (zooms + 1), all in float32 as the reference (which casts x to
 * float32 first), then × 255 in float32 and truncated.
 */
export const zoomBlur: Corruption = {
  name: 'zoom_blur',
  family: 'blur',
  isBenchmark: true,
  addsColour: false,
  deviation: null,
  apply(image: RgbImage, { severity, table }: CorruptionCall): Promise<RgbImage> {
    const zooms = numpyArange(parameterFor(ZOOMS, table, severity))
    const { width, height, data } = image
    const x = new Float32Array(data.length)
    for (let i = 0; i < x.length; i++) x[i] = data[i] / 255
    const planes = { width, height, channels: 3, data: x }
    const sum = new Float32Array(x.length)
    const zoomed = new Float32Array(x.length)
    for (const zoom of zooms) {
      clippedZoom(planes, zoom, zoomed)
      for (let i = 0; i < sum.length; i++) sum[i] += zoomed[i]
    }
    const out = new Uint8Array(x.length)
    for (let i = 0; i < out.length; i++) {
      const v = Math.fround(Math.fround(x[i] + sum[i]) / (zooms.length + 1))
      out[i] = Math.trunc(Math.fround((v < 0 ? 0 : v > 1 ? 1 : v) * 255))
    }
    return Promise.resolve({ width, height, data: out })
  },
}
