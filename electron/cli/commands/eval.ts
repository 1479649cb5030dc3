import type { Command } from 'commander'
import type { EvaluationResult, ResultInfo } from '../../api/contract/index.ts'
import { formatTable } from '../format.ts'
import { addCheckpointJobOptions, checkpointJobFields } from '../job-options.ts'
import type { CheckpointJobOptions } from '../job-options.ts'
import type { Output } from '../output.ts'
import { runJobToResult } from '../run-job.ts'
import { withService } from '../service-host.ts'

const percent = (x: number): string => `${(100 * x).toFixed(2)}%`

function printEvaluation(result: ResultInfo<EvaluationResult>, out: Output): void {
  const r = result.payload
  const p = result.provenance
  const split = p.dataset.split ? `split '${p.dataset.split}' of ` : ''
  out.text(`${p.modelFile} on ${r.numImages} images of ${split}${p.dataset.path}`)
  // ECE in percent points, as the app shows it (--json keeps the fraction).
  out.text(
    `  top-1 ${percent(r.top1)}  top-5 ${percent(r.top5)}  NLL ${r.nll.toFixed(4)}  ECE ${percent(r.ece)} (15 bins)`,
  )
  out.text(
    `  providers: ${p.providers.attached.join(', ')}; batch ${p.batchSize}; ${(p.elapsedMs / 1000).toFixed(1)} s; result ${result.id}`,
  )
  out.text('')
  const rows = r.perClass.map((c, i) => [String(i), c.name, String(c.count), percent(c.accuracy)])
  out.text(formatTable(['class', 'name', 'images', 'accuracy'], rows))
}

export function registerEval(program: Command): void {
  addCheckpointJobOptions(
    program
      .command('eval')
      .description('evaluate a checkpoint: accuracy, NLL, ECE, confusion matrix'),
  ).action(async (checkpoint: string, options: CheckpointJobOptions, command: Command) => {
    await withService(command, async (service, out) => {
      const request = {
        kind: 'evaluate' as const,
        ...checkpointJobFields(service, checkpoint, options),
      }
      const result = (await runJobToResult(service, request, out)) as ResultInfo<EvaluationResult>
      if (out.isJson) return out.json(result)
      printEvaluation(result, out)
    })
  })
}
