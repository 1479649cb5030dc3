import type { EvaluationImageFilter } from '../../../electron/api/contract/index.ts'
import { correctOf } from './per-image.ts'
import type { PerImageRecords } from './per-image.ts'

/**
 * Selection positions of the images a filter asks for, in its order: a confusion cell and the
 * misclassified by confidence (most confident first: the surprising ones), the least confident
 * first, the highest loss first; against another result, by this result's loss.
 */
export function selectImages(
  records: PerImageRecords,
  filter: EvaluationImageFilter,
  other: PerImageRecords | null = null,
): number[] {
  const correct = correctOf(records)
  const positions = Array.from(records.labels, (_, i) => i)
  const byConfidenceDown = (a: number, b: number) => records.confidence[b] - records.confidence[a]
  const byLossDown = (a: number, b: number) => records.nll[b] - records.nll[a]
  switch (filter.kind) {
    case 'confusion':
      return positions
        .filter(
          (i) =>
            records.labels[i] === filter.trueClass &&
            records.predicted[i] === filter.predictedClass,
        )
        .sort(byConfidenceDown)
    case 'misclassified':
      return positions.filter((i) => correct[i] === 0).sort(byConfidenceDown)
    case 'least-confident':
      return positions.sort((a, b) => records.confidence[a] - records.confidence[b])
    case 'highest-loss':
      return positions.sort(byLossDown)
    case 'only-right':
    case 'only-wrong': {
      const otherCorrect = correctOf(other!)
      const mine = filter.kind === 'only-right' ? 1 : 0
      return positions
        .filter((i) => correct[i] === mine && otherCorrect[i] === 1 - mine)
        .sort(byLossDown)
    }
  }
}
