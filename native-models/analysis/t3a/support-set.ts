import type { PreparedStream } from './prepared-stream.ts'
import type { AllSupportsBehaviour, SupportFilter } from './types.ts'

// torch.nn.functional.normalize's default eps.
const NORMALIZE_EPS = 1e-12

/** Support ids of one batch grouped by pseudo-label, each group sorted by (entropy, id). */
export type IncomingSupports = readonly (readonly number[])[]

/** Entropy ascending; on ties the older support first, as a stable sort of the stored order. */
export function compareSupports(stream: PreparedStream, a: number, b: number): number {
  return stream.entropies[a] - stream.entropies[b] || a - b
}

/** Stream images [first, end) as support ids C + i, grouped by pseudo-label and sorted. */
export function groupIncoming(stream: PreparedStream, first: number, end: number): number[][] {
  const { classes } = stream.classifier
  const incoming: number[][] = Array.from({ length: classes }, () => [])
  for (let i = first; i < end; i++) incoming[stream.pseudoLabels[classes + i]].push(classes + i)
  for (const group of incoming) group.sort((a, b) => compareSupports(stream, a, b))
  return incoming
}

/** target[at + j] += scale · source[offset + j] for j < dim. */
function addScaledRow(
  target: Float64Array,
  at: number,
  source: Float32Array,
  offset: number,
  scale: number,
  dim: number,
): void {
  for (let j = 0; j < dim; j++) target[at + j] += scale * source[offset + j]
}

/**
 * T3A's supports at one M, one list per class kept sorted by (entropy, age), with each class's
 * sum of L2-normalised supports and its norm. Keeping the lists sorted turns the reference's
 * per-forward sort into a merge of the new batch. A class's sum changes by the supports that
 * come and go, or is summed afresh when that is no more work (always at M = 1), which also keeps
 * rounding from piling up over a long stream.
 */
export class SupportSet {
  private lists: number[][]
  private spare: number[]
  /** C × d: each class's sum of L2-normalised supports, zero for an empty class. */
  readonly sums: Float64Array
  /** C: max(‖sum_k‖, 1e-12), so that the prototype is ĉ_k = sum_k / norms[k]. */
  readonly norms: Float64Array

  private readonly stream: PreparedStream
  private readonly filter: SupportFilter
  private readonly allBehaviour: AllSupportsBehaviour

  /** `sums` and `norms`, if given, are slices (C × d and C) of larger arrays this set writes. */
  constructor(
    stream: PreparedStream,
    filter: SupportFilter,
    allBehaviour: AllSupportsBehaviour,
    slices?: { sums: Float64Array; norms: Float64Array },
  ) {
    this.stream = stream
    this.filter = filter
    this.allBehaviour = allBehaviour
    const { classes, dim } = stream.classifier
    this.sums = slices?.sums ?? new Float64Array(classes * dim)
    this.norms = slices?.norms ?? new Float64Array(classes)
    this.spare = []
    this.lists = Array.from({ length: classes }, () => [])
    for (let id = 0; id < classes; id++) this.lists[stream.pseudoLabels[id]].push(id)
    for (const [k, list] of this.lists.entries()) {
      list.sort((a, b) => compareSupports(stream, a, b))
      this.resum(k)
    }
  }

  /** Appends one batch (`incoming` from groupIncoming), then filters every class. */
  admit(incoming: IncomingSupports): void {
    for (const [k, fresh] of incoming.entries()) {
      const old = this.lists[k]
      const keep = this.keepCount(old.length + fresh.length)
      if (fresh.length === 0 && keep === old.length) continue
      const merged = this.spare
      // Both lists are sorted, so what is kept is a prefix of each.
      const keptFresh = this.merge(old, fresh, keep, merged)
      const keptOld = keep - keptFresh
      this.lists[k] = merged
      if (keptFresh + old.length - keptOld >= keep) this.resum(k)
      else {
        for (let r = keptOld; r < old.length; r++) this.accumulate(k, old[r], -1)
        for (let r = 0; r < keptFresh; r++) this.accumulate(k, fresh[r], 1)
        this.normalise(k)
      }
      this.spare = old
    }
  }

  count(k: number): number {
    return this.lists[k].length
  }

  /** Sum of the entropies of class k's supports. */
  entropySum(k: number): number {
    let total = 0
    for (const id of this.lists[k]) total += this.stream.entropies[id]
    return total
  }

  private keepCount(available: number): number {
    if (this.filter !== 'all') return Math.min(this.filter, available)
    if (this.allBehaviour === 'keep-every-support') return available
    return Math.max(0, available - 1)
  }

  /** Writes the first `keep` of old ∪ fresh in (entropy, age) order; returns how many are fresh. */
  private merge(
    old: readonly number[],
    fresh: readonly number[],
    keep: number,
    into: number[],
  ): number {
    into.length = keep
    let i = 0
    let j = 0
    for (let r = 0; r < keep; r++)
      into[r] =
        j >= fresh.length || (i < old.length && compareSupports(this.stream, old[i], fresh[j]) <= 0)
          ? old[i++]
          : fresh[j++]
    return j
  }

  /** Sums class k's supports afresh, in list order. */
  private resum(k: number): void {
    const { dim } = this.stream.classifier
    this.sums.fill(0, k * dim, (k + 1) * dim)
    for (const id of this.lists[k]) this.accumulate(k, id, 1)
    this.normalise(k)
  }

  private accumulate(k: number, id: number, sign: 1 | -1): void {
    const { classes, dim, weights } = this.stream.classifier
    const isRow = id < classes
    const offset = (isRow ? id : id - classes) * dim
    const scale = sign * this.stream.inverseNorms[id]
    addScaledRow(this.sums, k * dim, isRow ? weights : this.stream.features, offset, scale, dim)
  }

  private normalise(k: number): void {
    const { dim } = this.stream.classifier
    let squares = 0
    for (let j = k * dim; j < (k + 1) * dim; j++) squares += this.sums[j] * this.sums[j]
    this.norms[k] = Math.max(Math.sqrt(squares), NORMALIZE_EPS)
  }
}
