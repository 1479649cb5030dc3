import type { ModelAnalysis } from '../../onnx/model-analysis.ts'
import { DataType } from '../../onnx/proto.ts'
import type { ModelProto } from '../../onnx/proto.ts'
import { GraphBuilder } from '../graph-builder.ts'
import { tensorTypeProto } from '../value-types.ts'
import { QuantizerConstants } from './constants.ts'
import type { BitSource } from './levels.ts'
import { emitGatedQuantizer } from './gated-quantizer.ts'
import type { QuantizerTensors } from './quantizer.ts'
import { siteShape } from './sites.ts'
import type { CompressionSite } from './sites.ts'

export interface FakeQuantOptions {
  sites: readonly CompressionSite[]
  bitSource: BitSource
}

/** Graph output names of one site's accounting vectors (see QuantizerTensors). */
export type FakeQuantSiteOutputs = Omit<QuantizerTensors, 'quantized'>

export interface FakeQuantSite {
  site: CompressionSite
  /**
   * float32 [C] graph input: L = 2^b per channel ('levels') or the allowed squared error dx²
   * ('error-bound'); 0 leaves the channel exact.
   */
  input: string
  outputs: FakeQuantSiteOutputs
}

export interface FakeQuantGraph {
  model: ModelProto
  /** `model` encoded from the bytes the analysed model was decoded from, weights copied as they are. */
  encodeSplicedInto(original: Uint8Array): Uint8Array
  imageInput: string
  logitsOutput: string
  sites: FakeQuantSite[]
}

/**
 * The model with AC-GC's fake quantizer at each site: the site's convolutions (or BatchNorm) read
 * x̂ while residual Adds keep reading x. One graph serves every width and every choice of sites
 * switched off, since L (or dx²) is fed per run.
 * @example
 * const graph = buildFakeQuantGraph(analysis, { sites: findCompressionSites(analysis), bitSource: 'levels' })
 * const bytes = graph.encodeSplicedInto(analysis.loaded.bytes)
 */
export function buildFakeQuantGraph(
  analysis: ModelAnalysis,
  options: FakeQuantOptions,
): FakeQuantGraph {
  const builder = new GraphBuilder(analysis.loaded.model)
  const constants = new QuantizerConstants(builder)
  const sites = options.sites.map((site) =>
    addSite(analysis, builder, constants, site, options.bitSource),
  )
  return {
    model: builder.toModel(),
    encodeSplicedInto: (original) => builder.encodeSplicedInto(original),
    imageInput: analysis.image.name ?? '',
    logitsOutput: builder.addOutput(analysis.structure.head.output),
    sites,
  }
}

function addSite(
  analysis: ModelAnalysis,
  builder: GraphBuilder,
  constants: QuantizerConstants,
  site: CompressionSite,
  source: BitSource,
): FakeQuantSite {
  siteShape(analysis, site.tensor) // refuses anything but [N, C, H, W], naming the tensor
  const suffix = source === 'levels' ? 'levels' : 'squared_error_bound'
  const input = builder.addInput(
    `fake_quant/${site.id}/${suffix}`,
    tensorTypeProto(DataType.FLOAT, [site.channels]),
  )
  const tensors = builder.insertingAfter(site.tensor, () =>
    emitGatedQuantizer(builder, constants, {
      tensor: site.tensor,
      source,
      input,
      channels: site.channels,
    }),
  )
  const readers = site.kind === 'conv-input' ? site.convs : [site.batchNorm]
  for (const reader of readers) builder.replaceInput(reader.output, site.tensor, tensors.quantized)
  const perChannel = { elemType: DataType.FLOAT, shape: [site.channels] }
  return {
    site,
    input,
    outputs: {
      maxAbs: builder.addOutput(tensors.maxAbs, perChannel),
      zeroCount: builder.addOutput(tensors.zeroCount, perChannel),
      quantizedNonzeroCount: builder.addOutput(tensors.quantizedNonzeroCount, perChannel),
      bits: builder.addOutput(tensors.bits, perChannel),
      signed: builder.addOutput(tensors.signed, { elemType: DataType.FLOAT, shape: [] }),
    },
  }
}
