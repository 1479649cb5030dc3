import type { PreprocessPlan } from './preprocess.ts'
import type { NamedSource } from './preprocess-items.ts'

export interface PreprocessTask {
  id: number
  plan: PreprocessPlan
  items: NamedSource[]
  /** Also send back the images as the corruption received them (preprocessItems). */
  keepShaped: boolean
}

export interface SerializedError {
  name: string
  code: string | null
  message: string
}

export type PreprocessReply =
  | { id: number; images: Float32Array; shaped: Uint8Array | null }
  | { id: number; error: SerializedError }
