import { CORRUPTION_NAMES } from '../../../../electron/api/contract/index.ts'
import type {
  CorruptionCell,
  CorruptionName,
  DatasetRequest,
  ResultSummary,
  T3aDomain,
} from '../../../../electron/api/contract/index.ts'
import { datasetLabel } from '../../components/common/format.ts'

/** The cells of one corruption sweep stored in the workspace, as T3A domains. */
export interface StoredSweep {
  key: string
  label: string
  /** The checkpoints that have cells of it. */
  checkpointIds: number[]
  /** 'clean' first (generated sweeps), then each (corruption, severity) cell in the protocol's order. */
  domains: T3aDomain[]
}

interface SweepCellOf {
  key: string
  label: string
  name: CorruptionName
  severity: number
  domain: T3aDomain
  clean: DatasetRequest | null
}

/** A sweep cell's evaluation: generated (parameters.corruption) or read from a precomputed set. */
function cellOf(summary: ResultSummary): SweepCellOf | null {
  const { dataset, parameters, datasetFingerprint } = summary.provenance
  if (dataset === null) return null
  const corruption = (parameters['corruption'] ?? null) as CorruptionCell | null
  if (corruption) {
    const { seed, jpegQuality, padding } = corruption
    const how = `seed ${seed}${jpegQuality === null ? '' : `, JPEG q${jpegQuality}`}, corrupted ${padding} padding`
    return {
      key: JSON.stringify(['generated', datasetFingerprint, seed, jpegQuality, padding]),
      label: `${datasetLabel(dataset)} · generated (${how})`,
      name: corruption.name,
      severity: corruption.severity,
      domain: { label: `${corruption.name} ${corruption.severity}`, dataset, corruption },
      clean: dataset,
    }
  }
  const slice = dataset.corrupted
  if (!slice) return null
  const { corruption: _c, severity: _s, ...layout } = slice
  return {
    key: JSON.stringify(['precomputed', { ...dataset, corrupted: layout }]),
    label: `${datasetLabel(dataset)} · precomputed (${slice.layout})`,
    name: slice.corruption,
    severity: slice.severity,
    domain: { label: `${slice.corruption} ${slice.severity}`, dataset, corruption: null },
    clean: null,
  }
}

const order = (cell: SweepCellOf): number =>
  CORRUPTION_NAMES.indexOf(cell.name) * 10 + cell.severity

/**
 * The corruption sweeps whose cells are stored (evaluations under a corruption), each with its
 * cells as T3A domains: the same images and the same cell, so T3A reads the features of exactly
 * what the sweep evaluated. `labelOf` names the checkpoints.
 */
export function storedSweeps(
  evaluations: readonly ResultSummary[],
  labelOf: (checkpointId: number) => string,
): StoredSweep[] {
  const byKey = new Map<string, { first: SweepCellOf; cells: Map<string, SweepCellOf> }>()
  const checkpoints = new Map<string, Set<number>>()
  for (const summary of evaluations) {
    const cell = cellOf(summary)
    if (!cell) continue
    const entry = byKey.get(cell.key) ?? { first: cell, cells: new Map() }
    entry.cells.set(cell.domain.label, entry.cells.get(cell.domain.label) ?? cell)
    byKey.set(cell.key, entry)
    const ids = checkpoints.get(cell.key) ?? new Set()
    if (summary.checkpointId !== null) ids.add(summary.checkpointId)
    checkpoints.set(cell.key, ids)
  }
  return [...byKey.entries()].map(([key, { first, cells }]) => {
    const sorted = [...cells.values()].sort((a, b) => order(a) - order(b))
    const ids = [...(checkpoints.get(key) ?? [])]
    const names = new Set(sorted.map((c) => c.name)).size
    const severities = new Set(sorted.map((c) => c.severity)).size
    const who = ids.map(labelOf).join(', ') || 'no checkpoint'
    const clean: T3aDomain[] = first.clean
      ? [{ label: 'clean', dataset: first.clean, corruption: null }]
      : []
    return {
      key,
      label: `${first.label} · ${names} corruption${names === 1 ? '' : 's'} × ${severities} severit${severities === 1 ? 'y' : 'ies'} · ${who}`,
      checkpointIds: ids,
      domains: [...clean, ...sorted.map((c) => c.domain)],
    }
  })
}
