import { describe, expect, it } from 'vitest'
import { workbenchJobs } from '../../../native-models/engine/job-kinds.ts'
import { activationStatsJob } from '../../../native-models/engine/jobs/activation-stats/activation-stats.ts'
import { compressionJob } from '../../../native-models/engine/jobs/compression/compression.ts'
import { ckaGramsJob } from '../../../native-models/engine/jobs/cka/cka-grams.ts'
import { evaluateJob } from '../../../native-models/engine/jobs/evaluate/evaluate.ts'
import { gradientsJob } from '../../../native-models/engine/jobs/gradients/gradients.ts'
import { weightGeometryJob } from '../../../native-models/engine/jobs/weight-geometry/weight-geometry.ts'
import { weightNoiseJob } from '../../../native-models/engine/jobs/weight-noise/weight-noise.ts'

describe('workbenchJobs', () => {
  it('maps every job kind of the contract to its handler', async () => {
    const registry = workbenchJobs()
    expect(registry.kinds).toEqual([
      'evaluate',
      'activation-stats',
      'cka-grams',
      'weight-noise',
      'probes',
      't3a',
      'gradients',
      'weight-geometry',
      'compression',
    ])
    expect(await registry.handlerFor('evaluate')).toBe(evaluateJob)
    expect(await registry.handlerFor('activation-stats')).toBe(activationStatsJob)
    expect(await registry.handlerFor('cka-grams')).toBe(ckaGramsJob)
    expect(await registry.handlerFor('weight-noise')).toBe(weightNoiseJob)
    expect(await registry.handlerFor('gradients')).toBe(gradientsJob)
    expect(await registry.handlerFor('weight-geometry')).toBe(weightGeometryJob)
    expect(await registry.handlerFor('compression')).toBe(compressionJob)
  })
})
