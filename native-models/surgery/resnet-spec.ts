import type { SynthRequest } from '../../electron/api/contract/index.ts'

export type ResNetDepth = SynthRequest['depth']
export type BlockKind = 'basic' | 'bottleneck'

export interface ResNetSpec {
  block: BlockKind
  stages: readonly number[]
  /** Output channels of a block = planes × expansion. */
  expansion: number
}

/** torchvision's resnet18/34/50/101. */
export const RESNET_SPECS: Record<ResNetDepth, ResNetSpec> = {
  18: { block: 'basic', stages: [2, 2, 2, 2], expansion: 1 },
  34: { block: 'basic', stages: [3, 4, 6, 3], expansion: 1 },
  50: { block: 'bottleneck', stages: [3, 4, 6, 3], expansion: 4 },
  101: { block: 'bottleneck', stages: [3, 4, 23, 3], expansion: 4 },
}

export const STAGE_PLANES = [64, 128, 256, 512] as const

/** One residual block in forward order. */
export interface BlockPlan {
  /** 'layer1.0' */
  module: string
  inChannels: number
  planes: number
  stride: number
  hasDownsample: boolean
}

export function planBlocks(spec: ResNetSpec): BlockPlan[] {
  const blocks: BlockPlan[] = []
  let inChannels = 64
  spec.stages.forEach((count, stage) => {
    const planes = STAGE_PLANES[stage] as number
    for (let index = 0; index < count; index += 1) {
      const stride = stage > 0 && index === 0 ? 2 : 1
      const hasDownsample = stride !== 1 || inChannels !== planes * spec.expansion
      blocks.push({
        module: `layer${stage + 1}.${index}`,
        inChannels,
        planes,
        stride,
        hasDownsample,
      })
      inChannels = planes * spec.expansion
    }
  })
  return blocks
}

/**
 * torch's scope path of a module: 'layer1.0.downsample.0' → '/layer1/layer1.0/downsample/downsample.0'
 * (a Sequential's numbered child is shown as '<parent>.<index>').
 */
export function scopeOf(module: string): string {
  const scopes: string[] = []
  for (const part of module.split('.')) {
    const previous = scopes.at(-1)
    scopes.push(/^\d+$/.test(part) && previous !== undefined ? `${previous}.${part}` : part)
  }
  return `/${scopes.join('/')}`
}

/**
 * The first `onnx::Conv_<id>` that torch 1.13 gives a BN-folded export: the JIT value ids count the
 * parameters of the unfolded model (5 per BatchNorm, num_batches_tracked included), its nodes,
 * and two more. Each folded conv then takes ids id (weight), id+1 (bias), id+3 for the next.
 */
export function firstFoldedInitializerId(spec: ResNetSpec, cifarStem: boolean): number {
  const blocks = planBlocks(spec)
  const downsamples = blocks.filter((block) => block.hasDownsample).length
  const convsPerBlock = spec.block === 'basic' ? 2 : 3
  const convs = 1 + blocks.length * convsPerBlock + downsamples
  const params = convs + 5 * convs + 2
  const relus = 1 + blocks.length * convsPerBlock
  const nodes = 2 * convs + relus + blocks.length + (cifarStem ? 0 : 1) + 3
  return params + nodes + 2
}
