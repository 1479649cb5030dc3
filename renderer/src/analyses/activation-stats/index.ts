import { launcherEntry } from '../analysis-ui.ts'
import type { AnalysisUi } from '../analysis-ui.ts'
import { activationOverlay } from './layer-overlay.ts'
import { activationRequest, activationRequestLike, defaultActivationOptions } from './launch.ts'

export const activationStatsUi: AnalysisUi = {
  name: 'activation-stats',
  label: 'Activation statistics',
  jobKinds: ['activation-stats'],
  resultPanel: () => import('./ActivationPanel.vue'),
  compare: {
    kind: 'activation-stats',
    missing: 'activation statistics',
    charts: () => import('./CompareActivation.vue'),
  },
  launcher: launcherEntry({
    kind: 'activation-stats',
    hint: 'per-layer zeros, magnitudes and histograms',
    sampleCount: 256,
    defaults: defaultActivationOptions,
    params: () => import('./ActivationParams.vue'),
    request: activationRequest,
    requestLike: activationRequestLike,
  }),
  structureOverlay: activationOverlay,
  checkpointActions: (id) => [
    {
      id: 'stats',
      label: 'Activation stats…',
      to: `/analyze?checkpoint=${id}&kind=activation-stats`,
    },
  ],
}
