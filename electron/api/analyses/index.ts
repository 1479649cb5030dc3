import type { JobKind, JobRequest } from '../contract/index.ts'
import { RequestError } from '../errors.ts'
import { activationStatsModule } from './activation-stats/index.ts'
import type { AnalysisModule, JobKindModule } from './analysis-module.ts'
import { ckaModule } from './cka/index.ts'
import { compressionModule } from './compression/index.ts'
import { evaluateModule } from './evaluate/index.ts'
import { gradientsModule } from './gradients/index.ts'
import { probesModule } from './probes/index.ts'
import { robustnessModule } from './robustness/index.ts'
import { t3aModule } from './t3a/index.ts'
import { weightGeometryModule } from './weight-geometry/index.ts'
import { weightNoiseModule } from './weight-noise/index.ts'

/** Every analysis the API layer serves: adding one is one line. */
export const ANALYSIS_MODULES: readonly AnalysisModule[] = [
  evaluateModule,
  activationStatsModule,
  ckaModule,
  weightNoiseModule,
  robustnessModule,
  probesModule,
  t3aModule,
  gradientsModule,
  weightGeometryModule,
  compressionModule,
]

const BY_KIND = new Map(ANALYSIS_MODULES.flatMap((m) => m.jobs.map((job) => [job.kind, job])))

/** Every job kind with a module, in registry order. */
export const JOB_KIND_MODULES: readonly JobKindModule[] = [...BY_KIND.values()]

export function isJobKind(kind: unknown): kind is JobKind {
  return typeof kind === 'string' && BY_KIND.has(kind as JobKind)
}

/** The module of a job kind; an unknown kind is a request error naming the known ones. */
export function moduleOfKind(kind: unknown): JobKindModule {
  const found = isJobKind(kind) ? BY_KIND.get(kind) : undefined
  if (!found)
    throw new RequestError(
      'INVALID_ARGUMENT',
      `Unknown job kind '${String(kind)}': use ${[...BY_KIND.keys()].join(', ')}.`,
    )
  return found
}

/** Every derived result (a channel computed from stored job results). */
export const DERIVED_MODULES = ANALYSIS_MODULES.flatMap((m) => m.derived)

/** A job request checked and completed by its kind's module (refused before any job row exists). */
export function validJobRequest(request: JobRequest): JobRequest {
  return moduleOfKind(request.kind).validate(request)
}
