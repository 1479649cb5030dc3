import type { Command } from 'commander'
import { CORRUPTION_NAMES } from '../../api/contract/index.ts'
import type {
  CorruptionCell,
  EvaluationResult,
  Interval,
  ResultInfo,
} from '../../api/contract/index.ts'
import { formatTable } from '../format.ts'
import {
  addCheckpointJobOptions,
  checkpointJobFields,
  positiveInteger,
  seed,
} from '../job-options.ts'
import type { CheckpointJobOptions } from '../job-options.ts'
import type { Output } from '../output.ts'
import { runJobToResult } from '../run-job.ts'
import { withService } from '../service-host.ts'

const percent = (x: number): string => `${(100 * x).toFixed(2)}%`
const points = (i: Interval): string =>
  `[${(100 * i.lower).toFixed(2)}, ${(100 * i.upper).toFixed(2)}]`
const fixed4 = (i: Interval): string => `[${i.lower.toFixed(4)}, ${i.upper.toFixed(4)}]`

/** 'top-1 91.20% [90.01, 92.30]': each number with its 95 % interval when stored. */
function headlineLine(r: EvaluationResult): string {
  const ci = r.intervals
  const withInterval = (text: string, interval: string | undefined) =>
    interval ? `${text} ${interval}` : text
  return [
    withInterval(`top-1 ${percent(r.top1)}`, ci && points(ci.top1)),
    withInterval(`top-5 ${percent(r.top5)}`, ci && points(ci.top5)),
    withInterval(`NLL ${r.nll.toFixed(4)}`, ci && fixed4(ci.nll)),
    // ECE in percent points, as the app shows it (--json keeps the fraction).
    withInterval(`ECE ${percent(r.ece)}`, ci && points(ci.ece)),
  ].join('  ')
}

function printEvaluation(result: ResultInfo<EvaluationResult>, out: Output): void {
  const r = result.payload
  const p = result.provenance
  const split = p.dataset?.split ? `split '${p.dataset.split}' of ` : ''
  const cell = p.parameters['corruption'] as CorruptionCell | undefined
  const under = cell
    ? ` under ${cell.name} severity ${cell.severity} (seed ${cell.seed}${cell.jpegQuality === null ? '' : `, JPEG q${cell.jpegQuality}`}, corrupted ${cell.padding} padding)`
    : ''
  out.text(`${p.modelFile} on ${r.numImages} images of ${split}${p.dataset?.path ?? ''}${under}`)
  out.text(`  ${headlineLine(r)}  (ECE: 15 bins)`)
  if (r.intervals)
    out.text(
      `  [95 % intervals: Wilson for top-1/top-5, bootstrap over images for NLL/ECE, ${r.intervals.bootstrap.resamples} resamples, seed ${r.intervals.bootstrap.seed}]`,
    )
  out.text(
    `  providers: ${p.providers.attached.join(', ')}; batch ${p.batchSize}; ${(p.elapsedMs / 1000).toFixed(1)} s; result ${result.id}`,
  )
  out.text('')
  const rows = r.perClass.map((c, i) => [String(i), c.name, String(c.count), percent(c.accuracy)])
  out.text(formatTable(['class', 'name', 'images', 'accuracy'], rows))
}

interface EvalOptions extends CheckpointJobOptions {
  corruption?: string
  severity: number
  corruptionSeed: number
  jpegQuality?: number
  corruptAfterPadding?: boolean
}

/** The ImageNet-C cell of --corruption, checked by the service like any request. */
function corruptionOf(options: EvalOptions): CorruptionCell | null {
  if (options.corruption === undefined) return null
  return {
    name: options.corruption as CorruptionCell['name'],
    severity: options.severity as CorruptionCell['severity'],
    seed: options.corruptionSeed,
    jpegQuality: options.jpegQuality ?? null,
    padding: options.corruptAfterPadding === true ? 'after' : 'before',
  }
}

export function registerEval(program: Command): void {
  addCheckpointJobOptions(
    program
      .command('eval')
      .description('evaluate a checkpoint: accuracy, NLL, ECE, confusion matrix'),
  )
    .option(
      '--corruption <name>',
      `evaluate under one ImageNet-C corruption (${CORRUPTION_NAMES.join(', ')})`,
    )
    .option('--severity <k>', 'its severity, 1 to 5', positiveInteger, 3)
    .option('--corruption-seed <n>', 'seed of the corruption draws', seed, 0)
    .option(
      '--jpeg-quality <q>',
      'save each corrupted image as JPEG first (ImageNet-C: 85)',
      positiveInteger,
    )
    .option('--corrupt-after-padding', 'corrupt the zero padding too (default: before padding)')
    .action(async (checkpoint: string, options: EvalOptions, command: Command) => {
      await withService(command, async (service, out) => {
        const corruption = corruptionOf(options)
        const request = {
          kind: 'evaluate' as const,
          ...checkpointJobFields(service, checkpoint, options),
          ...(corruption ? { corruption } : {}),
        }
        const result = (await runJobToResult(service, request, out)) as ResultInfo<EvaluationResult>
        if (out.isJson) return out.json(result)
        printEvaluation(result, out)
      })
    })
}
