import type { PreparedStream } from './prepared-stream.ts'
import type { AllSupportsBehaviour, SupportFilter } from './types.ts'

// torch.nn.functional.normalize's default eps.
const NORMALIZE_EPS = 1e-12

/**
 * T3A's supports, one list per class kept sorted by (entropy, age), with each class's running
 * sum of L2-normalised supports. Keeping the lists sorted turns the reference's per-forward
 * sort into a merge of the new batch, and the sums change only by the supports that come and go.
 */
export class SupportSet {
  private readonly lists: number[][]
  private readonly sums: Float64Array
  /** C × d: the class prototypes ĉ_k = sum_k / ‖sum_k‖, zero for an empty class. */
  readonly prototypes: Float64Array

  private readonly stream: PreparedStream
  private readonly filter: SupportFilter
  private readonly allBehaviour: AllSupportsBehaviour

  constructor(stream: PreparedStream, filter: SupportFilter, allBehaviour: AllSupportsBehaviour) {
    this.stream = stream
    this.filter = filter
    this.allBehaviour = allBehaviour
    const { classes, dim } = stream.classifier
    this.sums = new Float64Array(classes * dim)
    this.prototypes = new Float64Array(classes * dim)
    this.lists = Array.from({ length: classes }, () => [])
    for (let id = 0; id < classes; id++) this.lists[stream.pseudoLabels[id]].push(id)
    for (const list of this.lists) list.sort((a, b) => this.compare(a, b))
    for (const [k, list] of this.lists.entries()) {
      for (const id of list) this.accumulate(k, id, 1)
      this.normalise(k)
    }
  }

  /** Appends stream images [first, end) with their pseudo-labels, then filters every class. */
  admit(first: number, end: number): void {
    const { classes } = this.stream.classifier
    const incoming: number[][] = Array.from({ length: classes }, () => [])
    for (let i = first; i < end; i++) {
      const id = classes + i
      incoming[this.stream.pseudoLabels[id]].push(id)
    }
    const firstNewId = classes + first
    for (let k = 0; k < classes; k++) {
      const fresh = incoming[k].sort((a, b) => this.compare(a, b))
      const merged = this.merge(this.lists[k], fresh)
      const keep = this.keepCount(merged.length)
      if (fresh.length === 0 && keep === merged.length) continue
      for (let r = 0; r < merged.length; r++) {
        const id = merged[r]
        const isNew = id >= firstNewId
        if (r < keep && isNew) this.accumulate(k, id, 1)
        else if (r >= keep && !isNew) this.accumulate(k, id, -1)
      }
      merged.length = keep
      this.lists[k] = merged
      // Subtraction leaves rounding dust; an empty class must keep the exact zero prototype.
      if (keep === 0)
        this.sums.fill(0, k * this.stream.classifier.dim, (k + 1) * this.stream.classifier.dim)
      this.normalise(k)
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

  /** Entropy ascending; on ties the older support first, as a stable sort of the stored order. */
  private compare(a: number, b: number): number {
    return this.stream.entropies[a] - this.stream.entropies[b] || a - b
  }

  private merge(old: readonly number[], fresh: readonly number[]): number[] {
    const merged = new Array<number>(old.length + fresh.length)
    let i = 0
    let j = 0
    let r = 0
    while (i < old.length && j < fresh.length)
      merged[r++] = this.compare(old[i], fresh[j]) <= 0 ? old[i++] : fresh[j++]
    while (i < old.length) merged[r++] = old[i++]
    while (j < fresh.length) merged[r++] = fresh[j++]
    return merged
  }

  private accumulate(k: number, id: number, sign: 1 | -1): void {
    const { classes, dim, weights } = this.stream.classifier
    const source = id < classes ? weights : this.stream.features
    const offset = (id < classes ? id : id - classes) * dim
    const scale = sign * this.stream.inverseNorms[id]
    const base = k * dim
    for (let j = 0; j < dim; j++) this.sums[base + j] += scale * source[offset + j]
  }

  private normalise(k: number): void {
    const { dim } = this.stream.classifier
    const base = k * dim
    let squares = 0
    for (let j = 0; j < dim; j++) squares += this.sums[base + j] * this.sums[base + j]
    const scale = 1 / Math.max(Math.sqrt(squares), NORMALIZE_EPS)
    for (let j = 0; j < dim; j++) this.prototypes[base + j] = this.sums[base + j] * scale
  }
}
