import { resolve } from 'node:path'
import type { Command } from 'commander'
import type { MergeReport } from '../../api/merge/merge-workspaces.ts'
import { formatTable } from '../format.ts'
import type { Output } from '../output.ts'
import { withService } from '../service-host.ts'

const ITEMS = ['results', 'checkpoints', 'runs', 'datasets', 'blobs'] as const

function printMerge(report: MergeReport, out: Output): void {
  out.text(`merged into ${report.workspace}`)
  const rows = report.sources.flatMap((source) =>
    ITEMS.map((item, i) => [
      i === 0 ? source.workspace : '',
      item,
      String(source[item].added),
      String(source[item].alreadyPresent),
    ]),
  )
  out.text(formatTable(['from', 'item', 'added', 'already present'], rows))
}

export function registerMerge(program: Command): void {
  program
    .command('merge')
    .description(
      'copy the results of other workspaces (shards of a sweep or weight-noise grid run elsewhere) into this one, with the checkpoints, runs, datasets and blobs they use; what is here already is skipped, and conflicting provenance refuses the whole merge',
    )
    .argument('<workspaces...>', 'workspace folders to merge into --workspace')
    .action(async (workspaces: string[], _options: unknown, command: Command) => {
      await withService(command, async (service, out) => {
        const report = await service.mergeWorkspaces(workspaces.map((w) => resolve(w)))
        if (out.isJson) return out.json(report)
        printMerge(report, out)
      })
    })
}
