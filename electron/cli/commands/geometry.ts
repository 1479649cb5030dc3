import { Option } from 'commander'
import type { Command } from 'commander'
import type {
  ExecutionProvider,
  ResultInfo,
  WeightGeometryRequest,
  WeightGeometryResult,
} from '../../api/contract/index.ts'
import type { WorkbenchService } from '../../api/service.ts'
import { formatTable } from '../format.ts'
import type { Output } from '../output.ts'
import { runJobToResult } from '../run-job.ts'
import { withService } from '../service-host.ts'
import { addTargetOptions, targetOf } from './checkpoint-or-run.ts'
import type { Target, TargetCheckpoint, TargetOptions } from './checkpoint-or-run.ts'

interface GeometryOptions extends TargetOptions {
  provider: ExecutionProvider
}

interface CheckpointGeometry {
  checkpoint: TargetCheckpoint
  result: ResultInfo<WeightGeometryResult>
}

const num = (x: number): string => x.toPrecision(4)

async function computeAll(
  service: WorkbenchService,
  target: Target,
  provider: ExecutionProvider,
  out: Output,
): Promise<CheckpointGeometry[]> {
  const computed: CheckpointGeometry[] = []
  for (const checkpoint of target.checkpoints) {
    const request: WeightGeometryRequest = {
      kind: 'weight-geometry',
      checkpointId: checkpoint.id,
      modelPath: null,
      provider,
    }
    const result = (await runJobToResult(service, request, out)) as ResultInfo<WeightGeometryResult>
    computed.push({ checkpoint, result })
  }
  return computed
}

function printCheckpoint({ checkpoint, result }: CheckpointGeometry, out: Output): void {
  const p = result.payload
  out.text(
    `${checkpoint.label}: geometry of ${p.layers.length} conv and linear weights, rows = filters, W as (out, in·k·k) (result ${result.id})`,
  )
  if (p.isBnFolded)
    out.text(
      'note: BatchNorm is folded into this export: the weights are W·γ/σ, not the trained W.',
    )
  const rows = p.layers.map((l) => [
    String(l.depth),
    l.parameterKey ?? l.initializer,
    `${l.rows}×${l.columns}`,
    num(l.frobenius),
    num(l.orthogonality),
    `${num(l.regularizer)}${l.regularizerFloor > 0 ? ` (floor ${num(l.regularizerFloor)})` : ''}`,
    num(l.meanAbsCos),
    num(l.stableRank),
    num(l.effectiveRank),
  ])
  const header = ['depth', 'weight', 'n×m', '‖W‖F', '‖ŴŴᵀ−I‖²/n²', '‖WWᵀ−I‖²/n²', 'mean |cos|']
  out.text(formatTable([...header, 'stable rank', 'effective rank'], rows))
  const s = p.summary
  out.text(
    `parameter-weighted means: orthogonality ${num(s.orthogonality)}, mean |cos| ${num(s.meanAbsCos)}, effective rank / min(n, m) ${num(s.effectiveRankRatio)}; ${(p.timings.total / 1000).toFixed(2)} s`,
  )
}

/** Weights down, checkpoints across: the normalised orthogonality, then the summary. */
function printTrajectory(target: Target, computed: CheckpointGeometry[], out: Output): void {
  out.text(
    `run '${target.run?.name ?? ''}': ‖ŴŴᵀ−I‖²/n² (rows normalised) per weight at ${computed.length} checkpoints`,
  )
  const labels = computed.map((c) => c.checkpoint.label)
  const first = computed[0]?.result.payload.layers ?? []
  const rows = first.map((layer, index) => [
    layer.parameterKey ?? layer.initializer,
    ...computed.map((c) => {
      const same = c.result.payload.layers[index]
      return same === undefined ? '–' : num(same.orthogonality)
    }),
  ])
  const summary = (pick: (s: WeightGeometryResult['summary']) => number) =>
    computed.map((c) => num(pick(c.result.payload.summary)))
  rows.push(
    ['weighted mean', ...summary((s) => s.orthogonality)],
    ['mean |cos|', ...summary((s) => s.meanAbsCos)],
    ['eff. rank ratio', ...summary((s) => s.effectiveRankRatio)],
  )
  out.text(formatTable(['weight', ...labels], rows))
}

export function registerGeometry(program: Command): void {
  addTargetOptions(
    program
      .command('geometry')
      .description(
        'weight geometry of every conv and linear weight (orthogonality, mean |cos| between filters, singular values, stable and effective rank) at a checkpoint or at every checkpoint of a run; reads weights only',
      ),
  )
    .addOption(
      new Option('--provider <provider>', 'execution provider (the Gram products run on the CPU)')
        .choices(['auto', 'cuda', 'dml', 'cpu'])
        .default('cpu'),
    )
    .action(async (checkpoint: string | undefined, options: GeometryOptions, cmd: Command) => {
      await withService(cmd, async (service, out) => {
        const target = await targetOf(service, checkpoint, options)
        const computed = await computeAll(service, target, options.provider, out)
        if (out.isJson)
          return out.json({
            run: target.run === null ? null : { id: target.run.id, name: target.run.name },
            checkpoints: computed.map(({ checkpoint: c, result }) => ({
              ...{ checkpointId: c.id, label: c.label, epoch: c.epoch, variant: c.variant },
              result,
            })),
          })
        if (target.isWholeRun) return printTrajectory(target, computed, out)
        printCheckpoint(computed[0], out)
      })
    })
}
