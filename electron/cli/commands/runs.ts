import { runIdOf } from '../lookups.ts'
import type { Command } from 'commander'
import type { RunDetail } from '../../api/contract/index.ts'
import { formatBytes, formatCount, formatTable } from '../format.ts'
import type { Output } from '../output.ts'
import { withService } from '../service-host.ts'

function printRun(run: RunDetail, out: Output): void {
  out.text(`${run.name} (id ${run.id})  ${run.folder}`)
  if (run.tags.length > 0) out.text(`tags: ${run.tags.join(', ')}`)
  if (run.notes) out.text(`notes: ${run.notes}`)
  const rows = run.checkpoints.map((c) => [
    String(c.id),
    c.epoch === null ? '-' : String(c.epoch),
    c.variant || '-',
    c.isBnFolded ? 'folded' : 'kept',
    formatCount(c.params),
    formatBytes(c.sizeBytes),
    c.sha256.slice(0, 12),
  ])
  out.text(formatTable(['id', 'epoch', 'variant', 'BN', 'params', 'size', 'sha256'], rows))
  const metricNames = run.metrics.filter((m) => !m.name.startsWith('grad_norms/'))
  const gradNorms = run.metrics.length - metricNames.length
  const names = metricNames.map((m) => (m.split ? `${m.split}/${m.name}` : m.name))
  out.text(
    `metrics: ${names.join(', ') || 'none'}${gradNorms ? `; ${gradNorms} gradient-norm series` : ''}`,
  )
}

export function registerRuns(program: Command): void {
  program
    .command('runs')
    .description('list the runs in the workspace, or show one')
    .argument('[run]', 'run id or name to show in detail')
    .action(async (run: string | undefined, _options: unknown, command: Command) => {
      await withService(command, (service, out) => {
        if (run !== undefined) {
          const detail = service.getRun(runIdOf(service, run))
          return out.isJson ? out.json(detail) : printRun(detail, out)
        }
        const runs = service.listRuns()
        if (out.isJson) return out.json(runs)
        if (runs.length === 0) return out.text(`No runs in ${service.folder} yet: import one.`)
        const rows = runs.map((r) => [
          String(r.id),
          r.name,
          String(r.checkpointCount),
          r.lastEpoch === null ? '-' : String(r.lastEpoch),
          r.tags.join(','),
          r.folder,
        ])
        out.text(formatTable(['id', 'name', 'checkpoints', 'last epoch', 'tags', 'folder'], rows))
      })
    })
}
