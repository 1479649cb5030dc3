import { launcherEntry } from '../analysis-ui.ts'
import type { AnalysisUi } from '../analysis-ui.ts'
import { defaultT3aOptions, t3aRequest, t3aRequestLike } from './launch.ts'

export const t3aUi: AnalysisUi = {
  name: 't3a',
  label: 'T3A',
  jobKinds: ['t3a'],
  resultPanel: () => import('./T3aPanel.vue'),
  compare: {
    kind: 't3a',
    missing: 'a T3A result',
    note: 'T3A at the best M is chosen on the test images themselves: an optimistic number.',
    charts: () => import('./CompareT3a.vue'),
  },
  launcher: launcherEntry({
    kind: 't3a',
    hint: 'back-propagation-free classifier adjustment per domain',
    sampleCount: 2000,
    defaults: defaultT3aOptions,
    params: () => import('./T3aParams.vue'),
    request: t3aRequest,
    requestLike: t3aRequestLike,
  }),
  checkpointActions: (id) => [
    { id: 't3a', label: 'T3A…', to: `/analyze?checkpoint=${id}&kind=t3a` },
  ],
}
