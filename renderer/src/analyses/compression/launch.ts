import type {
  AcgcSettings,
  CheckpointJobBase,
  CompressionRequest,
} from '../../../../electron/api/contract/index.ts'

/** The launcher's activation-compression fieldset: the request's own fields. */
export interface CompressionOptions {
  bits: number[]
  together: boolean
  eachAlone: boolean
  /** null: no AC-GC bit choice. */
  acgc: AcgcSettings | null
  compressionBatch: number
}

export const DEFAULT_ACGC: Readonly<AcgcSettings> = { tolerance: 1, gradientBatches: 4 }

export function defaultCompressionOptions(): CompressionOptions {
  return {
    bits: [2, 3, 4, 5, 6, 7, 8, 16],
    together: true,
    eachAlone: false,
    acgc: { ...DEFAULT_ACGC },
    compressionBatch: 64,
  }
}

/** '2, 3 4;16' → [2, 3, 4, 16]; a word that is not a number stays NaN for the service to name. */
export function parseBits(text: string): number[] {
  return text
    .split(/[\s,;]+/)
    .filter((part) => part !== '')
    .map(Number)
}

export function compressionRequest(
  base: CheckpointJobBase,
  options: CompressionOptions,
): CompressionRequest {
  return {
    ...base,
    kind: 'compression',
    // The per-channel scale is each batch's max |x|: the batch is compressionBatch.
    batchSize: null,
    bits: [...options.bits],
    together: options.together,
    eachAlone: options.eachAlone,
    acgc: options.acgc ? { ...options.acgc } : null,
    compressionBatch: options.compressionBatch,
  }
}

/** The request on the parameters another result stored (its provenance). */
export function compressionRequestLike(
  base: CheckpointJobBase,
  parameters: Record<string, unknown>,
): CompressionRequest {
  const stored = parameters as Partial<Omit<CompressionRequest, 'kind'>>
  const defaults = defaultCompressionOptions()
  return compressionRequest(base, {
    bits: stored.bits ?? defaults.bits,
    together: stored.together ?? defaults.together,
    eachAlone: stored.eachAlone ?? defaults.eachAlone,
    acgc: stored.acgc === undefined ? defaults.acgc : stored.acgc,
    compressionBatch: stored.compressionBatch ?? defaults.compressionBatch,
  })
}
