import type { AnalysisUi } from '../analysis-ui.ts'

/** Corruption sweeps; their cells are evaluations, shown on the evaluation's result page. */
export const robustnessUi: AnalysisUi = {
  name: 'robustness',
  label: 'Robustness',
  jobKinds: [],
  routes: [
    { path: '/robustness', name: 'robustness', component: () => import('./RobustnessView.vue') },
  ],
  topBar: { id: 'robustness', label: 'Robustness', to: '/robustness' },
  checkpointActions: (id) => [
    { id: 'robustness', label: 'Corruption sweep…', to: `/robustness?checkpoints=${id}` },
  ],
}
