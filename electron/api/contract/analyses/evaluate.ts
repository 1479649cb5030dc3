import { analysisContract } from '../analysis-contract.ts'
import { IMAGES_HEADLINE } from '../results.ts'
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
  charts: 'reliability' | 'confusion' | 'per-class'
}>({
  channels: {},
  charts: ['reliability', 'confusion', 'per-class'],
  kinds: {
    evaluate: {
      label: 'Evaluation',
      headline: [
        {
          key: 'top1',
          label: 'top-1',
          format: 'percent',
          digits: 2,
          better: 'higher',
          isListed: true,
        },
        {
          key: 'top5',
          label: 'top-5',
          format: 'percent',
          digits: 2,
          better: 'higher',
          isListed: false,
        },
        { key: 'nll', label: 'NLL', format: 'number', digits: 4, better: 'lower', isListed: true },
        { key: 'ece', label: 'ECE', format: 'percent', digits: 2, better: 'lower', isListed: true },
        IMAGES_HEADLINE,
      ],
    },
  },
})
