export {
  BN_ALLOWED_ERROR_FLOOR,
  CONV_NORM_FLOOR,
  bnAllowedSquaredError,
  convAllowedSquaredError,
} from './allowed-error.ts'
export type { ActivationShape } from './allowed-error.ts'
export { compressionAccounting } from './bit-accounting.ts'
export type { BitSummary, CompressionAccounting, SiteBatchBits } from './bit-accounting.ts'
export {
  MAX_FRACTIONAL_BITS,
  MIN_FRACTIONAL_BITS,
  SCALE_EPSILON,
  channelBitWidths,
  channelScale,
} from './bit-width.ts'
export type { ChannelBitWidths } from './bit-width.ts'
export { siteTrends } from './checkpoint-trend.ts'
export type {
  CheckpointSiteStatistics,
  SiteChannelStatistics,
  SiteTrend,
  SiteTrendPoint,
} from './checkpoint-trend.ts'
export { outputDivergenceSummary } from './divergence-summary.ts'
export type { OutputDivergenceSummary } from './divergence-summary.ts'
export { averageSiteStatistics } from './gradient-statistics.ts'
export type {
  BnInputStatistics,
  ConvInputStatistics,
  ConvSuccessorStatistics,
  SiteGradientStatistics,
} from './gradient-statistics.ts'
export { checkMonotonicity } from './monotonicity.ts'
export type { MonotonicityCheck, MonotonicityViolation, SweepPoint } from './monotonicity.ts'
export { perImageDivergence } from './per-image-divergence.ts'
export type { PerImageDivergence } from './per-image-divergence.ts'
export { siteBitWidths } from './site-bit-widths.ts'
export type { CompressionSiteInput, SiteBitWidths } from './site-bit-widths.ts'
