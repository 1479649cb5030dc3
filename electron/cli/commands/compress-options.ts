import { InvalidArgumentError } from 'commander'
import { listOption } from '../job-options.ts'

/** '2,3,8' → [2, 3, 8]; the API checks the range (1 to 16). */
export function bitsList(text: string): number[] {
  const bits = listOption(text).map(Number)
  if (bits.length === 0 || !bits.every(Number.isSafeInteger))
    throw new InvalidArgumentError('Not a list of whole numbers such as 2,4,8.')
  return bits
}

export function positiveNumber(text: string): number {
  const value = Number(text)
  if (!Number.isFinite(value) || value <= 0)
    throw new InvalidArgumentError('Not a finite number > 0.')
  return value
}
