import { launcherEntry } from '../analysis-ui.ts'
import type { AnalysisUi } from '../analysis-ui.ts'
import { gradientOverlay } from './gradient-overlay.ts'
import { defaultGradientsOptions, gradientsRequest, gradientsRequestLike } from './launch.ts'

export const gradientsUi: AnalysisUi = {
  name: 'gradients',
  label: 'Gradient norms',
  jobKinds: ['gradients'],
  resultPanel: () => import('./GradientsPanel.vue'),
  compare: {
    kind: 'gradients',
    missing: 'gradient norms',
    note: 'Computed at each checkpoint with inference-mode BatchNorm; not the norms logged in training.',
    charts: () => import('./CompareGradients.vue'),
  },
  launcher: launcherEntry({
    kind: 'gradients',
    hint: 'per-layer loss-gradient norms through a backward graph (inference-mode BN)',
    // Forward + backward of a ResNet50 at 32² is tens of ms per image on 2 cores: seconds.
    sampleCount: 256,
    defaults: defaultGradientsOptions,
    params: () => import('./GradientsParams.vue'),
    request: gradientsRequest,
    requestLike: gradientsRequestLike,
  }),
  structureOverlay: gradientOverlay,
  checkpointActions: (id) => [
    { id: 'gradients', label: 'Gradient norms…', to: `/analyze?checkpoint=${id}&kind=gradients` },
  ],
}
