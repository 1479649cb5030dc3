import { launcherEntry } from '../analysis-ui.ts'
import type { AnalysisUi } from '../analysis-ui.ts'
import { compressionOverlay } from './compression-overlay.ts'
import { compressionRequest, compressionRequestLike, defaultCompressionOptions } from './launch.ts'

export const compressionUi: AnalysisUi = {
  name: 'compression',
  label: 'Activation compression',
  jobKinds: ['compression'],
  resultPanel: () => import('./CompressionPanel.vue'),
  compare: {
    kind: 'compression',
    missing: 'an activation-compression result',
    note:
      'The per-channel scale is each batch’s max |x|, so results depend on the images per batch; ' +
      'compare results of the same images and batch size (paired).',
    charts: () => import('./CompareCompression.vue'),
  },
  launcher: launcherEntry({
    kind: 'compression',
    hint: 'accuracy and KL under b-bit activations, and AC-GC’s per-channel bit choice',
    // One plain pass, one per width (and per site alone), AC-GC's backward passes: a few minutes
    // at 32² on 2 cores for 512 images with the default widths.
    sampleCount: 512,
    defaults: defaultCompressionOptions,
    params: () => import('./CompressionParams.vue'),
    request: compressionRequest,
    requestLike: compressionRequestLike,
  }),
  structureOverlay: compressionOverlay,
  checkpointActions: (id) => [
    {
      id: 'compression',
      label: 'Activation compression…',
      to: `/analyze?checkpoint=${id}&kind=compression`,
    },
  ],
}
