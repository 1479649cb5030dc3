import { InvalidArgumentError } from 'commander'
import type { Command } from 'commander'
import type { CkaRequest, CkaResult } from '../../api/contract/index.ts'
import { ckaBatchOrder, ckaCompute } from '../../api/analyses/cka/index.ts'
import type { WorkbenchService } from '../../api/service.ts'
import { ckaRequest, epochCheckpoints } from '../../../native-models/analysis/cka/cka-request.ts'
import { parseTaps } from '../../../native-models/analysis/shared/tap-list.ts'
import { addCkaEstimatorOptions, inputPixelsOf } from '../cka-options.ts'
import type { CkaEstimatorOptions } from '../cka-options.ts'
import { formatTable } from '../format.ts'
import { addCheckpointJobOptions, checkpointIdOf, checkpointJobFields } from '../job-options.ts'
import type { CheckpointJobOptions } from '../job-options.ts'
import type { Output } from '../output.ts'
import { runJobToResult } from '../run-job.ts'
import { withService } from '../service-host.ts'

interface CkaOptions extends CheckpointJobOptions, CkaEstimatorOptions {
  vs?: string
  timeline: boolean
  gridLayer?: string
  taps?: string
}

function timelineIds(service: WorkbenchService, checkpointId: number | null): number[] {
  const runId = checkpointId === null ? null : service.checkpointRunId(checkpointId)
  if (runId === null)
    throw new InvalidArgumentError('--timeline needs a checkpoint of an imported run.')
  const run = service.getRun(runId)
  const variant = run.checkpoints.find((c) => c.id === checkpointId)?.variant ?? ''
  return epochCheckpoints(run, variant).map((c) => c.id)
}

async function toRequest(
  service: WorkbenchService,
  checkpoint: string,
  options: CkaOptions,
): Promise<CkaRequest> {
  const fields = checkpointJobFields(service, checkpoint, options)
  const id = await checkpointIdOf(service, checkpoint)
  const versus = options.vs === undefined ? null : await checkpointIdOf(service, options.vs)
  const kind = options.timeline ? 'timeline' : versus !== null ? 'pair' : 'within'
  const ids = kind === 'timeline' ? timelineIds(service, id) : versus === null ? [id] : [id, versus]
  return ckaRequest({
    kind,
    checkpointIds: ids,
    referenceId: kind === 'timeline' ? id : null,
    gridLayer: options.gridLayer ?? null,
    dataset: fields.dataset,
    preprocessing: fields.preprocessing,
    taps: parseTaps(options.taps),
    estimator: options.estimator,
    batchSize: options.batch ?? null,
    orderSeed: options.orderSeed,
    spatialPooling: options.pooling,
    provider: options.provider,
    inputPixels: inputPixelsOf(service, id, fields.preprocessing),
  })
}

const cell = (value: number | null): string => (value === null ? 'n/a' : value.toFixed(3))

/** How much the values depend on the batches drawn: the widest and the median 95 % interval. */
function spreadLine(spread: NonNullable<CkaResult['matrices'][number]['spread']>): string {
  const widths = spread.lower
    .flatMap((row, i) => row.map((lower, j) => [lower, spread.upper[i][j]] as const))
    .filter((pair): pair is readonly [number, number] => pair[0] !== null && pair[1] !== null)
    .map(([lower, upper]) => upper - lower)
    .sort((a, b) => a - b)
  if (widths.length === 0) return ''
  const median = widths[Math.floor(widths.length / 2)]
  return `95 % intervals over ${spread.resamples} resamples of the ${spread.batches} batches (seed ${spread.seed}): median width ${median.toFixed(3)}, widest ${widths.at(-1)!.toFixed(3)} (--json: matrices[].spread)`
}

function printResult(result: CkaResult, out: Output): void {
  const estimator = {
    minibatch: 'minibatch CKA (unbiased HSIC)',
    linear: 'linear CKA (full batch)',
    debiased: 'debiased linear CKA (full batch)',
  }[result.request.estimator]
  out.text(
    `${estimator}: ${result.numImages} images in ${result.batches} batch(es) of ${result.n}` +
      (result.droppedImages > 0 ? `, ${result.droppedImages} left out (last partial batch)` : '') +
      (result.spatialPooling === 'mean' ? '; taps averaged over H×W' : '; taps flattened to C·H·W'),
  )
  if (result.timeline) {
    const t = result.timeline
    out.text(
      `\nCKA of each tap to the same tap of ${result.labels[t.checkpointIds.indexOf(t.referenceId)]}:`,
    )
    out.text(
      formatTable(
        ['tap', ...t.labels],
        t.series.map((s) => [s.key, ...s.values.map(cell)]),
      ),
    )
  }
  for (const matrix of result.matrices) {
    out.text(`\nrows: ${matrix.rowLabel}; columns: ${matrix.columnLabel}`)
    out.text(
      formatTable(
        ['', ...matrix.columnKeys],
        matrix.values.map((row, i) => [matrix.rowKeys[i], ...row.map(cell)]),
      ),
    )
    if (matrix.spread) out.text(spreadLine(matrix.spread))
  }
  for (const note of result.notes) out.warn(note)
}

export function registerCka(program: Command): void {
  const cka = addCheckpointJobOptions(
    program
      .command('cka')
      .description(
        'linear CKA between layers: within a checkpoint, against another (--vs), or over a run (--timeline)',
      ),
    'images per minibatch, all of the same size (default: 256 at 32², 64 at 224²; the last partial batch is left out)',
  )
    .option('--vs <checkpoint>', 'compare with the taps of this checkpoint (rows: <checkpoint>)')
    .option('--timeline', "each tap's CKA to <checkpoint> over every epoch of its run", false)
    .option(
      '--grid-layer <key>',
      'the layer of the epoch × epoch grid in a timeline (default: the last tap)',
    )
    .option(
      '--taps <keys>',
      'comma-separated layer keys, node names or tensor names (default: stem, every block, pooled)',
    )
  addCkaEstimatorOptions(cka).action(
    async (checkpoint: string, options: CkaOptions, command: Command) => {
      await withService(command, async (service, out) => {
        const request = await toRequest(service, checkpoint, options)
        const result = await service.computeDerived(ckaCompute, request, (job) =>
          runJobToResult(service, job, out),
        )
        if (!out.isJson) return printResult(result, out)
        const provenance = result.gramResultIds.map((id) => service.getResult(id).provenance)
        const batchOrder = await ckaBatchOrder(service.analysisContext, result.gramResultIds[0])
        out.json({ ...result, provenance, batchOrder })
      })
    },
  )
}
