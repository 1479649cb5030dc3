import type { DbHandle, MergeableResult, Workspace } from '../../../db/index.ts'
import {
  checkpointSha256OfPath,
  checkpointsOfSha256,
  currentMetricRows,
  datasetIdOf,
  insertMergedResult,
  insertMetricRows,
  insertStoredRow,
  resultOfRequestHash,
  runIdOfFolder,
  storedRow,
} from '../../../db/index.ts'
import type { Provenance } from '../contract/index.ts'
import { RequestError } from '../errors.ts'
import { provenanceDifference } from './provenance-match.ts'

export interface MergeCounts {
  added: number
  alreadyPresent: number
}

/** What one source workspace brought: rows added and rows the target held already. */
export interface MergeSourceReport {
  workspace: string
  results: MergeCounts
  checkpoints: MergeCounts
  runs: MergeCounts
  datasets: MergeCounts
  blobs: MergeCounts
}

export interface MergeSource {
  folder: string
  db: DbHandle
  results: MergeableResult[]
}

/** Rows added by this merge so far, so the next source sees them (and their origin) too. */
export interface MergeState {
  results: Map<string, { provenance: string; from: string }>
  checkpointsBySha: Map<string, number>
  checkpointPaths: Map<string, { sha256: string; from: string }>
  runs: Map<string, number>
  datasets: Map<string, number>
  nextDryId: number
}

export function newMergeState(): MergeState {
  const maps = { checkpointsBySha: new Map(), checkpointPaths: new Map() }
  return { results: new Map(), ...maps, runs: new Map(), datasets: new Map(), nextDryId: -1 }
}

const counts = (): MergeCounts => ({ added: 0, alreadyPresent: 0 })
const short = (sha: string): string => sha.slice(0, 12)

function conflict(source: string, other: string, item: string, difference: string): never {
  throw new RequestError(
    'MERGE_CONFLICT',
    `Cannot merge '${source}': ${item} differs from the one in '${other}' (${difference}). Nothing was merged; merge only workspaces computed from the same files with the same app and runtime, or recompute one of them.`,
  )
}

function describeResult(result: MergeableResult, provenance: Provenance): string {
  const corruption = (provenance.parameters as { corruption?: { name: string; severity: number } })
    .corruption
  const cell = corruption ? ` under ${corruption.name} severity ${corruption.severity}` : ''
  return `the ${result.kind} result of '${provenance.modelFile}' ${provenance.dataset === null ? '' : ` on '${provenance.dataset.path}'`}${cell} (request ${short(result.requestHash)})`
}

/**
 * Copies one source's results, and the checkpoints, runs and datasets they refer to, into the
 * target; identity is content, never a row id: a result by its request hash, a checkpoint by its
 * model's sha256, a run by its folder, a dataset by path and fingerprint. Throws MERGE_CONFLICT
 * before writing anything of an incompatible item. With `write` false nothing is written (the
 * check before the blob files are copied); ids of rows that would be added are negative.
 */
export function mergeRows(
  target: Workspace,
  source: MergeSource,
  state: MergeState,
  write: boolean,
): Omit<MergeSourceReport, 'blobs'> & { blobShas: Set<string> } {
  const report = {
    workspace: source.folder,
    results: counts(),
    checkpoints: counts(),
    runs: counts(),
    datasets: counts(),
    blobShas: new Set<string>(),
  }
  const dryId = (): number => state.nextDryId--
  const checkpointIds = new Map<number, number>()
  const datasetIds = new Map<number, number>()

  function mapRun(sourceId: number): number {
    const row = storedRow(source.db, 'runs', sourceId)!
    const folder = row.folder as string
    const known = state.runs.get(folder) ?? runIdOfFolder(target.db, folder)
    if (known !== null) {
      report.runs.alreadyPresent += 1
      return known
    }
    const id = write ? insertStoredRow(target.db, 'runs', row) : dryId()
    if (write)
      insertMetricRows(
        target.db,
        id,
        row.metrics_generation as number,
        currentMetricRows(source.db, sourceId),
      )
    state.runs.set(folder, id)
    report.runs.added += 1
    return id
  }

  function mapCheckpoint(sourceId: number): number {
    const row = storedRow(source.db, 'checkpoints', sourceId)!
    const [sha256, path] = [row.sha256 as string, row.path as string]
    const samePath = (c: { path: string }) => c.path === path
    const held = checkpointsOfSha256(target.db, sha256)
    const known = state.checkpointsBySha.get(sha256) ?? (held.find(samePath) ?? held[0])?.id
    if (known !== undefined) {
      report.checkpoints.alreadyPresent += 1
      return known
    }
    const added = state.checkpointPaths.get(path)
    const other = added ?? { sha256: checkpointSha256OfPath(target.db, path), from: target.folder }
    if (other.sha256 !== null)
      conflict(
        source.folder,
        other.from,
        `checkpoint file '${path}'`,
        `model sha256 ${short(sha256)} here vs ${short(other.sha256)} there: the file changed between the runs`,
      )
    const runId = row.run_id === null ? null : mapRun(row.run_id as number)
    const id = write ? insertStoredRow(target.db, 'checkpoints', row, { run_id: runId }) : dryId()
    state.checkpointsBySha.set(sha256, id)
    state.checkpointPaths.set(path, { sha256, from: source.folder })
    report.checkpoints.added += 1
    return id
  }

  function mapDataset(sourceId: number): number {
    const row = storedRow(source.db, 'datasets', sourceId)!
    const key = `${row.path as string}\n${row.fingerprint as string}`
    const known =
      state.datasets.get(key) ??
      datasetIdOf(target.db, row.path as string, row.fingerprint as string)
    if (known !== null) {
      report.datasets.alreadyPresent += 1
      return known
    }
    const id = write ? insertStoredRow(target.db, 'datasets', row) : dryId()
    state.datasets.set(key, id)
    report.datasets.added += 1
    return id
  }

  const memo = (ids: Map<number, number>, map: (id: number) => number) => (id: number) => {
    if (!ids.has(id)) ids.set(id, map(id))
    return ids.get(id)!
  }
  const checkpointOf = memo(checkpointIds, mapCheckpoint)
  const datasetOf = memo(datasetIds, mapDataset)

  for (const result of source.results) {
    const provenance = JSON.parse(result.provenance) as Provenance
    const stored = resultOfRequestHash(target.db, result.requestHash)
    const existing =
      state.results.get(result.requestHash) ??
      (stored && { provenance: stored.provenance, from: target.folder })
    if (existing) {
      const ours = JSON.parse(existing.provenance) as Provenance
      const difference = provenanceDifference(provenance, ours)
      if (difference !== null)
        conflict(source.folder, existing.from, describeResult(result, provenance), difference)
      report.results.alreadyPresent += 1
      continue
    }
    const ids = {
      checkpointId: result.checkpointId === null ? null : checkpointOf(result.checkpointId),
      datasetId: result.datasetId === null ? null : datasetOf(result.datasetId),
    }
    if (write) insertMergedResult(target.db, result, ids)
    state.results.set(result.requestHash, {
      provenance: result.provenance,
      from: source.folder,
    })
    for (const blob of result.blobs) report.blobShas.add(blob.sha256)
    report.results.added += 1
  }
  return report
}
