import type { T3aResult } from '../../contract/index.ts'
import type { AnalysisModule } from '../analysis-module.ts'
import { jobKindModule } from '../analysis-module.ts'
import { t3aFromTidy, t3aValues } from './tidy.ts'
import { validateT3a } from './validate.ts'

const mean = (values: number[]): number =>
  values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length

function headline(result: T3aResult): Record<string, number> {
  const filters = result.domains[0]?.filters.map((f) => f.filter) ?? []
  const perFilter = filters.map((_, f) => mean(result.domains.map((d) => d.filters[f].accuracy)))
  return {
    baseAccuracy: mean(result.domains.map((d) => d.base.accuracy)),
    bestAccuracy: perFilter.length === 0 ? Number.NaN : Math.max(...perFilter),
    domains: result.domains.length,
    numImages: result.domains.reduce((sum, d) => sum + d.predicted, 0),
  }
}

/** T3A test-time classifier adjustment on cached penultimate features, per domain and filter M. */
export const t3aModule: AnalysisModule = {
  name: 't3a',
  jobs: [
    jobKindModule({
      kind: 't3a',
      validate: validateT3a,
      headline,
      tidyValues: t3aValues,
      payloadFromTidy: t3aFromTidy,
      exampleRequest: (base) => ({
        ...base,
        kind: 't3a',
        domains: null,
        filters: [1, 'all'],
        allBehaviour: 'keep-every-support',
        streamBatch: 4,
        order: { kind: 'shuffle', seed: 0 },
        lastPartialBatch: 'predict',
      }),
    }),
  ],
  derived: [],
}
