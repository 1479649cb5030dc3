import { CORRUPTION_NAMES } from '../../../../electron/api/contract/index.ts'
import type {
  CorruptionName,
  CorruptionSweepRequest,
  DatasetRequest,
  PrecomputedSet,
} from '../../../../electron/api/contract/index.ts'

/** What the sweep form holds; the request follows from it. */
export interface SweepForm {
  checkpointIds: number[]
  referenceCheckpointId: number | null
  /** Paired deltas are taken against it (default: the pinned baseline). */
  baselineCheckpointId: number | null
  dataset: DatasetRequest | null
  /** A seeded subset that fits the machine (the whole selection when 0). */
  sampleCount: number
  sampleSeed: number
  corruptions: CorruptionName[]
  severities: number[]
  seed: number
  jpeg: boolean
  padding: 'before' | 'after'
  /** Corrupted images generated in memory, or read from a folder of precomputed ones. */
  imagesFrom: 'generated' | 'folder'
  /** The folder's corruptions as listed (imagesFrom 'folder'); null until one is chosen. */
  precomputedSet: PrecomputedSet | null
}

export const BENCHMARK_CORRUPTIONS: readonly CorruptionName[] = CORRUPTION_NAMES.slice(0, 15)
export const EXTRA_CORRUPTIONS: readonly CorruptionName[] = CORRUPTION_NAMES.slice(15)

export function defaultSweepForm(
  checkpointIds: number[],
  baselineCheckpointId: number | null = null,
): SweepForm {
  return {
    checkpointIds,
    referenceCheckpointId: null,
    baselineCheckpointId,
    dataset: null,
    sampleCount: 2000,
    sampleSeed: 0,
    corruptions: [...BENCHMARK_CORRUPTIONS],
    severities: [1, 2, 3, 4, 5],
    seed: 0,
    jpeg: false,
    padding: 'before',
    imagesFrom: 'generated',
    precomputedSet: null,
  }
}

/** The corruptions a sweep can have: every one when generated, those a chosen folder holds. */
export function offeredCorruptions(form: SweepForm): readonly CorruptionName[] {
  if (form.imagesFrom === 'generated') return CORRUPTION_NAMES
  return form.precomputedSet?.corruptions.map((c) => c.name) ?? []
}

/** The chosen corruptions the sweep can have, in the protocol's order. */
export function chosenCorruptions(form: SweepForm): CorruptionName[] {
  return offeredCorruptions(form).filter((name) => form.corruptions.includes(name))
}

/** The sweep request, or why the form cannot start one yet. */
export function sweepRequestOf(form: SweepForm): CorruptionSweepRequest | string {
  if (form.checkpointIds.length === 0) return 'Choose one or more checkpoints.'
  if (form.dataset === null) return 'Choose the images.'
  if (form.imagesFrom === 'folder' && form.precomputedSet === null)
    return 'Choose the folder of corrupted images.'
  const corruptions = chosenCorruptions(form)
  if (corruptions.length === 0) return 'Choose at least one corruption.'
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
    corruptions,
    severities: [...form.severities].sort((a, b) => a - b) as CorruptionSweepRequest['severities'],
    seed: form.seed,
    jpegQuality: form.jpeg ? 85 : null,
    padding: form.padding,
    referenceCheckpointId: form.referenceCheckpointId,
    precomputed:
      form.imagesFrom === 'folder' && form.precomputedSet
        ? { path: form.precomputedSet.path, layout: form.precomputedSet.layout }
        : null,
    baselineCheckpointId: form.baselineCheckpointId,
  }
}
