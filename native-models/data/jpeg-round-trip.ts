import sharp from 'sharp'
import type { JpegRoundTrip, RgbImage } from '../analysis/robustness/corruptions/index.ts'

/**
 * Encodes an RGB image as a baseline JPEG at `quality` and decodes it again, as PIL's
 * `save(format='JPEG', quality=q)` does: libjpeg's standard quantisation tables scaled by quality,
 * 4:2:0 chroma subsampling, no optimisation that changes the decoded pixels.
 */
export const jpegRoundTrip: JpegRoundTrip = async (image: RgbImage, quality: number) => {
  const raw = { width: image.width, height: image.height, channels: 3 as const }
  const encoded = await sharp(image.data, { raw })
    .jpeg({ quality, chromaSubsampling: '4:2:0', mozjpeg: false, trellisQuantisation: false })
    .toBuffer()
  const { data, info } = await sharp(encoded)
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true })
  if (info.width !== image.width || info.height !== image.height || info.channels !== 3) {
    throw new Error(
      `JPEG round trip changed the image to ${info.width}×${info.height}×${info.channels}.`,
    )
  }
  return { width: info.width, height: info.height, data: new Uint8Array(data) }
}
