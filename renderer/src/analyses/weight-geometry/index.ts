import { launcherEntry } from '../analysis-ui.ts'
import type { AnalysisUi } from '../analysis-ui.ts'
import { geometryOverlay } from './geometry-overlay.ts'

export const weightGeometryUi: AnalysisUi = {
  name: 'weight-geometry',
  label: 'Weight geometry',
  jobKinds: ['weight-geometry'],
  resultPanel: () => import('./WeightGeometryPanel.vue'),
  compare: {
    kind: 'weight-geometry',
    missing: 'weight geometry',
    note: 'Read from the weights alone (no images). On BN-folded exports the weights are W·γ/σ.',
    charts: () => import('./CompareWeightGeometry.vue'),
  },
  launcher: launcherEntry<Record<string, never>>({
    kind: 'weight-geometry',
    hint: 'filter orthogonality, singular-value spectra, stable and effective rank (weights only)',
    sampleCount: 1,
    readsImages: false,
    defaults: () => ({}),
    request: (base) => ({
      kind: 'weight-geometry',
      checkpointId: base.checkpointId,
      modelPath: base.modelPath,
      provider: base.provider,
      ...(base.force === undefined ? {} : { force: base.force }),
    }),
    requestLike: (base) => ({
      kind: 'weight-geometry',
      checkpointId: base.checkpointId,
      modelPath: base.modelPath,
      provider: base.provider,
    }),
  }),
  structureOverlay: geometryOverlay,
  checkpointActions: (id) => [
    {
      id: 'weight-geometry',
      label: 'Weight geometry…',
      to: `/analyze?checkpoint=${id}&kind=weight-geometry`,
    },
  ],
}
