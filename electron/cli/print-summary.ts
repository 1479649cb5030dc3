import type { ModelSummary, TensorInfo } from '../api/contract/index.ts'
import { formatBytes, formatCount, formatShape, formatTable } from './format.ts'
import type { Output } from './output.ts'

function tensorLine(t: TensorInfo): string {
  return `${t.name} ${t.dataType} ${formatShape(t.shape)}`
}

function headline(s: ModelSummary): string[] {
  const arch = s.architecture
  const size = s.inputSize
  const bn = s.batchNorm.isFolded
    ? 'folded into the convolutions'
    : `kept (${s.batchNorm.count} BatchNormalization nodes)`
  return [
    `${s.fileName}  ${formatBytes(s.sizeBytes)}  sha256 ${s.sha256}`,
    `  producer      ${s.producer}, opset ${s.opset}, IR v${s.irVersion}`,
    ...s.inputs.map((t) => `  input         ${tensorLine(t)} (${s.inputLayout})`),
    ...s.outputs.map((t) => `  output        ${tensorLine(t)}`),
    `  architecture  ${arch.name}: ${arch.blockType} blocks, stages [${arch.stages.join(', ')}], ${arch.stem} stem, ${s.numClasses} classes`,
    `  BatchNorm     ${bn}`,
    `  head          ${s.hasTrailingSoftmax ? 'trailing Softmax (outputs are probabilities)' : 'logits (no Softmax)'}`,
    `  normalisation ${s.inputNormalization ? `in the graph: mean [${s.inputNormalization.mean.join(', ')}], std [${s.inputNormalization.std.join(', ')}]` : 'none in the graph'}`,
    `  parameters    ${formatCount(s.params)}`,
    `  MACs          ${formatCount(s.macs)} at ${size.height}×${size.width}${size.isAssumed ? ' (assumed: the graph has dynamic spatial size)' : ''}; FLOPs = 2 × MACs = ${formatCount(s.flops)}`,
    `  pooled        ${s.pooledFeatures.name} (${s.pooledFeatures.size} features)`,
  ]
}

export function printSummary(s: ModelSummary, out: Output): void {
  for (const line of headline(s)) out.text(line)
  const rows = s.layers.map((l) => [
    l.key,
    l.blockType ?? l.kind,
    formatShape(l.outputShape),
    formatCount(l.params),
    formatCount(l.macs),
  ])
  out.text('')
  out.text(formatTable(['layer', 'type', 'output', 'params', 'MACs'], rows))
  for (const warning of s.warnings) out.warn(`${s.fileName}: ${warning}`)
}
