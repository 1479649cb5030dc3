import { DEFAULT_PROBE_FRACTIONS } from '../../contract/index.ts'
import type { ProbesResult } from '../../contract/index.ts'
import type { AnalysisModule } from '../analysis-module.ts'
import { jobKindModule } from '../analysis-module.ts'
import { probesFromTidy, probesValues } from './tidy.ts'
import { validateProbes } from './validate.ts'

function headline(result: ProbesResult): Record<string, number> {
  const dr90 = result.diffusedRedundancy.find((dr) => dr.delta === 0.9)?.value ?? null
  return {
    fullAccuracy: result.fullLayer.accuracy,
    fullAccuracyLower: result.fullLayer.interval.lower,
    fullAccuracyUpper: result.fullLayer.interval.upper,
    ...(dr90 === null ? {} : { dr90 }),
    ...(result.within5Points === null ? {} : { within5Points: result.within5Points }),
    numImages: result.numTest,
  }
}

/** Linear probes on random neuron subsets (Diffused Redundancy), with PCA and random baselines. */
export const probesModule: AnalysisModule = {
  name: 'probes',
  jobs: [
    jobKindModule({
      kind: 'probes',
      validate: validateProbes,
      headline,
      tidyValues: probesValues,
      payloadFromTidy: probesFromTidy,
      exampleRequest: (base) => ({
        ...base,
        kind: 'probes',
        testDataset: base.dataset,
        layer: { tap: null, pooling: 'mean' },
        fractions: DEFAULT_PROBE_FRACTIONS.filter((f) => f >= 0.1),
        seeds: 2,
        validation: { fraction: 0.2, seed: 0 },
        ridgeGrid: null,
        baselines: { pca: true, randomProjection: true },
        exact: { fractions: [0.5], seeds: 1, weightDecay: 1e-3 },
      }),
    }),
  ],
  derived: [],
}
