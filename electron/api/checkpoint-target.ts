import { resolve } from 'node:path'
import type { DbHandle } from '../../db/index.ts'
import { getCheckpoint, listCheckpoints } from '../../db/index.ts'
import { RequestError } from './errors.ts'

export interface CheckpointTarget {
  checkpointId: number | null
  modelPath: string | null
}

const RUN_EPOCH = /^(.+)@(\d+)(?:\.([\w.-]+))?$/

/** A checkpoint id, '<run>@<epoch>[.<variant>]' (seed0@10, seed0@10.bn), or a model file path. */
export function resolveCheckpointTarget(
  db: DbHandle,
  text: string,
  resolveRunId: (run: string) => number,
): CheckpointTarget {
  if (/^\d+$/.test(text) && getCheckpoint(db, Number(text)))
    return { checkpointId: Number(text), modelPath: null }
  const match = RUN_EPOCH.exec(text)
  if (!match) return { checkpointId: null, modelPath: resolve(text) }
  const [, run, epoch, variant = ''] = match
  const runId = resolveRunId(run)
  const found = listCheckpoints(db, runId).find(
    (c) => c.epoch === Number(epoch) && c.variant === variant,
  )
  if (!found) {
    throw new RequestError(
      'NOT_IN_WORKSPACE',
      `Run '${run}' has no checkpoint for epoch ${epoch}${variant ? ` (variant '${variant}')` : ''} (see 'runs ${run}').`,
    )
  }
  return { checkpointId: found.id, modelPath: null }
}

/** A run by numeric id, or by name when exactly one run has it. */
export function resolveRunId(
  runs: readonly { id: number; name: string }[],
  idOrName: string,
  workspaceFolder: string,
): number {
  const byId = /^\d+$/.test(idOrName) ? runs.find((r) => r.id === Number(idOrName)) : undefined
  const byName = runs.filter((r) => r.name === idOrName)
  if (byId) return byId.id
  if (byName.length === 1) return byName[0].id
  const reason =
    byName.length > 1
      ? `${byName.length} runs are named '${idOrName}': use the id`
      : `no run '${idOrName}'`
  throw new RequestError(
    'NOT_IN_WORKSPACE',
    `There is ${reason} in '${workspaceFolder}' (see 'runs').`,
  )
}
