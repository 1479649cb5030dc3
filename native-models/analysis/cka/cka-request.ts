import type { CheckpointInfo, CkaRequest, RunDetail } from '../../../electron/api/contract/index.ts'
import { defaultGramBatch } from './gram-batch.ts'

/** A CKA request as the view and the CLI build it; `inputPixels` sizes the default minibatch. */
export type CkaChoice = Omit<CkaRequest, 'batchSize' | 'referenceId' | 'gridLayer'> & {
  /** Minibatch n; null: the default for the input size (256 at 32², 64 at 224²). */
  batchSize: number | null
  referenceId?: number | null
  gridLayer?: string | null
  /** Height × width of the model input (the run's preprocessing; 224² when unknown). */
  inputPixels: number
}

/** The request of a choice; full-batch estimators take the whole selection as one batch. */
export function ckaRequest({ inputPixels, ...choice }: CkaChoice): CkaRequest {
  const n = choice.batchSize ?? defaultGramBatch(inputPixels)
  return {
    ...choice,
    referenceId: choice.referenceId ?? null,
    gridLayer: choice.gridLayer ?? null,
    batchSize: choice.estimator === 'minibatch' ? n : null,
  }
}

/** Height × width of a run's model input (run.json preprocessing); 224² when unknown. */
export function runInputPixels(run: RunDetail | null | undefined): number {
  const [height, width] = run?.preprocessing?.inputSize ?? [224, 224]
  return height * width
}

/** A run's checkpoints of one variant that have an epoch, in epoch order: a timeline. */
export function epochCheckpoints(run: RunDetail, variant = ''): CheckpointInfo[] {
  return run.checkpoints
    .filter((c) => c.variant === variant && c.epoch !== null)
    .sort((x, y) => (x.epoch ?? 0) - (y.epoch ?? 0))
}
