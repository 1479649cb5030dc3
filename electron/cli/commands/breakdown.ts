import { InvalidArgumentError, Option } from 'commander'
import type { Command } from 'commander'
import { corruptionBreakdown } from '../../api/analyses/robustness/breakdown.ts'
import { CORRUPTION_NAMES } from '../../api/contract/index.ts'
import type {
  CorruptionBreakdown,
  CorruptionBreakdownRequest,
  CorruptionName,
} from '../../api/contract/index.ts'
import type { WorkbenchService } from '../../api/service.ts'
import { defaultGramBatch } from '../../../native-models/analysis/cka/gram-batch.ts'
import { parseTaps } from '../../../native-models/analysis/shared/tap-list.ts'
import { addCkaEstimatorOptions, inputPixelsOf } from '../cka-options.ts'
import type { CkaEstimatorOptions } from '../cka-options.ts'
import { addCorruptionDrawOptions, corruptionDrawFields } from '../corruption-options.ts'
import type { CorruptionDrawOptions } from '../corruption-options.ts'
import { formatTable } from '../format.ts'
import { addCheckpointJobOptions, checkpointIdOf, checkpointJobFields } from '../job-options.ts'
import type { CheckpointJobOptions } from '../job-options.ts'
import type { Output } from '../output.ts'
import { runJobToResult } from '../run-job.ts'
import { withService } from '../service-host.ts'

interface BreakdownOptions
  extends CheckpointJobOptions, CorruptionDrawOptions, CkaEstimatorOptions {
  corruption: string
  threshold: number
  taps?: string
}

function threshold(value: string): number {
  const parsed = Number(value)
  if (!(parsed >= 0 && parsed <= 1)) throw new InvalidArgumentError('Not a CKA value from 0 to 1.')
  return parsed
}

async function toRequest(
  service: WorkbenchService,
  checkpoint: string,
  options: BreakdownOptions,
): Promise<CorruptionBreakdownRequest> {
  const fields = checkpointJobFields(service, checkpoint, options)
  const checkpointId = await checkpointIdOf(service, checkpoint)
  const pixels = inputPixelsOf(service, checkpointId, fields.preprocessing)
  const isMinibatch = options.estimator === 'minibatch'
  return {
    checkpointId,
    dataset: fields.dataset,
    preprocessing: fields.preprocessing,
    provider: fields.provider,
    corruption: options.corruption as CorruptionName,
    ...corruptionDrawFields(options),
    taps: parseTaps(options.taps),
    estimator: options.estimator,
    batchSize: isMinibatch ? (options.batch ?? defaultGramBatch(pixels)) : null,
    orderSeed: options.orderSeed,
    spatialPooling: options.pooling,
    threshold: options.threshold,
  }
}

const cka = (value: number | null): string => (value === null ? 'n/a' : value.toFixed(3))

function printBreakdown(result: CorruptionBreakdown, label: string, out: Output): void {
  out.text(
    `${label} clean vs ${result.corruption}: per-tap ${result.estimator} CKA on ${result.numImages} images (${result.batches} batch(es) of ${result.n})`,
  )
  const rows = result.taps.map((key, t) => [
    key,
    ...result.severities.map((s) => {
      const interval = s.intervals?.[t]
      const range = interval ? ` [${cka(interval.lower)}, ${cka(interval.upper)}]` : ''
      return `${cka(s.values[t])}${range}`
    }),
  ])
  out.text(formatTable(['tap', ...result.severities.map((s) => `s${s.severity}`)], rows))
  for (const s of result.severities)
    out.text(
      `severity ${s.severity}: ${s.breaksAt === null ? `no tap below ${result.threshold}` : `breaks at ${s.breaksAt} (first tap below ${result.threshold})`}`,
    )
  for (const note of result.notes) out.warn(note)
}

export function registerBreakdown(program: Command): void {
  const breakdown = addCheckpointJobOptions(
    program
      .command('breakdown')
      .description(
        'where it breaks: per-tap CKA between a checkpoint’s activations on clean and on corrupted images, per severity, and the first tap below a threshold',
      ),
    'images per CKA minibatch (default: 256 at 32², 64 at 224²)',
  ).addOption(
    new Option('--corruption <name>', 'the corruption')
      .choices([...CORRUPTION_NAMES])
      .makeOptionMandatory(),
  )
  addCkaEstimatorOptions(
    addCorruptionDrawOptions(breakdown, 'seed of the corruption draws')
      .option('--threshold <cka>', 'a tap "breaks" when its CKA is below this', threshold, 0.9)
      .option('--taps <keys>', 'comma-separated layer keys (default: stem, every block, pooled)'),
  ).action(async (checkpoint: string, options: BreakdownOptions, command: Command) => {
    await withService(command, async (service, out) => {
      const request = await toRequest(service, checkpoint, options)
      const result = await service.computeDerived(corruptionBreakdown, request, (job) =>
        runJobToResult(service, job, out),
      )
      if (out.isJson) return out.json(result)
      printBreakdown(result, service.analysisContext.checkpointLabel(request.checkpointId), out)
    })
  })
}
