// What the CKA view draws, from a plan and the answers to its requests in plan order.
import { meanStdMatrices, meanStdSeries } from '@analysis/cka/cka-groups.ts'
import type { CkaMatrix, CkaResult } from '../../../../electron/api/contract/index.ts'
import type { CkaPlan } from './cka-plan.ts'
import type { CkaShown, Grid } from './cka-spec.ts'

function relabel(matrix: CkaMatrix, labels: string[]): CkaMatrix {
  return { ...matrix, rowKeys: labels, columnKeys: labels }
}

function gridOf(values: (number | null)[][], labels: string[]): Grid {
  return { rowKeys: labels, columnKeys: labels, values }
}

function singleShown(p: CkaPlan, list: CkaResult[], label: (id: number) => string): CkaShown {
  if (p.kind === 'timeline') {
    const t = list[0].timeline!
    return {
      kind: 'timeline',
      reference: label(t.referenceId),
      referenceId: t.referenceId,
      epochs: p.epochs,
      lines: t.series.map((s) => ({ key: s.key, values: s.values })),
      grid: relabel(
        list[0].matrices[0],
        p.epochs.map((e) => `epoch ${e}`),
      ),
      gridStd: null,
      gridLayer: list[0].request.gridLayer ?? t.series.at(-1)?.key ?? '',
    }
  }
  if (p.kind === 'within')
    return { kind: 'within', title: label(p.checkpointIds[0]), matrix: list[0].matrices[0] }
  return {
    kind: 'pair',
    a: label(p.checkpointIds[0]),
    b: label(p.checkpointIds[1]),
    aId: p.checkpointIds[0],
    withinA: list[0].matrices[0],
    withinB: list[1].matrices[0],
    pair: list[2].matrices[0],
  }
}

function groupShown(p: CkaPlan, list: CkaResult[], groupEpoch: number | null): CkaShown {
  const names = p.items.map((item) => item.run?.name ?? '')
  if (p.kind === 'timeline') {
    const epochLabels = p.epochs.map((e) => `epoch ${e}`)
    const series = meanStdSeries(list.map((r) => r.timeline!.series))
    const grids = meanStdMatrices(list.map((r) => relabel(r.matrices[0], epochLabels)))
    return {
      kind: 'timeline',
      reference: `each run's epoch ${groupEpoch}`,
      referenceId: p.items[0].request.referenceId!,
      epochs: p.epochs,
      lines: series.map((s) => ({ key: s.key, values: s.mean, std: s.std })),
      grid: gridOf(grids.mean, epochLabels),
      gridStd: gridOf(grids.std, epochLabels),
      gridLayer: list[0].request.gridLayer ?? series.at(-1)?.key ?? '',
      runs: names,
    }
  }
  const spread = meanStdMatrices(list.map((r) => r.matrices[0]))
  const keys = { rowKeys: spread.rowKeys, columnKeys: spread.columnKeys }
  return {
    kind: 'group',
    isPair: p.kind === 'pair',
    runs: names.filter(Boolean),
    count: spread.count,
    epoch: groupEpoch ?? 0,
    structureId: p.checkpointIds[0],
    mean: { ...keys, values: spread.mean },
    std: { ...keys, values: spread.std },
  }
}

/** null until every request of the plan is answered. */
export function shownOf(
  plan: CkaPlan,
  answers: CkaResult[],
  label: (checkpointId: number) => string,
  groupEpoch: number | null,
): CkaShown | null {
  if (answers.length !== plan.items.length) return null
  return plan.isGroup ? groupShown(plan, answers, groupEpoch) : singleShown(plan, answers, label)
}
