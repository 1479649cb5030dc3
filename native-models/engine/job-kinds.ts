import { JobRegistry } from './job-registry.ts'

/**
 * Every job kind the workbench runs: adding one is one line. The imports are literal so
 * electron-vite bundles each job as a chunk of the utility-process entry.
 */
export function workbenchJobs(): JobRegistry {
  return new JobRegistry()
    .register('evaluate', async () => (await import('./jobs/evaluate/evaluate.ts')).evaluateJob)
    .register(
      'activation-stats',
      async () => (await import('./jobs/activation-stats/activation-stats.ts')).activationStatsJob,
    )
    .register('cka-grams', async () => (await import('./jobs/cka/cka-grams.ts')).ckaGramsJob)
    .register(
      'weight-noise',
      async () => (await import('./jobs/weight-noise/weight-noise.ts')).weightNoiseJob,
    )
    .register('probes', async () => (await import('./jobs/probes/probes.ts')).probesJob)
    .register('t3a', async () => (await import('./jobs/t3a/t3a.ts')).t3aJob)
    .register('gradients', async () => (await import('./jobs/gradients/gradients.ts')).gradientsJob)
    .register(
      'weight-geometry',
      async () => (await import('./jobs/weight-geometry/weight-geometry.ts')).weightGeometryJob,
    )
    .register(
      'compression',
      async () => (await import('./jobs/compression/compression.ts')).compressionJob,
    )
}
