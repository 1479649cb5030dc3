export { buildFakeQuantGraph } from './fake-quant-graph.ts'
export type {
  FakeQuantGraph,
  FakeQuantOptions,
  FakeQuantSite,
  FakeQuantSiteOutputs,
} from './fake-quant-graph.ts'
export type { BitSource } from './levels.ts'
export { quantizedCopies } from './quantized-copies.ts'
export { findCompressionSites } from './sites.ts'
export type {
  BatchNormInputSite,
  CompressionSite,
  ConvInputSite,
  SiteBatchNorm,
  SiteConv,
} from './sites.ts'
