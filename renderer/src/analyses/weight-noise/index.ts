import { launcherEntry } from '../analysis-ui.ts'
import type { AnalysisUi } from '../analysis-ui.ts'
import { defaultWeightNoiseOptions, weightNoiseRequest, weightNoiseRequestLike } from './launch.ts'

export const weightNoiseUi: AnalysisUi = {
  name: 'weight-noise',
  label: 'Weight noise',
  jobKinds: ['weight-noise'],
  resultPanel: () => import('./WeightNoisePanel.vue'),
  compare: {
    kind: 'weight-noise',
    missing: 'a weight-noise curve',
    charts: () => import('./CompareWeightNoise.vue'),
  },
  launcher: launcherEntry({
    kind: 'weight-noise',
    hint: 'accuracy as weights are multiplied by N(1, σ²) noise (DAMP)',
    sampleCount: 1000,
    defaults: defaultWeightNoiseOptions,
    params: () => import('./WeightNoiseParams.vue'),
    request: weightNoiseRequest,
    requestLike: weightNoiseRequestLike,
  }),
  checkpointActions: (id) => [
    {
      id: 'weight-noise',
      label: 'Weight noise…',
      to: `/analyze?checkpoint=${id}&kind=weight-noise`,
    },
  ],
}
