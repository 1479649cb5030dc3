import type { Command } from 'commander'
import type {
  GradientsRequest,
  GradientsResult,
  MeanStd,
  ResultInfo,
  RunDetail,
} from '../../api/contract/index.ts'
import type { WorkbenchService } from '../../api/service.ts'
import { formatTable } from '../format.ts'
import { addImageOptions, checkpointJobFields, positiveInteger } from '../job-options.ts'
import type { CheckpointJobOptions } from '../job-options.ts'
import type { Output } from '../output.ts'
import { runJobToResult } from '../run-job.ts'
import { withService } from '../service-host.ts'
import { addTargetOptions, targetOf } from './checkpoint-or-run.ts'
import type { Target, TargetCheckpoint, TargetOptions } from './checkpoint-or-run.ts'
import { hasLoggedGradNorms, loggedLayerNorms } from './logged-grad-norms.ts'

const COMPUTED = 'computed (inference BN)'
const LOGGED = 'logged (train-mode BN, epoch mean)'

interface GradsOptions extends CheckpointJobOptions, TargetOptions {
  gradientBatch: number
  blockOutputs: boolean
}

/** One checkpoint's computed norms, and what training logged at its epoch (null: nothing). */
interface CheckpointGradients {
  checkpoint: TargetCheckpoint
  result: ResultInfo<GradientsResult>
  logged: Record<string, number> | null
}

const num = (x: number): string => x.toPrecision(4)
const spread = ({ mean, std }: MeanStd): string => `${num(mean)} ± ${num(std)}`

async function computeAll(
  service: WorkbenchService,
  target: Target,
  options: GradsOptions,
  out: Output,
): Promise<CheckpointGradients[]> {
  const isLogged = hasLoggedGradNorms(target.run)
  const computed: CheckpointGradients[] = []
  for (const checkpoint of target.checkpoints) {
    const request: GradientsRequest = {
      kind: 'gradients',
      ...checkpointJobFields(service, String(checkpoint.id), options),
      gradientBatch: options.gradientBatch,
      blockOutputs: options.blockOutputs,
    }
    const result = (await runJobToResult(service, request, out)) as ResultInfo<GradientsResult>
    const logged = isLogged
      ? Object.fromEntries(loggedLayerNorms(target.run, checkpoint.epoch))
      : null
    computed.push({ checkpoint, result, logged })
  }
  return computed
}

function printCheckpoint({ result, logged }: CheckpointGradients, out: Output): void {
  const p = result.payload
  out.text(
    `${result.provenance.modelFile}: loss gradients on ${p.batches * p.gradientBatch} of ${p.numImages} images, ${p.batches} batches of ${p.gradientBatch}, BatchNorm in inference mode (result ${result.id})`,
  )
  if (p.isBnFolded)
    out.text(
      'note: BatchNorm is folded into this export: gradients are w.r.t. W·γ/σ, not the trained W and γ (use a BN-kept export, .bn.onnx, to compare with logged norms).',
    )
  out.text(
    `loss ${spread(p.loss)}, top-1 ${(100 * p.accuracy).toFixed(2)}%, ‖∇L‖ ${spread(p.totalNorm)} (mean ± std over batches)`,
  )
  const header = ['depth', 'layer', `${COMPUTED} ‖∇‖`, 'weights only']
  const rows = p.layers.map((layer) => [
    String(layer.depth),
    layer.layerKey,
    spread(layer.norm),
    spread(layer.weightNorm),
    ...(logged === null
      ? []
      : [logged[layer.layerKey] === undefined ? '–' : num(logged[layer.layerKey])]),
  ])
  out.text(formatTable(logged === null ? header : [...header, LOGGED], rows))
  if (p.blockOutputs.length > 0) {
    const blockRows = p.blockOutputs.map((b) => [String(b.depth), b.layerKey, spread(b.norm)])
    out.text(formatTable(['depth', 'block output', '‖∂L/∂y‖'], blockRows))
  }
  if (p.unmappedParameters.length > 0)
    out.text(`unmapped parameters (no module scope): ${p.unmappedParameters.join(', ')}`)
}

/** Layers down, checkpoints across: the computed norms, then the logged ones. */
function printTrajectory(run: RunDetail, computed: CheckpointGradients[], out: Output): void {
  out.text(
    `run '${run.name}': per-layer gradient norms at ${computed.length} checkpoints (mean ± std over batches)`,
  )
  const labels = computed.map((c) => c.checkpoint.label)
  const layerKeys = computed[0]?.result.payload.layers.map((l) => l.layerKey) ?? []
  const cell = (c: CheckpointGradients, layerKey: string): string => {
    const layer = c.result.payload.layers.find((l) => l.layerKey === layerKey)
    return layer === undefined ? '–' : spread(layer.norm)
  }
  const total = computed.map((c) => spread(c.result.payload.totalNorm))
  out.text(COMPUTED)
  out.text(
    formatTable(
      ['layer', ...labels],
      [...layerKeys.map((k) => [k, ...computed.map((c) => cell(c, k))]), ['total', ...total]],
    ),
  )
  if (computed.every((c) => c.logged === null)) return
  const loggedCell = (c: CheckpointGradients, k: string): string =>
    c.logged?.[k] === undefined ? '–' : num(c.logged[k])
  out.text(LOGGED)
  out.text(
    formatTable(
      ['layer', ...labels],
      layerKeys.map((k) => [k, ...computed.map((c) => loggedCell(c, k))]),
    ),
  )
}

function jsonOf(target: Target, computed: CheckpointGradients[]) {
  return {
    run: target.run === null ? null : { id: target.run.id, name: target.run.name },
    computedLabel: COMPUTED,
    loggedLabel: LOGGED,
    checkpoints: computed.map(({ checkpoint, result, logged }) => ({
      checkpointId: checkpoint.id,
      label: checkpoint.label,
      epoch: checkpoint.epoch,
      variant: checkpoint.variant,
      result,
      logged,
    })),
  }
}

export function registerGrads(program: Command): void {
  const command = addTargetOptions(
    program
      .command('grads')
      .description(
        'loss-gradient norms per parameter, layer and block output through a backward graph of standard ONNX ops (BatchNorm in inference mode), at a checkpoint or at every checkpoint of a run, beside the norms training logged',
      ),
  )
  addImageOptions(command)
    .option(
      '--gradient-batch <n>',
      'images per gradient (one sample per batch)',
      positiveInteger,
      32,
    )
    .option('--no-block-outputs', 'skip the norms of ∂L/∂(block output)')
    .action(async (checkpoint: string | undefined, options: GradsOptions, cmd: Command) => {
      await withService(cmd, async (service, out) => {
        const target = await targetOf(service, checkpoint, options)
        const computed = await computeAll(service, target, options, out)
        if (out.isJson) return out.json(jsonOf(target, computed))
        if (target.isWholeRun && target.run !== null)
          return printTrajectory(target.run, computed, out)
        printCheckpoint(computed[0], out)
      })
    })
}
