import { InvalidArgumentError } from 'commander'
import type { Command } from 'commander'
import type { RunDetail } from '../../api/contract/index.ts'
import type { WorkbenchService } from '../../api/service.ts'
import { CHECKPOINT_HELP, checkpointIdOf } from '../job-options.ts'
import { runIdOf } from '../lookups.ts'

export interface TargetOptions {
  run?: string
  variant: string
}

export interface TargetCheckpoint {
  id: number
  epoch: number | null
  variant: string
  /** 'seed0@3.bn', or the file name of a checkpoint outside any run. */
  label: string
}

/** The checkpoints a command covers, and their run (null for a model outside any run). */
export interface Target {
  run: RunDetail | null
  checkpoints: TargetCheckpoint[]
  isWholeRun: boolean
}

/** `[checkpoint]` or `--run <run>` (every checkpoint of one variant, in epoch order). */
export function addTargetOptions(command: Command): Command {
  return command
    .argument('[checkpoint]', CHECKPOINT_HELP)
    .option('-r, --run <run>', 'every checkpoint of an imported run (id or name): a trajectory')
    .option(
      '--variant <name>',
      "with --run: the checkpoints of this export variant ('' for epoch_N.onnx, 'bn' for epoch_N.bn.onnx)",
      '',
    )
}

export async function targetOf(
  service: WorkbenchService,
  checkpoint: string | undefined,
  options: TargetOptions,
): Promise<Target> {
  if ((checkpoint === undefined) === (options.run === undefined))
    throw new InvalidArgumentError('Give either a checkpoint or --run <run>, not both.')
  if (checkpoint !== undefined) {
    const id = await checkpointIdOf(service, checkpoint)
    const runId = service.checkpointRunId(id)
    const run = runId === null ? null : service.getRun(runId)
    const info = run?.checkpoints.find((c) => c.id === id)
    const single = {
      id,
      epoch: info?.epoch ?? null,
      variant: info?.variant ?? '',
      label: service.checkpointLabel(id),
    }
    return { run, checkpoints: [single], isWholeRun: false }
  }
  const run = service.getRun(runIdOf(service, options.run!))
  const checkpoints = run.checkpoints
    .filter((c) => c.variant === options.variant)
    .sort((a, b) => (a.epoch ?? 0) - (b.epoch ?? 0))
    .map((c) => ({
      id: c.id,
      epoch: c.epoch,
      variant: c.variant,
      label: service.checkpointLabel(c.id),
    }))
  if (checkpoints.length === 0) {
    const variants = [...new Set(run.checkpoints.map((c) => `'${c.variant}'`))].join(', ')
    throw new InvalidArgumentError(
      `Run '${run.name}' has no checkpoint of variant '${options.variant}'; it has ${variants || 'none'} (--variant).`,
    )
  }
  return { run, checkpoints, isWholeRun: true }
}
