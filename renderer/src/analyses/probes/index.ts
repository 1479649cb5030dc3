import { launcherEntry } from '../analysis-ui.ts'
import type { AnalysisUi } from '../analysis-ui.ts'
import { defaultProbesOptions, probesRequest, probesRequestLike } from './launch.ts'

export const probesUi: AnalysisUi = {
  name: 'probes',
  label: 'Neuron-subset probes',
  jobKinds: ['probes'],
  resultPanel: () => import('./ProbesPanel.vue'),
  compare: {
    kind: 'probes',
    missing: 'a probe curve',
    note: 'Ridge probes on cached features: a deviation from the paper’s SGD probes. DR is an inferred definition.',
    charts: () => import('./CompareProbes.vue'),
  },
  launcher: launcherEntry({
    kind: 'probes',
    hint: 'linear probes on random neuron subsets (diffused redundancy)',
    // Feature extraction dominates: a few thousand training images take seconds at 32².
    sampleCount: 5000,
    defaults: defaultProbesOptions,
    params: () => import('./ProbesParams.vue'),
    request: probesRequest,
    requestLike: probesRequestLike,
  }),
  checkpointActions: (id) => [
    { id: 'probes', label: 'Neuron-subset probes…', to: `/analyze?checkpoint=${id}&kind=probes` },
  ],
}
