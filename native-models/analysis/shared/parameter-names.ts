const BLOCK_PARAMETER = /^(layer\d+\.\d+)\./
const STEM_PARAMETER = /^(conv1|bn1)\./
/** DataParallel / DistributedDataParallel prefix every name with the wrapper's attribute. */
const WRAPPER_PREFIX = /^module\./

/**
 * The layer key of a torchvision ResNet parameter name, as training logs it
 * (`named_parameters()`): 'layer1.0.conv1.weight' → 'layer1.0', 'conv1.weight' and 'bn1.*' →
 * 'stem', 'fc.*' → 'fc', with a leading 'module.' ignored; null for anything else.
 * @example layerKeyOfParameterName('layer3.5.downsample.1.bias') // 'layer3.5'
 */
export function layerKeyOfParameterName(name: string): string | null {
  const bare = name.replace(WRAPPER_PREFIX, '')
  const block = BLOCK_PARAMETER.exec(bare)
  if (block) return block[1] ?? null
  if (STEM_PARAMETER.test(bare)) return 'stem'
  if (bare.startsWith('fc.')) return 'fc'
  return null
}
