import type { JobRequest } from '../../electron/api/contract/index.ts'
import type { JobContext, JobHandler, JobOutput, ResolvedJob } from './job-types.ts'

/** A handler as the registry stores it: the request type is checked where the kind is bound. */
export type AnyJobHandler = (job: ResolvedJob, context: JobContext) => Promise<JobOutput<unknown>>

type Loader = () => Promise<AnyJobHandler>

export class UnknownJobKindError extends Error {
  override readonly name = 'UnknownJobKindError'
  readonly code = 'INVALID_ARGUMENT'
}

/** Job kinds → handlers, loaded on first use so the engine starts without every job's imports. */
export class JobRegistry {
  readonly #loaders = new Map<string, Loader>()

  register<R extends JobRequest, P>(kind: R['kind'], load: () => Promise<JobHandler<R, P>>): this {
    return this.registerAny(kind, load as unknown as Loader)
  }

  /** For kinds outside the contract (test jobs). */
  registerAny(kind: string, load: Loader): this {
    this.#loaders.set(kind, load)
    return this
  }

  get kinds(): string[] {
    return [...this.#loaders.keys()]
  }

  async handlerFor(kind: string): Promise<AnyJobHandler> {
    const load = this.#loaders.get(kind)
    if (load === undefined) {
      throw new UnknownJobKindError(
        `The engine has no job kind '${kind}'; it knows ${this.kinds.join(', ') || 'none'}.`,
      )
    }
    return load()
  }
}
