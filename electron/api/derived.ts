import type { DerivedStart, JobInfo, JobRequest, ResultInfo } from './contract/index.ts'
import type { AnalysisContext, DerivedModule } from './analyses/analysis-module.ts'

type Request<D extends DerivedModule> = Parameters<D['jobsFor']>[0]
type Answer<D extends DerivedModule> = Awaited<ReturnType<D['compute']>>

/**
 * The answer when every job it needs is stored; otherwise those jobs are started (or joined when
 * already running) and returned, and asking again once they are stored gives the answer.
 */
export async function startDerived<D extends DerivedModule>(
  derived: D,
  request: Request<D>,
  context: AnalysisContext,
): Promise<DerivedStart<Answer<D>>> {
  const needed = await derived.jobsFor(request, context)
  const started = await Promise.all(needed.map((job) => context.startJob(job)))
  const jobs = started.map((s) => s.job).filter((job): job is JobInfo => job !== null)
  if (jobs.length > 0) return { result: null, jobs }
  const stored = started.map((s) => s.result!)
  return { result: (await derived.compute(request, stored, context)) as Answer<D>, jobs: [] }
}

/**
 * Runs every job the answer needs to its stored result, one after the other through `runJob`
 * (the CLI's shows a progress bar), then computes the answer.
 */
export async function computeDerived<D extends DerivedModule>(
  derived: D,
  request: Request<D>,
  context: AnalysisContext,
  runJob: (request: JobRequest) => Promise<ResultInfo>,
): Promise<Answer<D>> {
  const stored: ResultInfo[] = []
  for (const job of await derived.jobsFor(request, context)) stored.push(await runJob(job))
  return (await derived.compute(request, stored, context)) as Answer<D>
}
