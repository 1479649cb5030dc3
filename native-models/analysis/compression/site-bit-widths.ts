import type { CompressionSiteKind } from '../../../electron/api/contract/index.ts'
import { bnAllowedSquaredError, convAllowedSquaredError } from './allowed-error.ts'
import type { ActivationShape } from './allowed-error.ts'
import { channelBitWidths } from './bit-width.ts'
import type { ChannelBitWidths } from './bit-width.ts'
import { averageSiteStatistics } from './gradient-statistics.ts'
import type { SiteGradientStatistics } from './gradient-statistics.ts'

/** What the bit choice needs of one activation kept for the backward pass. */
export interface CompressionSiteInput {
  /** The activation's name in the graph. */
  site: string
  shape: ActivationShape
  /** Per-channel max |x| of the activation (length C). */
  maxAbs: readonly number[]
  /** One record per measured batch; their mean is used. */
  statisticsPerBatch: readonly SiteGradientStatistics[]
}

/** AC-GC's choice for one site: per-channel allowed error and widths (arrays of length C). */
export interface SiteBitWidths extends ChannelBitWidths {
  site: string
  kind: CompressionSiteKind
  /** dx²_c (the conv-input scalar repeated over the channels). */
  allowedSquaredError: number[]
}

/** AC-GC's per-channel bit widths of one site for error tolerance e (default 1, linear as in the code). */
export function siteBitWidths(input: CompressionSiteInput, errorTolerance = 1): SiteBitWidths {
  if (input.maxAbs.length !== input.shape.channels)
    throw new RangeError(
      `Site '${input.site}' has ${input.shape.channels} channels but ${input.maxAbs.length} max |x| values.`,
    )
  const statistics = averageSiteStatistics(input.statisticsPerBatch)
  const allowedSquaredError =
    statistics.kind === 'conv-input'
      ? new Array<number>(input.shape.channels).fill(
          convAllowedSquaredError(statistics, input.shape, errorTolerance),
        )
      : bnAllowedSquaredError(statistics, input.shape, input.maxAbs, errorTolerance)
  return {
    site: input.site,
    kind: statistics.kind,
    allowedSquaredError,
    ...channelBitWidths(allowedSquaredError, input.maxAbs),
  }
}
