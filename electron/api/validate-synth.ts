import type { SynthRequest } from './contract/index.ts'
import { RequestError } from './errors.ts'
import { isWhole } from './request-fields.ts'

const DEPTHS = [18, 34, 50, 101]
// Beyond these a synthesized model would not fit in memory (ImageNet-21k has 21,841 classes).
const MAX_CLASSES = 100_000
const MAX_INPUT_SIZE = 4096
const MAX_BATCH = 4096

function check(isValid: boolean, message: string): void {
  if (!isValid) throw new RequestError('INVALID_ARGUMENT', message)
}

/** Rejects what the synthesizer cannot build, before it allocates anything. */
export function validateSynthRequest(request: SynthRequest): void {
  check(
    DEPTHS.includes(request.depth),
    `Depth ${request.depth} is not one of ${DEPTHS.join(', ')}.`,
  )
  check(
    isWhole(request.numClasses, 1, MAX_CLASSES),
    `Class count ${request.numClasses} must be a whole number from 1 to ${MAX_CLASSES}.`,
  )
  const minSize = request.cifarStem ? 8 : 32
  check(
    isWhole(request.inputSize, minSize, MAX_INPUT_SIZE),
    `Input size ${request.inputSize} is not usable: use ${minSize} to ${MAX_INPUT_SIZE} px with this stem.`,
  )
  check(
    Number.isInteger(request.opset) && request.opset >= 13 && request.opset <= 18,
    `Opset ${request.opset} is outside 13–18.`,
  )
  check(isWhole(request.seed, 0), `Seed ${request.seed} must be a whole number ≥ 0.`)
  check(
    request.batch === 'dynamic' || isWhole(request.batch, 1, MAX_BATCH),
    `Batch '${request.batch}' must be 'dynamic' or a whole number from 1 to ${MAX_BATCH}.`,
  )
}
