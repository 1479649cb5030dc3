import type { Command } from 'commander'
import { formatTable } from '../format.ts'
import { positiveInteger } from '../job-options.ts'
import { withService } from '../service-host.ts'

export function registerJobs(program: Command): void {
  const jobs = program.command('jobs').description('list jobs, or cancel one')
  jobs.action(async (_options: unknown, command: Command) => {
    await withService(command, (service, out) => {
      const list = service.listJobs()
      if (out.isJson) return out.json(list)
      if (list.length === 0) return out.text('No jobs yet.')
      const rows = list.map((j) => [
        String(j.id),
        j.kind,
        j.status,
        j.total > 0 ? `${j.done}/${j.total}` : '-',
        j.resultId === null ? '-' : String(j.resultId),
        j.error ? `[${j.error.code}] ${j.error.message}` : '',
      ])
      out.text(formatTable(['id', 'kind', 'status', 'progress', 'result', 'error'], rows))
    })
  })
  jobs
    .command('cancel')
    .description('cancel a queued or running job (in this or another process)')
    .argument('<id>', 'job id', positiveInteger)
    .action(async (id: number, _options: unknown, command: Command) => {
      await withService(command, (service, out) => {
        service.cancelJob(id)
        if (out.isJson) return out.json({ cancelRequested: id })
        out.text(`Asked job ${id} to stop; it stops at the end of its current batch.`)
      })
    })
}
