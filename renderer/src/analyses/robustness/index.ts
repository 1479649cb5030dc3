import type { AnalysisUi } from '../analysis-ui.ts'

/** Corruption sweeps; their cells are evaluations, shown on the evaluation's result page. */
export const robustnessUi: AnalysisUi = {
  name: 'robustness',
  label: 'Robustness',
  jobKinds: [],
}
