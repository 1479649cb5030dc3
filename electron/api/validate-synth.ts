import type { SynthRequest } from './contract/index.ts'
import { RequestError } from './errors.ts'

const DEPTHS = [18, 34, 50, 101]

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
    Number.isInteger(request.numClasses) && request.numClasses >= 1,
    `Class count ${request.numClasses} must be a whole number ≥ 1.`,
  )
  const minSize = request.cifarStem ? 8 : 32
  check(
    Number.isInteger(request.inputSize) && request.inputSize >= minSize,
    `Input size ${request.inputSize} is too small: use at least ${minSize} px with this stem.`,
  )
  check(
    Number.isInteger(request.opset) && request.opset >= 13 && request.opset <= 18,
    `Opset ${request.opset} is outside 13–18.`,
  )
  check(
    Number.isInteger(request.seed) && request.seed >= 0,
    `Seed ${request.seed} must be a whole number ≥ 0.`,
  )
  check(
    request.batch === 'dynamic' || (Number.isInteger(request.batch) && request.batch >= 1),
    `Batch '${request.batch}' must be 'dynamic' or a whole number ≥ 1.`,
  )
}
