import { availableParallelism } from 'node:os'

/** Overrides the per-operator thread count everywhere, e.g. 1 on CI so test files don't contend. */
export const THREADS_ENV = 'RESNET_WORKBENCH_ORT_THREADS'

/** One intra-op thread per available core, unless the environment pins it. */
export function defaultIntraOpThreads(env: NodeJS.ProcessEnv = process.env): number {
  const pinned = Number(env[THREADS_ENV])
  return Number.isInteger(pinned) && pinned > 0 ? pinned : availableParallelism()
}
