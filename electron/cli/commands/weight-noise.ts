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

interface WeightNoiseOptions extends CheckpointJobOptions {
  sigmas: string
  samples: number
  noiseSeed: number
  everyParameter?: boolean
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
    .action(async (checkpoint: string, options: WeightNoiseOptions, command: Command) => {
      await withService(command, async (service, out) => {
        const request = {
          kind: 'weight-noise' as const,
          ...checkpointJobFields(service, checkpoint, options),
          sigmas: listOption(options.sigmas).map(Number),
          samples: options.samples,
          seed: options.noiseSeed,
          scope: options.everyParameter === true ? ('all' as const) : ('weights' as const),
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
