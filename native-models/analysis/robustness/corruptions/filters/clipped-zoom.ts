/**
 * ImageNet-C's clipped_zoom: the central 1/zoom of an image, scaled back up by
 * scipy.ndimage.zoom(order=1) (SciPy ≥ 1.6: corners map to corners, mode 'constant'), then
 * centre-cropped to the original size.
 */

/** Interleaved samples, height × width × channels (float32 or float64, as the caller computes). */
export interface Planes<T extends Float32Array | Float64Array> {
  width: number
  height: number
  channels: number
  data: T
}

/** Where each output row (or column) of a linear zoom reads along one axis. */
interface AxisTaps {
  first: Int32Array
  second: Int32Array
  firstWeight: Float64Array
  secondWeight: Float64Array
  /** Past the last input sample by rounding: SciPy's 'constant' mode then outputs 0. */
  isOutside: Uint8Array
}

/** Python's round(): halves go to the even neighbour. */
function roundHalfEven(value: number): number {
  const floor = Math.floor(value)
  const fraction = value - floor
  if (fraction !== 0.5) return Math.round(value)
  return floor % 2 === 0 ? floor : floor + 1
}

function mirrorIndex(index: number, length: number): number {
  if (length <= 1) return 0
  const period = 2 * length - 2
  const folded = index - period * Math.floor(index / period)
  return folded >= length ? period - folded : folded
}

/** NI_ZoomShift's per-axis table for order 1, for outputs [from, from + count) of `outLength`. */
function axisTaps(inLength: number, outLength: number, from: number, count: number): AxisTaps {
  const zoom = outLength > 1 ? (inLength - 1) / (outLength - 1) : 1
  const taps: AxisTaps = {
    first: new Int32Array(count),
    second: new Int32Array(count),
    firstWeight: new Float64Array(count),
    secondWeight: new Float64Array(count),
    isOutside: new Uint8Array(count),
  }
  for (let k = 0; k < count; k++) {
    const position = (from + k) * zoom
    if (position > inLength - 1) {
      taps.isOutside[k] = 1
      continue
    }
    const start = Math.floor(position)
    taps.first[k] = start
    taps.second[k] = start + 1 < inLength ? start + 1 : mirrorIndex(start + 1, inLength)
    taps.firstWeight[k] = 1 - (position - start)
    taps.secondWeight[k] = 1 - taps.firstWeight[k]
  }
  return taps
}

/**
 * clipped_zoom(image, zoom) written into `out` (same size and type as `image`). Each axis is
 * cropped and trimmed on its own; for a square image this is the reference's computation, which
 * uses the height for both axes.
 */
export function clippedZoom<T extends Float32Array | Float64Array>(
  image: Planes<T>,
  zoom: number,
  out: T,
): void {
  const { width, height, channels, data } = image
  const cropHeight = Math.ceil(height / zoom)
  const cropWidth = Math.ceil(width / zoom)
  const top = Math.floor((height - cropHeight) / 2)
  const left = Math.floor((width - cropWidth) / 2)
  const zoomedHeight = roundHalfEven(cropHeight * zoom)
  const zoomedWidth = roundHalfEven(cropWidth * zoom)
  const rows = axisTaps(cropHeight, zoomedHeight, Math.floor((zoomedHeight - height) / 2), height)
  const cols = axisTaps(cropWidth, zoomedWidth, Math.floor((zoomedWidth - width) / 2), width)
  const rowStride = width * channels
  for (let y = 0; y < height; y++) {
    const row0 = (top + rows.first[y]) * rowStride
    const row1 = (top + rows.second[y]) * rowStride
    const wy0 = rows.firstWeight[y]
    const wy1 = rows.secondWeight[y]
    for (let x = 0; x < width; x++) {
      const target = (y * width + x) * channels
      if (rows.isOutside[y] || cols.isOutside[x]) {
        for (let c = 0; c < channels; c++) out[target + c] = 0
        continue
      }
      const col0 = (left + cols.first[x]) * channels
      const col1 = (left + cols.second[x]) * channels
      const wx0 = cols.firstWeight[x]
      const wx1 = cols.secondWeight[x]
      for (let c = 0; c < channels; c++) {
        // The order of NI_ZoomShift's sum (last axis fastest), so rounding matches.
        let t = data[row0 + col0 + c] * wy0 * wx0
        t += data[row0 + col1 + c] * wy0 * wx1
        t += data[row1 + col0 + c] * wy1 * wx0
        t += data[row1 + col1 + c] * wy1 * wx1
        out[target + c] = t
      }
    }
  }
}
