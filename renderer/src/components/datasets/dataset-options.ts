import type { DatasetRequest, RunDetail } from '../../../../electron/api/contract/index.ts'
import { datasetLabel } from '../common/format.ts'

/** An image set offered before the user adds one: a run's test split. */
export interface DatasetOption {
  label: string
  request: DatasetRequest
  isSynthetic: boolean
}

/** The test split of each run that names one; `about` says whose: '— test split of seed0'. */
export function runDatasetOptions(
  runs: readonly RunDetail[],
  about: (runName: string) => string,
): DatasetOption[] {
  return runs.flatMap((run) =>
    run.defaultDataset
      ? [
          {
            label: `${datasetLabel(run.defaultDataset)} ${about(run.name)}`,
            request: { ...run.defaultDataset, sample: null, limit: null },
            isSynthetic: run.tags.includes('synthetic'),
          },
        ]
      : [],
  )
}
