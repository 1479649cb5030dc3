import type {
  BitAccounting,
  EstimateInterval,
  MeanStd,
  OutputDivergence,
} from '../../contract/index.ts'
import type { TidyValue } from '../tidy.ts'
import type { TidyAt, TidyIndex } from './tidy-index.ts'

// The small structures a compression result repeats, as rows named `<prefix>_<field>` at one
// position, and back.

export function intervalRows(
  prefix: string,
  { estimate, lower, upper }: EstimateInterval,
  at: TidyAt = {},
): TidyValue[] {
  return [
    { quantity: prefix, ...at, value: estimate },
    { quantity: `${prefix}_lower`, ...at, value: lower },
    { quantity: `${prefix}_upper`, ...at, value: upper },
  ]
}

export function intervalFrom(index: TidyIndex, prefix: string, at?: TidyAt): EstimateInterval {
  return {
    estimate: index.value(prefix, at),
    lower: index.value(`${prefix}_lower`, at),
    upper: index.value(`${prefix}_upper`, at),
  }
}

export function divergenceRows(prefix: string, d: OutputDivergence, at: TidyAt = {}): TidyValue[] {
  return [
    { quantity: `${prefix}_top1`, ...at, value: d.top1 },
    ...intervalRows(`${prefix}_top1_delta`, d.top1Delta, at),
    { quantity: `${prefix}_top1_delta_p_value`, ...at, value: d.top1Delta.pValue },
    ...intervalRows(`${prefix}_kl`, d.kl, at),
    { quantity: `${prefix}_max_abs_logit_delta_mean`, ...at, value: d.maxAbsLogitDelta.mean },
    { quantity: `${prefix}_max_abs_logit_delta_max`, ...at, value: d.maxAbsLogitDelta.max },
    { quantity: `${prefix}_changed_predictions`, ...at, value: d.changedPredictions },
  ]
}

export function divergenceFrom(index: TidyIndex, prefix: string, at?: TidyAt): OutputDivergence {
  return {
    top1: index.value(`${prefix}_top1`, at),
    top1Delta: {
      ...intervalFrom(index, `${prefix}_top1_delta`, at),
      pValue: index.value(`${prefix}_top1_delta_p_value`, at),
    },
    kl: intervalFrom(index, `${prefix}_kl`, at),
    maxAbsLogitDelta: {
      mean: index.value(`${prefix}_max_abs_logit_delta_mean`, at),
      max: index.value(`${prefix}_max_abs_logit_delta_max`, at),
    },
    changedPredictions: index.value(`${prefix}_changed_predictions`, at),
  }
}

export function accountingRows(prefix: string, a: BitAccounting, at: TidyAt = {}): TidyValue[] {
  return [
    { quantity: `${prefix}_mean_bits`, ...at, value: a.meanBits },
    { quantity: `${prefix}_mean_bits_zero_value`, ...at, value: a.meanBitsZeroValue },
    { quantity: `${prefix}_ratio`, ...at, value: a.ratio },
    { quantity: `${prefix}_ratio_zero_value`, ...at, value: a.ratioZeroValue },
  ]
}

export function accountingFrom(index: TidyIndex, prefix: string, at?: TidyAt): BitAccounting {
  return {
    meanBits: index.value(`${prefix}_mean_bits`, at),
    meanBitsZeroValue: index.value(`${prefix}_mean_bits_zero_value`, at),
    ratio: index.value(`${prefix}_ratio`, at),
    ratioZeroValue: index.value(`${prefix}_ratio_zero_value`, at),
  }
}

export function meanStdRows(prefix: string, { mean, std }: MeanStd, at: TidyAt = {}): TidyValue[] {
  return [
    { quantity: `${prefix}_mean`, ...at, value: mean },
    { quantity: `${prefix}_std`, ...at, value: std },
  ]
}

export function meanStdFrom(index: TidyIndex, prefix: string, at?: TidyAt): MeanStd {
  return { mean: index.value(`${prefix}_mean`, at), std: index.value(`${prefix}_std`, at) }
}

/** A flag as 1 or 0. */
export const flag = (isSet: boolean): number => (isSet ? 1 : 0)
