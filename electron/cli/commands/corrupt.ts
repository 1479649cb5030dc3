import type { Command } from 'commander'
import { corruptionSweep } from '../../api/analyses/robustness/sweep.ts'
import { CORRUPTION_NAMES } from '../../api/contract/index.ts'
import type {
  CorruptionName,
  CorruptionSweep,
  CorruptionSweepRequest,
  SweepCheckpoint,
} from '../../api/contract/index.ts'
import type { WorkbenchService } from '../../api/service.ts'
import { formatTable } from '../format.ts'
import { addCorruptionDrawOptions, corruptionDrawFields } from '../corruption-options.ts'
import type { CorruptionDrawOptions } from '../corruption-options.ts'
import {
  addCheckpointJobOptions,
  checkpointIdOf,
  checkpointJobFields,
  listOption,
} from '../job-options.ts'
import type { CheckpointJobOptions } from '../job-options.ts'
import type { Output } from '../output.ts'
import { runJobToResult } from '../run-job.ts'
import { withService } from '../service-host.ts'
import { layoutOption, PRECOMPUTED_HELP, precomputedSourceOf } from '../precomputed-option.ts'
import { printShardReport, runJobShard, SHARD_HELP, shardOption } from '../shard-run.ts'
import type { Shard } from '../../../native-models/analysis/shared/shard.ts'

interface CorruptOptions extends CheckpointJobOptions, CorruptionDrawOptions {
  and?: string
  reference?: string
  baseline?: string
  corruptions?: string
  precomputed?: string
  layout?: 'imagenet-c' | 'cifar-10-c'
  shard?: Shard
}

const BENCHMARK = CORRUPTION_NAMES.slice(0, 15)
const pct = (x: number): string => `${(100 * x).toFixed(1)}`

async function toRequest(
  service: WorkbenchService,
  checkpoint: string,
  options: CorruptOptions,
  out: Output,
): Promise<CorruptionSweepRequest> {
  const fields = checkpointJobFields(service, checkpoint, options)
  const ids = [checkpoint, ...listOption(options.and)]
  const checkpointIds = await Promise.all(ids.map((text) => checkpointIdOf(service, text)))
  const reference =
    options.reference === undefined ? null : await checkpointIdOf(service, options.reference)
  const precomputed = await precomputedSourceOf(service, options, out)
  const corruptions =
    options.corruptions === undefined
      ? (precomputed?.corruptions ?? BENCHMARK)
      : listOption(options.corruptions)
  return {
    checkpointIds,
    dataset: fields.dataset,
    preprocessing: fields.preprocessing,
    provider: fields.provider,
    corruptions: corruptions as CorruptionName[],
    ...corruptionDrawFields(options),
    referenceCheckpointId: reference,
    precomputed: precomputed?.source ?? null,
    baselineCheckpointId:
      options.baseline === undefined ? null : await checkpointIdOf(service, options.baseline),
  }
}

function printCheckpoint(entry: SweepCheckpoint, label: string, out: Output): void {
  const severities = [...new Set(entry.cells.map((c) => c.severity))].sort((a, b) => a - b)
  const corruptions = [...new Set(entry.cells.map((c) => c.corruption))]
  const interval = entry.clean.top1Interval
  const range = interval ? ` [${pct(interval.lower)}, ${pct(interval.upper)}]` : ''
  out.text(`\n${label}: clean top-1 ${pct(entry.clean.top1)}%${range}`)
  const rows = corruptions.map((name) => {
    const summary = entry.perCorruption.find((c) => c.corruption === name)
    return [
      name,
      ...severities.map((s) => {
        const cell = entry.cells.find((c) => c.corruption === name && c.severity === s)
        return cell ? pct(cell.top1) : '–'
      }),
      summary ? pct(summary.meanError) : '–',
      summary?.ce === null || summary === undefined ? '–' : pct(summary.ce),
    ]
  })
  out.text(formatTable(['top-1 %', ...severities.map((s) => `s${s}`), 'mean err %', 'CE %'], rows))
  const mce = entry.mce === null ? 'n/a' : `${pct(entry.mce)}%`
  const relative = entry.relativeMce === null ? 'n/a' : `${pct(entry.relativeMce)}%`
  out.text(
    `mean corrupted top-1 ${pct(entry.meanCorruptedAccuracy)}%; mCE ${mce}; relative mCE ${relative}`,
  )
  const delta = entry.overall.delta
  if (delta)
    out.text(
      `vs the baseline (paired): ${pct(delta.estimate)} pt [${pct(delta.lower)}, ${pct(delta.upper)}]`,
    )
}

function printSweep(sweep: CorruptionSweep, service: WorkbenchService, out: Output): void {
  out.text(`corruption sweep on ${sweep.numImages} images`)
  for (const entry of sweep.checkpoints)
    printCheckpoint(entry, service.analysisContext.checkpointLabel(entry.checkpointId), out)
  out.text(`\n${sweep.normalisationNote}`)
}

export function registerCorrupt(program: Command): void {
  const corrupt = addCheckpointJobOptions(
    program
      .command('corrupt')
      .description(
        'corruption sweep (ImageNet-C protocol): every cell a stored evaluation, so a stopped sweep resumes; mean corrupted accuracy, per-corruption error, CE and mCE against a reference',
      ),
  )
    .option('--and <checkpoints>', 'more checkpoints to sweep on the same cells (comma-separated)')
    .option(
      '--reference <checkpoint>',
      'divide each corruption error by this checkpoint’s (CE, mCE)',
    )
    .option(
      '--baseline <checkpoint>',
      'paired deltas of each checkpoint to this one, on the same images (with 95 % intervals)',
    )
    .option(
      '--corruptions <names>',
      `comma-separated (default: the 15 benchmark ones; also ${CORRUPTION_NAMES.slice(15).join(', ')})`,
    )
  addCorruptionDrawOptions(corrupt, 'seed of every cell’s draws')
    .option('--precomputed <dir>', PRECOMPUTED_HELP)
    .addOption(layoutOption())
    .option('--shard <i/n>', SHARD_HELP, shardOption)
    .action(async (checkpoint: string, options: CorruptOptions, command: Command) => {
      await withService(command, async (service, out) => {
        const request = await toRequest(service, checkpoint, options, out)
        if (options.shard) {
          const cells = await corruptionSweep.jobsFor(request, service.analysisContext)
          const report = await runJobShard(service, cells, options.shard, out)
          if (out.isJson) return out.json(report)
          return printShardReport(report, 'corrupt', out)
        }
        const sweep = await service.computeDerived(corruptionSweep, request, (job) =>
          runJobToResult(service, job, out),
        )
        if (out.isJson) return out.json(sweep)
        printSweep(sweep, service, out)
      })
    })
}
