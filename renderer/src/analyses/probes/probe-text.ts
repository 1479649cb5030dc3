import type { DiffusedRedundancy } from '../../../../electron/api/contract/index.ts'

/** Shown wherever ridge probe numbers are: they are not the paper's probes (T8). */
export const RIDGE_DEVIATION =
  'Ridge points are a deviation from the paper: closed-form ridge regression on one-hot targets, ' +
  'on unaugmented cached features, with λ chosen per fraction on a validation split. The paper ' +
  'trains SGD probes (100 epochs, augmentation, 224² inputs), so its accuracies and DR values ' +
  'can differ. Logistic points are exact multinomial logistic regression with L2 weight decay.'

/** '0.80', or 'none' when no fraction reaches δ × the full layer. */
export function drText(dr: DiffusedRedundancy): string {
  return dr.value === null ? 'none' : dr.value.toFixed(3)
}
