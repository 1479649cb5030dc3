import type { Command } from 'commander'
import type { ResultInfo, WeightNoiseResult } from '../../api/contract/index.ts'
import { formatTable } from '../format.ts'
import {
  addCheckpointJobOptions,
  checkpointJobFields,
  listOption,
  positiveInteger,
  seed,
} from '../job-options.ts'
import type { CheckpointJobOptions } from '../job-options.ts'
import type { Output } from '../output.ts'
import { runJobToResult } from '../run-job.ts'
import { withService } from '../service-host.ts'
import { printShardReport, SHARD_HELP, shardOption } from '../shard-run.ts'
import type { ShardReport } from '../shard-run.ts'
import { noisePlan } from '../../../native-models/analysis/robustness/weight-noise/index.ts'
import type { Shard } from '../../../native-models/analysis/shared/shard.ts'
import type { WeightNoiseRequest } from '../../api/contract/index.ts'
import type { WorkbenchService } from '../../api/service.ts'

interface WeightNoiseOptions extends CheckpointJobOptions {
  sigmas: string
  samples: number
  noiseSeed: number
  everyParameter?: boolean
  shard?: Shard
}

/** Runs one shard of the (σ, sample) grid, then counts the grid's units stored here. */
async function runNoiseShard(
  service: WorkbenchService,
  request: WeightNoiseRequest,
  shard: Shard,
  out: Output,
): Promise<ShardReport> {
  await runJobToResult(service, { ...request, shard }, out)
  const whole = (await service.storedResult(request)) !== null
  let storedUnits = 0
  for (let index = 0; index < shard.count; index++) {
    const other = { index, count: shard.count }
    if (whole || (await service.storedResult({ ...request, shard: other })) !== null)
      storedUnits += noisePlan(request, other).length
  }
  const totalUnits = noisePlan(request).length
  const unit = '(σ, sample) pairs'
  const shardUnits = noisePlan(request, shard).length
  return {
    shard,
    unit,
    totalUnits,
    shardUnits,
    storedUnits,
    isComplete: storedUnits === totalUnits,
  }
}

const pct = (x: number): string => `${(100 * x).toFixed(2)}%`

function printWeightNoise(result: ResultInfo<WeightNoiseResult>, out: Output): void {
  const p = result.payload
  const what = p.scope === 'all' ? 'every parameter' : 'conv/linear weights and BN scale'
  out.text(
    `${result.provenance.modelFile}: weight noise θ·(1 + σz) on ${what} (${p.perturbed.tensors} tensors, ${p.perturbed.parameters.toLocaleString('en')} values), ${p.numImages} images, noise seed ${p.seed} (result ${result.id})`,
  )
  if (p.isBnFolded)
    out.text(
      'note: BatchNorm is folded into this export, so the noise hits W·γ/σ, not DAMP’s W and γ: compare DAMP runs on BN-kept exports (.bn.onnx).',
    )
  const rows = p.levels.map((level) => [
    String(level.sigma),
    String(level.samples),
    `${pct(level.top1.mean)} ± ${pct(level.top1.std)}`,
    `${pct(level.top5.mean)} ± ${pct(level.top5.std)}`,
    `${level.nll.mean.toFixed(4)} ± ${level.nll.std.toFixed(4)}`,
  ])
  out.text(formatTable(['σ', 'samples', 'top-1 (mean ± std)', 'top-5', 'NLL'], rows))
}

export function registerWeightNoise(program: Command): void {
  addCheckpointJobOptions(
    program
      .command('weight-noise')
      .description(
        'accuracy and NLL as weights are multiplied by ξ ~ N(1, σ²) (DAMP’s noise), mean ± std over seeded samples per σ',
      ),
  )
    .option('--sigmas <list>', 'comma-separated σ values', '0,0.05,0.1,0.2,0.3')
    .option('--samples <n>', 'noise samples per σ > 0', positiveInteger, 3)
    .option('--noise-seed <n>', 'seed of the noise draws', seed, 0)
    .option('--every-parameter', 'perturb biases and the BatchNorm shift too')
    .option('--shard <i/n>', SHARD_HELP, shardOption)
    .action(async (checkpoint: string, options: WeightNoiseOptions, command: Command) => {
      await withService(command, async (service, out) => {
        const request: WeightNoiseRequest = {
          kind: 'weight-noise' as const,
          ...checkpointJobFields(service, checkpoint, options),
          sigmas: listOption(options.sigmas).map(Number),
          samples: options.samples,
          seed: options.noiseSeed,
          scope: options.everyParameter === true ? ('all' as const) : ('weights' as const),
        }
        if (options.shard) {
          const report = await runNoiseShard(service, request, options.shard, out)
          if (out.isJson) return out.json(report)
          return printShardReport(report, 'weight-noise', out)
        }
        const result = (await runJobToResult(
          service,
          request,
          out,
        )) as ResultInfo<WeightNoiseResult>
        if (out.isJson) return out.json(result)
        printWeightNoise(result, out)
      })
    })
}
