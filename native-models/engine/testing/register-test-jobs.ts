import type { JobRegistry } from '../job-registry.ts'

/** Test-only kinds, registered when the engine runs with RESNET_WORKBENCH_ENGINE_TEST_JOBS=1. */
export function registerTestJobs(registry: JobRegistry): void {
  registry
    .registerAny('sleep-batches', async () => (await import('./test-jobs.ts')).sleepBatches)
    .registerAny('sized-inference', async () => (await import('./test-jobs.ts')).sizedInference)
    .registerAny('stuck-run', async () => (await import('./stuck-run.ts')).stuckRun)
    .registerAny('throw', async () => (await import('./test-jobs.ts')).throwBug)
}
