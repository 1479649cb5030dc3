import type {
  CompressionSite,
  SiteActivationStatistics,
} from '../../../../electron/api/contract/index.ts'
import type { SiteBatchRecord } from './quantized-pass.ts'

/**
 * Per site over every batch of the unquantized pass: per-channel max |x|, the fraction of exact
 * zeros (what zero-value compression saves) and whether any batch held a negative value.
 */
export function siteStatistics(
  sites: readonly CompressionSite[],
  batches: readonly SiteBatchRecord[][],
): SiteActivationStatistics[] {
  return sites.map((site, index) => {
    const maxAbs = new Float64Array(site.channels)
    const zeros = new Float64Array(site.channels)
    let images = 0
    let signed = false
    for (const batch of batches) {
      const record = batch[index]
      if (record?.siteId !== site.id)
        throw new RangeError(`Batch records are not in the order of the sites (${site.id}).`)
      images += record.images
      signed ||= record.signed
      for (let c = 0; c < site.channels; c++) {
        maxAbs[c] = Math.max(maxAbs[c], record.maxAbs[c])
        zeros[c] += record.zeroCount[c]
      }
    }
    const valuesPerChannel = images * (site.valuesPerImage / site.channels)
    return {
      siteId: site.id,
      maxAbs: Array.from(maxAbs),
      zeroFraction: Array.from(zeros, (count) => count / valuesPerChannel),
      signed,
    }
  })
}
