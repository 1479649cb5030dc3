import { dirname } from 'node:path'
import type { FeatureLayer, ModelSummary } from '../../../../electron/api/contract/index.ts'
import { analyzeModel, buildSummary, loadModel, readFinalClassifier } from '../../../onnx/index.ts'
import type { FinalClassifier } from '../../../onnx/index.ts'
import { buildFeatureGraph } from '../../../surgery/feature-graph.ts'
import type { ResolvedJob } from '../../job-types.ts'
import { POOLED_TAP_KEY, resolveActivationTaps } from '../shared/taps.ts'

/** A checkpoint made ready for feature extraction: its classifier and a graph that outputs the features. */
export interface FeatureModel {
  summary: ModelSummary
  classifier: FinalClassifier
  modelSha256: string
  /** 'penultimate', or the tap's key. */
  layerName: string
  tensor: string
  pooling: FeatureLayer['pooling']
  /** The model with the feature output appended; only built into a session on a cache miss. */
  bytes: Uint8Array
  output: string
  externalDataFolder: string
}

export async function prepareFeatureModel(
  job: ResolvedJob,
  layer: FeatureLayer,
): Promise<FeatureModel> {
  const loaded = await loadModel(job.modelPath)
  const analysis = analyzeModel(loaded)
  const summary = buildSummary(analysis)
  const classifier = readFinalClassifier(analysis)
  const tap =
    layer.tap === null || layer.tap === POOLED_TAP_KEY
      ? { key: 'penultimate', tensor: classifier.input }
      : resolveActivationTaps(summary, [layer.tap], loaded.model.graph)[0]
  const graph = buildFeatureGraph(loaded.model, tap.tensor, layer.pooling)
  return {
    summary,
    classifier,
    modelSha256: job.modelSha256,
    layerName: tap.key,
    tensor: tap.tensor,
    pooling: layer.pooling,
    bytes: graph.encodeAppendedTo(loaded.bytes),
    output: graph.output,
    externalDataFolder: dirname(job.modelPath),
  }
}
