import type { DbHandle, ResultRecord } from '../../../db/index.ts'
import { listResultsOfCheckpoint, saveResult, writeTransaction } from '../../../db/index.ts'
import { moduleOfKind } from '../analyses/index.ts'
import type { JobRequest, Provenance } from '../contract/index.ts'
import { RequestError } from '../errors.ts'
import { provenanceDifference } from './provenance-match.ts'

type Shard = { index: number; count: number }

const shardOf = (record: ResultRecord): Shard | undefined =>
  (record.provenance.parameters as { shard?: Shard } | undefined)?.shard

function withoutShard(provenance: Provenance): Provenance {
  const { shard: _shard, ...parameters } = provenance.parameters
  return { ...provenance, parameters }
}

/** Every shard of one complete set among the stored results, in shard order, or null. */
async function completeShardSet(
  candidates: readonly ResultRecord[],
  request: JobRequest,
  hashOf: (request: JobRequest) => Promise<string>,
): Promise<ResultRecord[] | null> {
  const sets = new Map<number, Map<number, ResultRecord>>()
  for (const record of candidates) {
    const shard = shardOf(record)
    if (shard === undefined) continue
    // Only a shard of exactly this request: its hash is the request's with that shard.
    if ((await hashOf({ ...request, shard } as JobRequest)) !== record.requestHash) continue
    const set = sets.get(shard.count) ?? new Map<number, ResultRecord>()
    sets.set(shard.count, set.set(shard.index, record))
  }
  for (const [count, set] of [...sets].sort(([a], [b]) => a - b))
    if (set.size === count) return Array.from({ length: count }, (_, i) => set.get(i)!)
  return null
}

/**
 * When the workspace holds every shard of a request (computed here or merged from other
 * workspaces) but not the request itself, the whole result joined from them, stored under the
 * request's hash (no job: job_id NULL); null otherwise. Shards computed on incompatible
 * provenance (another dataset content, runtime) are refused, not joined.
 */
export async function joinStoredShards(
  db: DbHandle,
  request: JobRequest,
  place: { checkpointId: number | null; requestHash: string },
  hashOf: (request: JobRequest) => Promise<string>,
): Promise<ResultRecord | null> {
  const module = moduleOfKind(request.kind)
  if (!module.joinShards || place.checkpointId === null || 'shard' in request) return null
  const candidates = listResultsOfCheckpoint(db, place.checkpointId).filter(
    (record) => record.kind === request.kind,
  )
  const shards = await completeShardSet(candidates, request, hashOf)
  if (shards === null) return null
  const provenances = shards.map((s) => withoutShard(s.provenance as unknown as Provenance))
  for (const [i, provenance] of provenances.entries()) {
    const difference = provenanceDifference(provenances[0], provenance)
    if (difference !== null)
      throw new RequestError(
        'MERGE_CONFLICT',
        `Shards 0 and ${i} of this ${request.kind} request were computed differently (${difference}): recompute one of them.`,
      )
  }
  const payload = module.joinShards(
    request,
    shards.map((s) => s.payload as never),
  )
  const elapsedMs = provenances.reduce((sum, p) => sum + p.elapsedMs, 0)
  return writeTransaction(db, () =>
    saveResult(db, {
      jobId: null,
      kind: request.kind,
      checkpointId: place.checkpointId,
      datasetId: shards[0].datasetId,
      requestHash: place.requestHash,
      provenance: { ...provenances[0], elapsedMs },
      payload,
      headline: module.headline(payload as never),
      blobs: [],
    }),
  )
}
