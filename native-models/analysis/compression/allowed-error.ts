import type { BnInputStatistics, ConvInputStatistics } from './gradient-statistics.ts'

/** An activation's NCHW shape: batch N, channels C (K for a BN input), height H, width W. */
export interface ActivationShape {
  batch: number
  channels: number
  height: number
  width: number
}

/** Lower bound of Σu_i‖∇y_i‖² and of Σ‖∇W_i‖² (autoquant.py), so a dead layer gives no 0/0. */
export const CONV_NORM_FLOOR = 1e-16
/** Lower bound of a BN input's dx²_k (autoquant.py): at most 8 intrinsic bits. */
export const BN_ALLOWED_ERROR_FLOOR = 2 ** -16

/**
 * AC-GC's allowed squared error per element of a conv input (one scalar for the tensor):
 * dx² = e·Σ_i‖∇W_i‖² / (2·N·C·H·W·Σ_i u_i‖∇y_i‖²) with u_i = R_i·S_i/T_i².
 * `errorTolerance` is e as the reference code uses it (linearly); the paper's lemma states the
 * bound with e², which agrees at the default e = 1. E.g. one 3×3 stride-1 successor with
 * ‖∇W‖² = 8 and ‖∇y‖² = 2 on N·C·H·W = 64 elements gives 8 / (2·64·9·2) = 1/288.
 */
export function convAllowedSquaredError(
  statistics: ConvInputStatistics,
  shape: ActivationShape,
  errorTolerance = 1,
): number {
  assertTolerance(errorTolerance)
  if (statistics.successors.length === 0)
    throw new RangeError('A conv-input site needs at least one successor convolution.')
  let weightedOutputGrad = 0
  let weightGrad = 0
  for (const successor of statistics.successors) {
    const kernelOverStride =
      (successor.kernelHeight * successor.kernelWidth) /
      (successor.strideHeight * successor.strideWidth)
    weightedOutputGrad += kernelOverStride * successor.outputGradSquaredNorm
    weightGrad += successor.weightGradSquaredNorm
  }
  const numerator = errorTolerance * Math.max(weightGrad, CONV_NORM_FLOOR)
  const denominator = 2 * elementCount(shape) * Math.max(weightedOutputGrad, CONV_NORM_FLOOR)
  // The reference stores dx² as float32 before taking its log.
  return Math.fround(numerator / denominator)
}

/**
 * AC-GC's allowed squared error per channel of a BN input:
 * dx²_k = e·‖∇x‖²·N·H·W / (K·γ_k²·inv_std_k⁴·g2_k), floored at 2⁻¹⁶, with
 * g2_k = inv_std_k²·nnz_k²·max(∇z_k²)·(max|x_k|/2)² + (∂γ_k)². `errorTolerance` enters linearly,
 * as in the reference code (the paper's lemma is stated with e²). A channel with γ_k = 0 or
 * g2_k = 0 cannot change the loss: its dx²_k is +Infinity (the narrowest width), as in the reference.
 */
export function bnAllowedSquaredError(
  statistics: BnInputStatistics,
  shape: ActivationShape,
  maxAbs: readonly number[],
  errorTolerance = 1,
): number[] {
  assertTolerance(errorTolerance)
  const channels = shape.channels
  assertChannels('maxAbs', maxAbs.length, channels)
  for (const field of BN_CHANNEL_FIELDS) assertChannels(field, statistics[field].length, channels)
  const numerator =
    errorTolerance * statistics.inputGradSquaredNorm * shape.batch * shape.height * shape.width
  return maxAbs.map((channelMaxAbs, k) => {
    const inverseStdSquared = statistics.inverseStdSquared[k]
    // The reference's "dumb approximation" of the γ-gradient's sensitivity: half the channel's range.
    const halfRange = Math.fround(channelMaxAbs) / 2
    const gammaGradSensitivity =
      inverseStdSquared *
      statistics.outputGradNonzeroCountSquared[k] *
      statistics.outputGradSquaredMax[k] *
      halfRange ** 2
    const g2 = gammaGradSensitivity + statistics.gammaGradSquared[k]
    const denominator = channels * statistics.gammaSquared[k] * inverseStdSquared ** 2 * g2
    return Math.max(Math.fround(numerator / denominator), BN_ALLOWED_ERROR_FLOOR)
  })
}

const BN_CHANNEL_FIELDS = [
  'inverseStdSquared',
  'gammaSquared',
  'gammaGradSquared',
  'outputGradNonzeroCountSquared',
  'outputGradSquaredMax',
] as const

function elementCount(shape: ActivationShape): number {
  return shape.batch * shape.channels * shape.height * shape.width
}

function assertTolerance(errorTolerance: number): void {
  if (!(errorTolerance > 0) || !Number.isFinite(errorTolerance))
    throw new RangeError(`errorTolerance must be a positive number, got ${errorTolerance}.`)
}

function assertChannels(name: string, length: number, channels: number): void {
  if (length !== channels)
    throw new RangeError(`'${name}' has ${length} channels, expected ${channels}.`)
}
