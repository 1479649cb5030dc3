import type { CorruptionName, PrecomputedLayout } from '../../../../electron/api/contract/index.ts'
import { ALEXNET_CLEAN_ERROR, ALEXNET_ERROR } from './corruption-error.ts'

const IMAGENET_CLASSES = 1000
const ALL_SEVERITIES = [1, 2, 3, 4, 5]

/** What decides a sweep's CE normaliser. */
export interface NormalisationInputs {
  /** Where the corrupted images come from: generated in memory, or a precomputed set's layout. */
  source: 'generated' | PrecomputedLayout
  /** Classes of the evaluated images. */
  datasetClasses: number
  /** Class scores of each swept model. */
  modelOutputs: readonly number[]
  corruptions: readonly CorruptionName[]
  severities: readonly number[]
  /** The reference checkpoint's label; null: none chosen. */
  reference: string | null
}

export interface NormalisationChoice {
  kind: 'alexnet' | 'reference' | 'none'
  /** The normalisation in words, shown beside mCE. */
  note: string
}

const isBenchmark = (name: CorruptionName): boolean => ALEXNET_ERROR[name] !== undefined
const percent = (x: number): string => `${(100 * x).toFixed(2)} %`

/** Why AlexNet's published errors do not apply; null when they do. */
function alexnetRefusal(inputs: NormalisationInputs): string | null {
  const { source, datasetClasses, modelOutputs, corruptions, severities } = inputs
  if (source === 'generated')
    return 'the corrupted images were generated in memory, not read from the official ImageNet-C files'
  if (source !== 'imagenet-c') return `the corrupted images are a ${source.toUpperCase()} set`
  const outputs = [...new Set(modelOutputs)]
  if (datasetClasses !== IMAGENET_CLASSES || outputs.some((k) => k !== IMAGENET_CLASSES))
    return `the images have ${datasetClasses} classes and the model${outputs.length > 1 ? 's' : ''} ${outputs.join(' / ')} outputs, not ImageNet's ${IMAGENET_CLASSES}`
  if (!corruptions.some(isBenchmark)) return 'none of the 15 benchmark corruptions is swept'
  const missing = ALL_SEVERITIES.filter((s) => !severities.includes(s))
  if (missing.length > 0)
    return `they average all five severities and severit${missing.length > 1 ? 'ies' : 'y'} ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} not swept`
  return null
}

function alexnetNote(inputs: NormalisationInputs): string {
  const benchmark = inputs.corruptions.filter(isBenchmark)
  const extra = inputs.corruptions.filter((name) => !isBenchmark(name))
  const parts = [
    `CE = Σ error / Σ error of AlexNet, with AlexNet's published ImageNet-C errors (Hendrycks & Dietterich 2019; clean ${percent(ALEXNET_CLEAN_ERROR)}), since these are the official 1000-class ImageNet-C images; relative CE subtracts each model's clean error and AlexNet's`,
    `mCE averages the ${benchmark.length} benchmark corruption${benchmark.length > 1 ? 's' : ''} swept${benchmark.length < 15 ? ' (the protocol averages all 15)' : ''}`,
  ]
  if (extra.length > 0)
    parts.push(`${extra.join(', ')} ha${extra.length > 1 ? 've' : 's'} no AlexNet error, so no CE`)
  if (inputs.reference !== null) parts.push(`${inputs.reference} is swept but does not divide CE`)
  return `${parts.join('; ')}.`
}

/**
 * The sweep's CE normaliser: AlexNet's published errors only for the official ImageNet-C files
 * (precomputed 'imagenet-c' layout, 1000 classes, a benchmark corruption, all five severities),
 * else the chosen reference checkpoint, else none; the note says which and why.
 */
export function chooseNormalisation(inputs: NormalisationInputs): NormalisationChoice {
  const refusal = alexnetRefusal(inputs)
  if (refusal === null) return { kind: 'alexnet', note: alexnetNote(inputs) }
  if (inputs.reference === null)
    return {
      kind: 'none',
      note: `CE needs a normaliser: AlexNet's published errors do not apply (${refusal}); choose a reference checkpoint to get CE and mCE.`,
    }
  return {
    kind: 'reference',
    note: `CE = Σ error / Σ error of ${inputs.reference} on the same cells (AlexNet's published errors do not apply: ${refusal}); relative CE subtracts each model's clean error.`,
  }
}
