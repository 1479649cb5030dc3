import type { JobRequest, ResultInfo } from '../api/contract/index.ts'
import { RequestError } from '../api/errors.ts'
import type { WorkbenchService } from '../api/service.ts'
import type { Output } from './output.ts'
import { createProgressBar } from './progress.ts'

/** Runs a job to completion with a progress bar; Ctrl-C cancels it cleanly. */
export async function runJobToResult(
  service: WorkbenchService,
  request: JobRequest,
  out: Output,
): Promise<ResultInfo> {
  const bar = createProgressBar()
  const started = await service.startJob(request, (job) => {
    if (job.total > 0)
      bar.update({ stage: job.stage || job.kind, done: job.done, total: job.total })
  })
  if (started.result) {
    out.warn(
      `an identical request was answered from the workspace (result ${started.result.id}); nothing was recomputed.`,
    )
    return started.result
  }
  const jobId = started.job!.id
  const onInterrupt = (): void => service.cancelJob(jobId)
  process.once('SIGINT', onInterrupt)
  try {
    const { job, result } = await started.completion
    bar.stop()
    // 'auto' falling back to the CPU is the normal case on a machine without a GPU: not news.
    const fallback = result?.provenance.providers.fallbackReason
    if (fallback && 'provider' in request && request.provider !== 'auto') out.warn(fallback)
    if (result) return result
    if (job?.status === 'cancelled')
      throw new RequestError('JOB_CANCELLED', `Job ${jobId} was cancelled; nothing was stored.`)
    throw Object.assign(new Error(job?.error?.message ?? `Job ${jobId} failed.`), {
      code: job?.error?.code ?? 'INTERNAL',
    })
  } finally {
    bar.stop()
    process.off('SIGINT', onInterrupt)
  }
}
