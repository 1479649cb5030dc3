import { readRegularFile } from '../files/regular-file.ts'
import sharp from 'sharp'
import { DatasetError, reason } from './errors.ts'
import type { RawImage } from './types.ts'

function unreadable(path: string, what: string, cause?: unknown): DatasetError {
  return new DatasetError(
    'IMAGE_UNREADABLE',
    `'${path}' ${what}: replace the file or delete it from the dataset.`,
    cause === undefined ? undefined : { cause },
  )
}

function describeFailure(cause: unknown): string {
  const text = reason(cause)
  if (/premature end|truncated|read error|unexpected end/i.test(text)) {
    return `is truncated (${text})`
  }
  if (/unsupported image format/i.test(text)) return 'is not a JPEG or PNG image'
  return `cannot be decoded (${text})`
}

/**
 * Decodes a JPEG or PNG to HWC uint8 as PIL does (sharp's decode equals PIL's, F13): gray stays
 * 1 channel, colour is 3 channels, alpha is dropped (ImageFolder's `convert('RGB')`, no compositing).
 */
export async function decodeImageBytes(bytes: Uint8Array, path: string): Promise<RawImage> {
  if (bytes.length === 0) throw unreadable(path, 'is empty (0 bytes)')
  try {
    // failOn 'error' rejects truncated data (libjpeg would otherwise fill the rest with grey) and
    // corrupt data, and like PIL accepts libjpeg's warnings (extraneous bytes before a marker).
    const decoder = sharp(bytes, { failOn: 'error' })
    const { channels = 0, hasAlpha = false } = await decoder.metadata()
    decoder.removeAlpha()
    // sharp's raw output turns gray into sRGB unless told to keep one band.
    if (channels - (hasAlpha ? 1 : 0) === 1) decoder.toColourspace('b-w')
    const { data, info } = await decoder
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true })
    if (info.channels !== 1 && info.channels !== 3) {
      throw unreadable(path, `decodes to ${info.channels} channels, not gray or RGB`)
    }
    const pixels = new Uint8Array(data.buffer, data.byteOffset, data.length)
    return { data: pixels, width: info.width, height: info.height, channels: info.channels }
  } catch (cause) {
    if (cause instanceof DatasetError) throw cause
    throw unreadable(path, describeFailure(cause), cause)
  }
}

export async function decodeImageFile(path: string): Promise<RawImage> {
  let bytes: Uint8Array
  try {
    bytes = await readRegularFile(path)
  } catch (cause) {
    throw unreadable(path, `cannot be read (${reason(cause)})`, cause)
  }
  return decodeImageBytes(bytes, path)
}

/** Channels (alpha not counted) and [height, width, channels] from the header only. */
export async function probeImageFile(
  path: string,
): Promise<{ channels: number; itemShape: number[] }> {
  try {
    const image = sharp(await readRegularFile(path))
    const { channels = 0, hasAlpha = false, width = 0, height = 0 } = await image.metadata()
    const colour = channels - (hasAlpha ? 1 : 0)
    return { channels: colour, itemShape: [height, width, colour] }
  } catch (cause) {
    throw unreadable(path, describeFailure(cause), cause)
  }
}
