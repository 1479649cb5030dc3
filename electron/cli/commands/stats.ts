import type { Command } from 'commander'
import { parseTaps } from '../../../native-models/analysis/shared/tap-list.ts'
import type { ActivationStatsResult, ResultInfo } from '../../api/contract/index.ts'
import { formatTable } from '../format.ts'
import { addCheckpointJobOptions, checkpointJobFields, positiveInteger } from '../job-options.ts'
import type { CheckpointJobOptions } from '../job-options.ts'
import type { Output } from '../output.ts'
import { runJobToResult } from '../run-job.ts'
import { withService } from '../service-host.ts'

interface StatsOptions extends CheckpointJobOptions {
  taps?: string
  bins: number
  samples: number
}

const mean = (values: number[]): number =>
  values.reduce((a, b) => a + b, 0) / Math.max(values.length, 1)

function printStats(result: ResultInfo<ActivationStatsResult>, out: Output): void {
  const p = result.provenance
  out.text(
    `${p.modelFile}: activation statistics over ${result.payload.numImages} images (result ${result.id})`,
  )
  const rows = result.payload.taps.map((t) => [
    t.key,
    `[${t.shape.join(', ')}]`,
    mean(t.mean).toPrecision(4),
    mean(t.std).toPrecision(4),
    Math.max(...t.maxAbs).toPrecision(4),
    `${(100 * mean(t.zeroFraction)).toFixed(1)}%`,
  ])
  out.text(formatTable(['tap', 'shape', 'mean', 'std', 'max |x|', 'zeros'], rows))
  const tap = result.payload.taps[0]
  if (tap)
    out.text(
      `histograms: ${tap.histogram.sampledValues} of ${tap.histogram.totalValues} values per tap sampled (seeded positions)`,
    )
}

export function registerStats(program: Command): void {
  addCheckpointJobOptions(
    program
      .command('stats')
      .description(
        'per-layer activation statistics: channel mean, std, max |x|, zero fraction, histograms',
      ),
  )
    .option(
      '--taps <keys>',
      'comma-separated layer keys, node names or tensor names (default: every block output and the pooled features)',
    )
    .option('--bins <n>', 'histogram bins', positiveInteger, 64)
    .option(
      '--samples <n>',
      'values sampled per tap and batch for the histograms',
      positiveInteger,
      4096,
    )
    .action(async (checkpoint: string, options: StatsOptions, command: Command) => {
      await withService(command, async (service, out) => {
        const request = {
          kind: 'activation-stats' as const,
          ...checkpointJobFields(service, checkpoint, options),
          taps: parseTaps(options.taps),
          histogramBins: options.bins,
          histogramSamplesPerBatch: options.samples,
          seed: options.seed,
        }
        const result = (await runJobToResult(
          service,
          request,
          out,
        )) as ResultInfo<ActivationStatsResult>
        if (out.isJson) return out.json(result)
        printStats(result, out)
      })
    })
}
