/** Per-channel statistics of one site at one checkpoint (arrays of length C). */
export interface SiteChannelStatistics {
  site: string
  /** max |x| per channel over the measured images. */
  maxAbs: readonly number[]
  /** Elements equal to zero per channel. */
  zeroCount: readonly number[]
  /** Elements per channel that were counted (N·H·W). */
  elementsPerChannel: number
}

/** One checkpoint's statistics of every site. */
export interface CheckpointSiteStatistics {
  checkpoint: string
  sites: readonly SiteChannelStatistics[]
}

/** A site's channel means at one checkpoint and their change since the previous checkpoint. */
export interface SiteTrendPoint {
  checkpoint: string
  /** Mean over channels of max |x_c|. */
  meanMaxAbs: number
  /** Mean over channels of zeroCount_c / elementsPerChannel. */
  zeroFraction: number
  /** Change since the previous checkpoint; null at the first. */
  meanMaxAbsChange: number | null
  zeroFractionChange: number | null
}

export interface SiteTrend {
  site: string
  points: SiteTrendPoint[]
}

/**
 * For each site (in the first checkpoint's order), the channel means of max |x| and of the zero
 * fraction at every checkpoint, and the change between consecutive checkpoints.
 */
export function siteTrends(checkpoints: readonly CheckpointSiteStatistics[]): SiteTrend[] {
  const first = checkpoints[0]
  if (first === undefined) throw new RangeError('Site trends need at least one checkpoint.')
  return first.sites.map(({ site }) => {
    const points: SiteTrendPoint[] = []
    for (const checkpoint of checkpoints) {
      const statistics = checkpoint.sites.find((candidate) => candidate.site === site)
      if (statistics === undefined)
        throw new RangeError(
          `Checkpoint '${checkpoint.checkpoint}' has no statistics for site '${site}'.`,
        )
      const { meanMaxAbs, zeroFraction } = channelMeans(statistics)
      const previous = points.at(-1)
      points.push({
        checkpoint: checkpoint.checkpoint,
        meanMaxAbs,
        zeroFraction,
        meanMaxAbsChange: previous === undefined ? null : meanMaxAbs - previous.meanMaxAbs,
        zeroFractionChange: previous === undefined ? null : zeroFraction - previous.zeroFraction,
      })
    }
    return { site, points }
  })
}

function channelMeans(statistics: SiteChannelStatistics): {
  meanMaxAbs: number
  zeroFraction: number
} {
  const channels = statistics.maxAbs.length
  if (channels === 0 || statistics.zeroCount.length !== channels)
    throw new RangeError(
      `Site '${statistics.site}' has ${channels} max |x| values and ${statistics.zeroCount.length} zero counts: give one of each per channel.`,
    )
  const n = statistics.elementsPerChannel
  if (!Number.isInteger(n) || n < 1)
    throw new RangeError(
      `Site '${statistics.site}' has elementsPerChannel ${n}; expected a positive integer.`,
    )
  let maxAbsSum = 0
  let zeroFractionSum = 0
  for (let c = 0; c < channels; c += 1) {
    maxAbsSum += statistics.maxAbs[c]
    zeroFractionSum += statistics.zeroCount[c] / n
  }
  return { meanMaxAbs: maxAbsSum / channels, zeroFraction: zeroFractionSum / channels }
}
