import type { AnalysisModule } from '../analysis-module.ts'
import { corruptionBreakdown } from './breakdown.ts'
import { corruptionGalleryModule } from './gallery.ts'
import { precomputedSetModule } from './precomputed-cells.ts'
import { corruptionSweep } from './sweep.ts'

/** Corruption sweeps over stored evaluation cells (ImageNet-C protocol). */
export const robustnessModule: AnalysisModule = {
  name: 'robustness',
  jobs: [],
  derived: [corruptionSweep, corruptionGalleryModule, corruptionBreakdown, precomputedSetModule],
}
