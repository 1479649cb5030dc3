import type { CompressionResult } from '../../contract/index.ts'
import type { AnalysisModule } from '../analysis-module.ts'
import { jobKindModule } from '../analysis-module.ts'
import { compressionFromTidy, compressionValues } from './tidy.ts'
import { validateCompression } from './validate.ts'

// A result without AC-GC's choice has no ratio or mean bits: the keys are left out (the views skip
// a missing number), never stored as a made-up one.
function headline(result: CompressionResult): Record<string, number> {
  const accounting = result.acgc?.accounting
  return {
    ...(accounting ? { acgcRatio: accounting.ratio, acgcMeanBits: accounting.meanBits } : {}),
    top1: result.top1.estimate,
    numImages: result.numImages,
  }
}

/** Activations kept for the backward pass fake-quantized to b bits, and AC-GC's bit choice. */
export const compressionModule: AnalysisModule = {
  name: 'compression',
  jobs: [
    jobKindModule({
      kind: 'compression',
      validate: validateCompression,
      headline,
      tidyValues: compressionValues,
      payloadFromTidy: compressionFromTidy,
      exampleRequest: (base) => ({
        ...base,
        kind: 'compression',
        batchSize: null,
        bits: [2, 8],
        together: true,
        eachAlone: false,
        acgc: { tolerance: 1, gradientBatches: 1 },
        compressionBatch: 4,
      }),
    }),
  ],
  derived: [],
}
