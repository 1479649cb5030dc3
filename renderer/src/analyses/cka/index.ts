import type { AnalysisUi } from '../analysis-ui.ts'

export const ckaUi: AnalysisUi = {
  name: 'cka',
  label: 'CKA',
  jobKinds: ['cka-grams'],
  routes: [{ path: '/cka', name: 'cka', component: () => import('./CkaView.vue') }],
  topBar: { id: 'cka', label: 'CKA', to: '/cka' },
  checkpointActions: (id) => [
    { id: 'cka', label: 'CKA…', to: `/cka?checkpoints=${id}&kind=within` },
  ],
  runActions: (id) => [
    { id: 'cka-timeline', label: 'CKA timeline…', to: `/cka?checkpoints=${id}&kind=timeline` },
  ],
}
