import { InvalidArgumentError } from 'commander'
import { parseShard, shardUnits } from '../../native-models/analysis/shared/shard.ts'
import type { Shard } from '../../native-models/analysis/shared/shard.ts'
import type { JobRequest } from '../api/contract/index.ts'
import type { WorkbenchService } from '../api/service.ts'
import type { Output } from './output.ts'
import { runJobToResult } from './run-job.ts'

export const SHARD_HELP =
  'compute only shard i of n (0-based: 0/4 … 3/4) and store it here; merge the shards’ workspaces with `merge`'

/** Commander's parser for --shard i/n. */
export function shardOption(text: string): Shard {
  try {
    return parseShard(text)
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message)
  }
}

/** What one shard did, instead of a summary that would be wrong on part of the work. */
export interface ShardReport {
  shard: Shard
  /** What a unit is: 'sweep cells', '(σ, sample) pairs'. */
  unit: string
  /** Units of the whole request. */
  totalUnits: number
  /** Units this shard computes (or found stored). */
  shardUnits: number
  /** Units of the whole request stored in this workspace: this shard's and any merged in. */
  storedUnits: number
  isComplete: boolean
}

/** Runs the jobs of one shard of a derived request's jobs, then counts what the workspace holds. */
export async function runJobShard(
  service: WorkbenchService,
  jobs: readonly JobRequest[],
  shard: Shard,
  out: Output,
): Promise<ShardReport> {
  const mine = shardUnits(jobs, shard)
  for (const job of mine) await runJobToResult(service, job, out)
  let storedUnits = 0
  for (const job of jobs) if ((await service.storedResult(job)) !== null) storedUnits += 1
  return {
    shard,
    unit: 'sweep cells',
    totalUnits: jobs.length,
    shardUnits: mine.length,
    storedUnits,
    isComplete: storedUnits === jobs.length,
  }
}

export function printShardReport(report: ShardReport, command: string, out: Output): void {
  const { shard, unit, totalUnits, storedUnits } = report
  out.text(
    `shard ${shard.index}/${shard.count}: ${report.shardUnits} of ${totalUnits} ${unit} computed or found; this workspace holds ${storedUnits} of ${totalUnits}.`,
  )
  out.text(
    report.isComplete
      ? `every unit is stored: run \`${command}\` again without --shard for the summary.`
      : `partial: no summary. Merge the shards’ workspaces (\`resnet-workbench merge <workspace>...\`), then run \`${command}\` without --shard.`,
  )
}
