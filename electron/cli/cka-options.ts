import { Option } from 'commander'
import type { Command } from 'commander'
import type { CkaEstimatorName, Preprocessing, SpatialPooling } from '../api/contract/index.ts'
import type { WorkbenchService } from '../api/service.ts'
import { runInputPixels } from '../../native-models/analysis/cka/cka-request.ts'
import { seed } from './job-options.ts'

/** The options of every command that computes CKA from Grams. */
export interface CkaEstimatorOptions {
  estimator: CkaEstimatorName
  orderSeed: number
  pooling: SpatialPooling
}

export function addCkaEstimatorOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--estimator <name>', 'minibatch (unbiased HSIC) or full-batch linear / debiased')
        .choices(['minibatch', 'linear', 'debiased'])
        .default('minibatch'),
    )
    .option('--order-seed <n>', 'seed of the pinned batch order', seed, 0)
    .addOption(
      new Option('--pooling <mode>', 'flatten C·H·W, or average over H×W first')
        .choices(['none', 'mean'])
        .default('none'),
    )
}

/** Pixels per image, which size the default CKA batch: --preprocessing's, else the run's. */
export function inputPixelsOf(
  service: WorkbenchService,
  checkpointId: number,
  preprocessing: Preprocessing | null,
): number {
  const size = preprocessing?.inputSize
  if (size) return size[0] * size[1]
  const runId = service.checkpointRunId(checkpointId)
  return runInputPixels(runId === null ? null : service.getRun(runId))
}
