import { analysisContract } from '../analysis-contract.ts'
import type { CheckpointJobBase } from '../jobs.ts'

export interface EvaluateRequest extends CheckpointJobBase {
  kind: 'evaluate'
}

export interface ReliabilityBin {
  lower: number
  upper: number
  count: number
  accuracy: number
  confidence: number
}

export interface EvaluationResult {
  numImages: number
  classes: string[]
  top1: number
  top5: number
  /** Mean negative log-likelihood of the true class (natural log). */
  nll: number
  /** Expected calibration error over 15 equal-width confidence bins (lower, upper]. */
  ece: number
  reliability: ReliabilityBin[]
  /** confusion[true][predicted] counts. */
  confusion: number[][]
  perClass: { name: string; count: number; accuracy: number }[]
}

export const evaluateContract = analysisContract<{
  jobs: EvaluateRequest
  payloads: { evaluate: EvaluationResult }
  invoke: Record<never, never>
}>({})
