import { datasetGroups } from '../datasets/dataset-groups.ts'
import type {
  CheckpointInfo,
  DatasetEntry,
  RunDetail,
  RunInfo,
} from '../../../../electron/api/contract/index.ts'
import type { OpenedModel, RunGroup } from '../../stores/workspace.ts'

export type LibrarySection = 'groups' | 'runs' | 'datasets' | 'models'

/** One focusable row of the library; `to` is the route Enter opens. */
export type LibraryItem = { key: string; section: LibrarySection; depth: 0 | 1; to: string } & (
  | { kind: 'group'; group: RunGroup }
  | { kind: 'run'; run: RunInfo; isExpanded: boolean; isLoading: boolean }
  | { kind: 'checkpoint'; checkpoint: CheckpointInfo; run: RunInfo }
  | { kind: 'dataset'; dataset: DatasetEntry }
  | { kind: 'model'; model: OpenedModel }
)

export interface LibraryInput {
  runs: RunInfo[]
  groups: RunGroup[]
  datasets: DatasetEntry[]
  models: OpenedModel[]
  details: ReadonlyMap<number, RunDetail>
  expanded: ReadonlySet<number>
  query: string
}

function matches(query: string, ...texts: (string | null | undefined)[]): boolean {
  const haystack = texts.join(' ').toLowerCase()
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => haystack.includes(word))
}

export function checkpointText(checkpoint: CheckpointInfo): string {
  const file = checkpoint.path.split(/[\\/]/).at(-1) ?? ''
  const bn = checkpoint.isBnFolded ? 'folded' : 'bn kept'
  return `epoch ${checkpoint.epoch ?? '?'} ${checkpoint.variant} ${bn} ${file}`
}

function runItems(input: LibraryInput): LibraryItem[] {
  const { query } = input
  const items: LibraryItem[] = []
  const byName = [...input.runs].sort((a, b) =>
    a.name.localeCompare(b.name, undefined, { numeric: true }),
  )
  for (const run of byName) {
    const detail = input.details.get(run.id)
    const runMatches = !query || matches(query, run.name, run.tags.join(' '), run.folder)
    const checkpoints = (detail?.checkpoints ?? []).filter(
      (c) => runMatches || matches(query, checkpointText(c)),
    )
    if (!runMatches && checkpoints.length === 0) continue
    const isExpanded = input.expanded.has(run.id) || (!!query && !runMatches)
    items.push({
      key: `run:${run.id}`,
      section: 'runs',
      depth: 0,
      to: `/run/${run.id}`,
      kind: 'run',
      run,
      isExpanded,
      isLoading: isExpanded && !detail,
    })
    if (!isExpanded) continue
    for (const checkpoint of checkpoints) {
      items.push({
        key: `checkpoint:${checkpoint.id}`,
        section: 'runs',
        depth: 1,
        to: `/checkpoint/${checkpoint.id}`,
        kind: 'checkpoint',
        checkpoint,
        run,
      })
    }
  }
  return items
}

/** The rows the library shows for a search, in keyboard order. */
export function libraryItems(input: LibraryInput): LibraryItem[] {
  const { query } = input
  const groups: LibraryItem[] = input.groups
    .filter((g) => !query || matches(query, g.tag, ...g.runs.map((r) => r.name)))
    .map((group) => ({
      key: `group:${group.tag}`,
      section: 'groups',
      depth: 0,
      to: `/run/${group.runs[0].id}?overlay=${encodeURIComponent(`tag:${group.tag}`)}`,
      kind: 'group',
      group,
    }))
  const datasets: LibraryItem[] = datasetGroups(input.datasets)
    .filter(({ main }) => !query || matches(query, main.name, main.path, main.split))
    .flatMap(({ main, selections }) =>
      [main, ...selections].map((dataset, i): LibraryItem => ({
        key: `dataset:${dataset.id}`,
        section: 'datasets',
        depth: i === 0 ? 0 : 1,
        to: `/analyze?dataset=${dataset.id}`,
        kind: 'dataset',
        dataset,
      })),
    )
  const models: LibraryItem[] = input.models
    .filter((m) => !query || matches(query, m.fileName))
    .map((model) => ({
      key: `model:${model.checkpointId}`,
      section: 'models',
      depth: 0,
      to: `/checkpoint/${model.checkpointId}`,
      kind: 'model',
      model,
    }))
  return [...runItems(input), ...groups, ...datasets, ...models]
}
