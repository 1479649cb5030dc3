import { launcherEntry } from '../analysis-ui.ts'
import type { AnalysisUi } from '../analysis-ui.ts'

const analyze = (checkpointId: number): string =>
  `/analyze?checkpoint=${checkpointId}&kind=evaluate`

export const evaluateUi: AnalysisUi = {
  name: 'evaluate',
  label: 'Evaluation',
  jobKinds: ['evaluate'],
  resultPanel: () => import('./EvaluationPanel.vue'),
  compare: {
    kind: 'evaluate',
    missing: 'an evaluation',
    note: 'Deltas against the baseline: percentage points (pp) for accuracies and ECE; green is better.',
    charts: () => import('./CompareEvaluation.vue'),
  },
  launcher: launcherEntry<Record<string, never>>({
    kind: 'evaluate',
    hint: 'accuracy, NLL, calibration, confusion matrix',
    // A ResNet50 at 32² runs about 150-300 images/s on a 2-core CPU: a few seconds.
    sampleCount: 1000,
    defaults: () => ({}),
    request: (base) => ({ ...base, kind: 'evaluate' }),
    requestLike: (base) => ({ ...base, kind: 'evaluate' }),
  }),
  checkpointActions: (id) => [
    { id: 'evaluate', label: 'Evaluate…', to: analyze(id), isPrimary: true },
  ],
  runActions: (id) => [{ id: 'evaluate', label: 'Evaluate…', to: analyze(id), isPrimary: true }],
}
