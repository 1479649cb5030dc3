import type {
  BlockOutputGradient,
  GradientParameterRole,
  GradientsResult,
  LayerGradient,
  MeanStd,
  ParameterGradient,
} from '../../contract/index.ts'
import { tidyLookup } from '../tidy.ts'
import type { TidyValue } from '../tidy.ts'

// A parameter's rows carry `channel` = its index and `tap` = its layer key; a layer's and a block
// output's carry `channel` = their index and `tap` = the layer key. A null text (an unmapped
// parameter's key, no placement note) has no row.

const meanStdRows = (
  quantity: string,
  { mean, std }: MeanStd,
  at: Partial<TidyValue> = {},
): TidyValue[] => [
  { quantity: `${quantity}_mean`, ...at, value: mean },
  { quantity: `${quantity}_std`, ...at, value: std },
]

const textRow = (quantity: string, text: string | null, at: Partial<TidyValue> = {}) =>
  text === null ? [] : [{ quantity, ...at, text, value: null }]

function parameterRows(parameter: ParameterGradient, channel: number): TidyValue[] {
  const at = { channel, tap: parameter.layerKey }
  return [
    { quantity: 'parameter', ...at, text: parameter.initializer, value: null },
    ...textRow('parameter_key', parameter.parameterKey, at),
    { quantity: 'parameter_role', ...at, text: parameter.role, value: null },
    { quantity: 'parameter_shape', ...at, text: JSON.stringify(parameter.shape), value: null },
    ...meanStdRows('parameter_gradient_norm', parameter.norm, at),
    { quantity: 'parameter_norm', ...at, value: parameter.parameterNorm },
  ]
}

function layerRows(layer: LayerGradient, channel: number): TidyValue[] {
  const at = { channel, tap: layer.layerKey }
  return [
    { quantity: 'layer_depth', ...at, value: layer.depth },
    ...meanStdRows('layer_gradient_norm', layer.norm, at),
    ...meanStdRows('layer_weight_gradient_norm', layer.weightNorm, at),
  ]
}

function blockRows(block: BlockOutputGradient, channel: number): TidyValue[] {
  const at = { channel, tap: block.layerKey }
  return [
    { quantity: 'block_output_depth', ...at, value: block.depth },
    ...meanStdRows('block_output_gradient_norm', block.norm, at),
  ]
}

/** Every stored value as rows: the run's, then one block per parameter, layer and block output. */
export function gradientsValues(result: GradientsResult): TidyValue[] {
  return [
    ...result.classes.map((name, dim) => ({
      quantity: 'class_name',
      dim,
      text: name,
      value: null,
    })),
    { quantity: 'num_images', value: result.numImages },
    { quantity: 'gradient_batch', value: result.gradientBatch },
    { quantity: 'batches', value: result.batches },
    ...meanStdRows('loss', result.loss),
    { quantity: 'accuracy', value: result.accuracy },
    { quantity: 'is_bn_folded', value: result.isBnFolded ? 1 : 0 },
    { quantity: 'batch_norm_mode', text: result.batchNormMode, value: null },
    ...meanStdRows('total_gradient_norm', result.totalNorm),
    ...textRow('placement_note', result.placementNote),
    ...Object.entries(result.timings).map(([step, ms]) => ({
      quantity: `${step}_ms`,
      value: ms,
    })),
    ...result.unmappedParameters.map((name, dim) => ({
      quantity: 'unmapped_parameter',
      dim,
      text: name,
      value: null,
    })),
    ...result.parameters.flatMap(parameterRows),
    ...result.layers.flatMap(layerRows),
    ...result.blockOutputs.flatMap(blockRows),
  ]
}

export function gradientsFromTidy(rows: TidyValue[]): GradientsResult {
  const { all, one, text } = tidyLookup(rows)
  const byChannel = (quantity: string): TidyValue[] =>
    all(quantity).sort((a, b) => a.channel! - b.channel!)
  const at = (quantity: string, channel: number): TidyValue | undefined =>
    all(quantity).find((row) => row.channel === channel)
  const valueAt = (quantity: string, channel: number): number =>
    at(quantity, channel)?.value as number
  const meanStdAt = (quantity: string, channel?: number): MeanStd =>
    channel === undefined
      ? { mean: one(`${quantity}_mean`), std: one(`${quantity}_std`) }
      : { mean: valueAt(`${quantity}_mean`, channel), std: valueAt(`${quantity}_std`, channel) }
  const texts = (quantity: string): string[] =>
    all(quantity)
      .sort((a, b) => a.dim! - b.dim!)
      .map((row) => row.text ?? '')
  return {
    numImages: one('num_images'),
    classes: texts('class_name'),
    gradientBatch: one('gradient_batch'),
    batches: one('batches'),
    loss: meanStdAt('loss'),
    accuracy: one('accuracy'),
    isBnFolded: one('is_bn_folded') === 1,
    batchNormMode: 'inference',
    parameters: byChannel('parameter').map(({ channel, tap, text: initializer }) => ({
      initializer: initializer ?? '',
      parameterKey: at('parameter_key', channel!)?.text ?? null,
      layerKey: tap ?? '',
      role: (at('parameter_role', channel!)?.text ?? 'weight') as GradientParameterRole,
      shape: JSON.parse(at('parameter_shape', channel!)?.text ?? '[]') as number[],
      norm: meanStdAt('parameter_gradient_norm', channel),
      parameterNorm: valueAt('parameter_norm', channel!),
    })),
    layers: byChannel('layer_depth').map(({ channel, tap, value }) => ({
      layerKey: tap ?? '',
      depth: value as number,
      norm: meanStdAt('layer_gradient_norm', channel),
      weightNorm: meanStdAt('layer_weight_gradient_norm', channel),
    })),
    blockOutputs: byChannel('block_output_depth').map(({ channel, tap, value }) => ({
      layerKey: tap ?? '',
      depth: value as number,
      norm: meanStdAt('block_output_gradient_norm', channel),
    })),
    unmappedParameters: texts('unmapped_parameter'),
    totalNorm: meanStdAt('total_gradient_norm'),
    placementNote: all('placement_note').length === 0 ? null : text('placement_note'),
    timings: { build: one('build_ms'), session: one('session_ms'), passes: one('passes_ms') },
  }
}
