import type { PreprocessPlan } from './preprocess.ts'
import type { NamedSource } from './preprocess-items.ts'

export interface PreprocessTask {
  id: number
  plan: PreprocessPlan
  items: NamedSource[]
}

export interface SerializedError {
  name: string
  code: string | null
  message: string
}

export type PreprocessReply =
  { id: number; images: Float32Array } | { id: number; error: SerializedError }
