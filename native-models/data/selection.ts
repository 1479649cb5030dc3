import type { DatasetRequest } from '../../electron/api/contract/index.ts'
import { SeededRandom } from '../surgery/prng.ts'
import { DatasetError } from './errors.ts'

export type SelectionRequest = Pick<DatasetRequest, 'holdout' | 'sample' | 'limit'>

function invalid(message: string): DatasetError {
  return new DatasetError('INVALID_ARGUMENT', message)
}

/** Fisher–Yates over 0..count-1 with the dataset's own seeded stream. */
export function seededPermutation(count: number, seed: number, label: string): Int32Array {
  const order = Int32Array.from({ length: count }, (_, i) => i)
  const random = new SeededRandom(seed, label)
  for (let i = count - 1; i > 0; i -= 1) {
    const j = Math.floor(random.nextFloat64() * (i + 1))
    const swap = order[i]
    order[i] = order[j]!
    order[j] = swap
  }
  return order
}

function sorted(values: Int32Array): Int32Array {
  return values.slice().sort()
}

function holdout(
  positions: Int32Array,
  request: NonNullable<SelectionRequest['holdout']>,
): Int32Array {
  const { fraction, seed, part } = request
  if (!(fraction > 0 && fraction < 1)) {
    throw invalid(
      `The holdout fraction ${fraction} is not between 0 and 1 (exclusive): use e.g. 0.1.`,
    )
  }
  const permutation = seededPermutation(positions.length, seed, 'dataset-holdout')
  const held = Math.round(fraction * positions.length)
  const chosen = part === 'holdout' ? permutation.subarray(0, held) : permutation.subarray(held)
  return sorted(chosen).map((i) => positions[i])
}

function sample(
  positions: Int32Array,
  request: NonNullable<SelectionRequest['sample']>,
): Int32Array {
  if (!Number.isSafeInteger(request.count) || request.count < 1) {
    throw invalid(`The sample count ${request.count} is not a positive integer.`)
  }
  if (request.count >= positions.length) return positions
  const permutation = seededPermutation(positions.length, request.seed, 'dataset-sample')
  return sorted(permutation.subarray(0, request.count)).map((i) => positions[i])
}

/**
 * Positions kept by the request, in dataset order: holdout (a seeded fraction, or the rest), then a
 * seeded sample of that, then the first `limit`.
 */
export function selectPositions(count: number, request: SelectionRequest): Int32Array {
  let positions: Int32Array = Int32Array.from({ length: count }, (_, i) => i)
  if (request.holdout !== null) positions = holdout(positions, request.holdout)
  if (request.sample !== null) positions = sample(positions, request.sample)
  if (request.limit !== null) {
    if (!Number.isSafeInteger(request.limit) || request.limit < 1) {
      throw invalid(`The limit ${request.limit} is not a positive integer.`)
    }
    positions = positions.subarray(0, request.limit)
  }
  return positions
}
