import { JobRegistry } from './job-registry.ts'
import type { AnyJobHandler } from './job-registry.ts'

/**
 * Loads a job module that may not be in this checkout yet; its absence is a clear error when a
 * job of that kind starts, not a failure of the whole engine.
 */
async function loadJobModule(specifier: string, exportName: string): Promise<AnyJobHandler> {
  const url = new URL(specifier, import.meta.url).href
  const module = (await import(url)) as Record<string, unknown>
  const handler = module[exportName]
  if (typeof handler !== 'function') {
    throw new TypeError(`Job module '${specifier}' does not export a handler '${exportName}'.`)
  }
  return handler as AnyJobHandler
}

/** Every job kind the workbench runs: adding one is one line. */
export function workbenchJobs(): JobRegistry {
  return new JobRegistry()
    .registerAny('evaluate', () => loadJobModule('./jobs/evaluate.ts', 'evaluateJob'))
    .registerAny('activation-stats', () =>
      loadJobModule('./jobs/activation-stats.ts', 'activationStatsJob'),
    )
}
