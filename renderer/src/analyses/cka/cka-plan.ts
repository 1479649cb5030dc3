// The `cka:compute` requests a CKA form asks for: one comparison, or one per run of a run group.
import type { CkaRequest, RunDetail } from '../../../../electron/api/contract/index.ts'
import { parseTaps } from '@analysis/shared/tap-list.ts'
import { ckaRequest, epochCheckpoints, runInputPixels } from '@analysis/cka/cka-request.ts'
import { commonEpochs } from './cka-spec.ts'
import type { CkaKind, CkaSpec } from './cka-spec.ts'

/** One `cka:compute` request and what it stands for in the results. */
export interface Planned {
  request: CkaRequest
  /** The run it belongs to in a run group. */
  run: RunDetail | null
}

/** The requests a form asks for and how their answers are shown. */
export interface CkaPlan {
  kind: CkaKind
  isGroup: boolean
  items: Planned[]
  /** Checkpoint ids involved (labels, synthetic badge). */
  checkpointIds: number[]
  /** timeline: the epochs in order. */
  epochs: number[]
  notes: string[]
}

/** What a plan needs to know of the workspace. */
export interface PlanContext {
  runs: RunDetail[]
  runOf: (checkpointId: number) => RunDetail | null
  epochOf: (checkpointId: number) => number | null
}

function request(s: CkaSpec, kind: CkaKind, ids: number[], pixels: number): CkaRequest {
  return ckaRequest({
    kind,
    checkpointIds: ids,
    dataset: { ...s.dataset!, sample: null, limit: s.limit },
    preprocessing: null,
    taps: parseTaps(s.taps),
    estimator: s.estimator,
    batchSize: s.batchSize,
    orderSeed: s.orderSeed,
    spatialPooling: s.spatialPooling,
    provider: s.provider,
    inputPixels: pixels,
  })
}

function timelineRequest(
  s: CkaSpec,
  run: RunDetail,
  referenceId: number,
  epochs: number[] | null,
): CkaRequest | null {
  const variant = run.checkpoints.find((c) => c.id === referenceId)?.variant ?? ''
  const ids = epochCheckpoints(run, variant)
    .filter((c) => epochs === null || epochs.includes(c.epoch!))
    .map((c) => c.id)
  if (ids.length < 2) return null
  return {
    ...request(s, 'timeline', ids, runInputPixels(run)),
    referenceId,
    gridLayer: s.gridLayer,
  }
}

function singlePlan(s: CkaSpec, context: PlanContext): CkaPlan | string {
  const a = s.a
  if (a === null) return 'Choose a checkpoint.'
  const run = context.runOf(a)
  const pixels = runInputPixels(run)
  const base = { kind: s.kind, isGroup: false, notes: [] as string[] }
  if (s.kind === 'within')
    return {
      ...base,
      items: [{ request: request(s, 'within', [a], pixels), run }],
      checkpointIds: [a],
      epochs: [],
    }
  if (s.kind === 'pair') {
    if (s.b === null) return 'Choose checkpoint B.'
    if (s.b === a) return 'Choose two different checkpoints.'
    return {
      ...base,
      items: [
        { request: request(s, 'within', [a], pixels), run },
        { request: request(s, 'within', [s.b], pixels), run: context.runOf(s.b) },
        { request: request(s, 'pair', [a, s.b], pixels), run },
      ],
      checkpointIds: [a, s.b],
      epochs: [],
    }
  }
  if (!run) return 'A timeline needs a checkpoint of an imported run.'
  const timeline = timelineRequest(s, run, a, null)
  if (!timeline) return `${run.name} has fewer than two epochs of this export.`
  return {
    ...base,
    items: [{ request: timeline, run }],
    checkpointIds: timeline.checkpointIds,
    epochs: timeline.checkpointIds.map((id) => context.epochOf(id) ?? 0),
  }
}

function groupPlan(s: CkaSpec, tag: string, context: PlanContext): CkaPlan | string {
  const members = context.runs.filter((r) => r.tags.includes(tag))
  const epoch = s.groupEpoch
  if (members.length < 2) return `Fewer than two runs carry the tag '${tag}'.`
  if (epoch === null) return 'These runs have no epoch in common.'
  const pixels = runInputPixels(members[0])
  const plainAt = (run: RunDetail): number =>
    epochCheckpoints(run).find((c) => c.epoch === epoch)?.id as number
  const at = members.map((run) => ({ run, id: plainAt(run) }))
  const base = { kind: s.kind, isGroup: true, notes: [] as string[] }
  if (s.kind === 'within')
    return {
      ...base,
      items: at.map(({ run, id }) => ({ request: request(s, 'within', [id], pixels), run })),
      checkpointIds: at.map((m) => m.id),
      epochs: [epoch],
    }
  if (s.kind === 'pair') {
    const items = at.flatMap((x, i) =>
      at
        .slice(i + 1)
        .map((y) => ({ request: request(s, 'pair', [x.id, y.id], pixels), run: null })),
    )
    return { ...base, items, checkpointIds: at.map((m) => m.id), epochs: [epoch] }
  }
  const epochs = commonEpochs(members)
  const items: Planned[] = []
  for (const { run, id } of at) {
    const timeline = timelineRequest(s, run, id, epochs)
    if (!timeline) return `${run.name} has fewer than two epochs in common with the group.`
    items.push({ request: timeline, run })
  }
  return {
    ...base,
    items,
    checkpointIds: items.flatMap((item) => item.request.checkpointIds),
    epochs,
  }
}

/** The plan of a form, or why it cannot be computed yet (shown under the form). */
export function planCka(s: CkaSpec, context: PlanContext): CkaPlan | string {
  if (!s.dataset) return 'Choose the images.'
  return s.group ? groupPlan(s, s.group, context) : singlePlan(s, context)
}
