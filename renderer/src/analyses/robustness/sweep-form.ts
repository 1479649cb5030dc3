import { CORRUPTION_NAMES } from '../../../../electron/api/contract/index.ts'
import type {
  CorruptionName,
  CorruptionSweepRequest,
  DatasetRequest,
} from '../../../../electron/api/contract/index.ts'

/** What the sweep form holds; the request follows from it. */
export interface SweepForm {
  checkpointIds: number[]
  referenceCheckpointId: number | null
  dataset: DatasetRequest | null
  /** A seeded subset that fits the machine (the whole selection when 0). */
  sampleCount: number
  sampleSeed: number
  corruptions: CorruptionName[]
  severities: number[]
  seed: number
  jpeg: boolean
  padding: 'before' | 'after'
}

export const BENCHMARK_CORRUPTIONS: readonly CorruptionName[] = CORRUPTION_NAMES.slice(0, 15)
export const EXTRA_CORRUPTIONS: readonly CorruptionName[] = CORRUPTION_NAMES.slice(15)

export function defaultSweepForm(checkpointIds: number[]): SweepForm {
  return {
    checkpointIds,
    referenceCheckpointId: null,
    dataset: null,
    sampleCount: 2000,
    sampleSeed: 0,
    corruptions: [...BENCHMARK_CORRUPTIONS],
    severities: [1, 2, 3, 4, 5],
    seed: 0,
    jpeg: false,
    padding: 'before',
  }
}

/** The sweep request, or why the form cannot start one yet. */
export function sweepRequestOf(form: SweepForm): CorruptionSweepRequest | string {
  if (form.checkpointIds.length === 0) return 'Choose one or more checkpoints.'
  if (form.dataset === null) return 'Choose the images.'
  if (form.corruptions.length === 0) return 'Choose at least one corruption.'
  if (form.severities.length === 0) return 'Choose at least one severity.'
  return {
    checkpointIds: form.checkpointIds,
    dataset: {
      ...form.dataset,
      sample: form.sampleCount > 0 ? { count: form.sampleCount, seed: form.sampleSeed } : null,
      limit: null,
    },
    preprocessing: null,
    provider: 'cpu',
    corruptions: CORRUPTION_NAMES.filter((name) => form.corruptions.includes(name)),
    severities: [...form.severities].sort((a, b) => a - b) as CorruptionSweepRequest['severities'],
    seed: form.seed,
    jpegQuality: form.jpeg ? 85 : null,
    padding: form.padding,
    referenceCheckpointId: form.referenceCheckpointId,
  }
}
