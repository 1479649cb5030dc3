import { Option } from 'commander'
import type { Command } from 'commander'
import type { CompressionRequest, CompressionResult, ResultInfo } from '../../api/contract/index.ts'
import type { WorkbenchService } from '../../api/service.ts'
import { addImageOptions, checkpointJobFields, positiveInteger } from '../job-options.ts'
import type { CheckpointJobOptions } from '../job-options.ts'
import type { Output } from '../output.ts'
import { runJobToResult } from '../run-job.ts'
import { withService } from '../service-host.ts'
import { addTargetOptions, targetOf } from './checkpoint-or-run.ts'
import type { Target, TargetOptions } from './checkpoint-or-run.ts'
import { bitsList, positiveNumber } from './compress-options.ts'
import { printCompression, printCompressionRun } from './compress-print.ts'
import type { CheckpointCompression } from './compress-print.ts'
import { compressionTrends, printSiteTrends } from './compress-trends.ts'

interface CompressOptions extends CheckpointJobOptions, TargetOptions {
  bits: number[]
  together: boolean
  eachAlone: boolean
  acgc: boolean
  tolerance: number
  gradientBatches: number
  compressionBatch: number
}

function requestFor(
  service: WorkbenchService,
  checkpointId: number,
  options: CompressOptions,
): CompressionRequest {
  return {
    kind: 'compression',
    ...checkpointJobFields(service, String(checkpointId), options),
    bits: options.bits,
    together: options.together,
    eachAlone: options.eachAlone,
    acgc: options.acgc
      ? { tolerance: options.tolerance, gradientBatches: options.gradientBatches }
      : null,
    compressionBatch: options.compressionBatch,
  }
}

async function computeAll(
  service: WorkbenchService,
  target: Target,
  options: CompressOptions,
  out: Output,
): Promise<CheckpointCompression[]> {
  const computed: CheckpointCompression[] = []
  for (const checkpoint of target.checkpoints) {
    const request = requestFor(service, checkpoint.id, options)
    const result = (await runJobToResult(service, request, out)) as ResultInfo<CompressionResult>
    computed.push({ label: checkpoint.label, result })
  }
  return computed
}

function jsonOf(target: Target, computed: CheckpointCompression[]) {
  return {
    run: target.run === null ? null : { id: target.run.id, name: target.run.name },
    checkpoints: computed.map(({ label, result }, i) => ({
      checkpointId: target.checkpoints[i].id,
      label,
      epoch: target.checkpoints[i].epoch,
      variant: target.checkpoints[i].variant,
      result,
    })),
    /** Per site, the channel means of max |x| and of the zero fraction at each checkpoint. */
    trends: target.isWholeRun ? compressionTrends(computed) : null,
  }
}

export function registerCompress(program: Command): void {
  const command = addTargetOptions(
    program
      .command('compress')
      .description(
        "how far the activations kept for the backward pass (inputs of convolutions and BatchNorms) can be compressed: b-bit fixed point with per-channel max-abs scaling against the unquantized model, and AC-GC's per-channel bit choice from gradient statistics (Evans & Aamodt 2021), at a checkpoint or at every checkpoint of a run",
      ),
  )
  addImageOptions(command, 'batch size: must equal --compression-batch when given')
    .addOption(
      new Option(
        '--bits <list>',
        'widths b as AC-GC counts them (2^b grid steps per unit of the scaled value), each 1 to 16',
      )
        .argParser(bitsList)
        .default([2, 3, 4, 5, 6, 7, 8, 16], '2,3,4,5,6,7,8,16'),
    )
    .option('--no-together', 'skip quantizing every site together')
    .option('--each-alone', 'also quantize each site alone (one evaluation per site and b)', false)
    .option('--no-acgc', "skip AC-GC's bit choice (and its backward passes)")
    .option(
      '--tolerance <e>',
      "AC-GC's error tolerance e, entering the bound linearly as in the reference code",
      positiveNumber,
      1,
    )
    .option(
      '--gradient-batches <n>',
      "batches the gradient statistics of AC-GC's bit choice are averaged over",
      positiveInteger,
      4,
    )
    .option(
      '--compression-batch <n>',
      "images per batch: each batch's per-channel max |x| is the scale",
      positiveInteger,
      64,
    )
    .action(async (checkpoint: string | undefined, options: CompressOptions, cmd: Command) => {
      await withService(cmd, async (service, out) => {
        const target = await targetOf(service, checkpoint, options)
        const computed = await computeAll(service, target, options, out)
        if (out.isJson) return out.json(jsonOf(target, computed))
        if (target.isWholeRun && target.run !== null) {
          printCompressionRun(target.run, computed, out)
          return printSiteTrends(compressionTrends(computed), out)
        }
        printCompression(computed[0].result, out)
      })
    })
}
