import type { ProbesRequest, ProbesResult } from '../../../../electron/api/contract/index.ts'
import { probeCurve } from '../../../analysis/probes/probe-summary.ts'
import { runRidgeProbes } from '../../../analysis/probes/run-ridge-probes.ts'
import type { ProbeSubset } from '../../../analysis/probes/probe-run-types.ts'
import { ortDenseProducts, ortLogisticLoss } from '../../../runtime/index.ts'
import type { JobHandler, ResolvedJob } from '../../job-types.ts'
import { prepareFeatureModel } from '../features/feature-model.ts'
import { featureProviders, openFeatureSet } from '../features/feature-set.ts'
import type { FeatureSet } from '../features/feature-set.ts'
import { exactProbes } from './exact-probes.ts'
import { EvaluationError } from '../shared/job-errors.ts'

type ProbesJob = ResolvedJob<ProbesRequest>

function assertSameLayer(train: FeatureSet, test: FeatureSet, job: ProbesJob): void {
  if (train.dim !== test.dim || train.classes.length !== test.classes.length)
    throw new EvaluationError(
      `The training set (${job.dataset.path}) and the test set (${job.request.testDataset.path}) give ${train.dim} and ${test.dim} features and ${train.classes.length} and ${test.classes.length} classes: probe one layer on two splits of one dataset.`,
    )
}

/** Every subset's neurons, one after another: int32 [fraction, seed, k, indices…] per subset. */
function encodeSubsets(subsets: readonly ProbeSubset[]): Uint8Array {
  const values = subsets.flatMap((s) => [
    Math.round(s.fraction * 1e6),
    s.seed,
    s.indices.length,
    ...s.indices,
  ])
  return new Uint8Array(Int32Array.from(values).buffer)
}

/**
 * Neuron-subset probes (Diffused Redundancy) on cached features: closed-form ridge probes from
 * one float64 pass of XᵀX and XᵀY (products in ORT), PCA and random-projection baselines, and
 * exact logistic probes at chosen points. On cached features it runs no forward pass.
 */
export const probesJob: JobHandler<ProbesRequest, ProbesResult> = async (job, context) => {
  const request = job.request
  const model = await prepareFeatureModel(job, request.layer)
  const train = await openFeatureSet(
    job,
    model,
    { dataset: job.dataset, corruption: null, label: 'train' },
    context,
  )
  const test = await openFeatureSet(
    job,
    model,
    { dataset: request.testDataset, corruption: null, label: 'test' },
    context,
  )
  assertSameLayer(train, test, job)
  const classes = train.classes.length
  const asLabeled = (set: FeatureSet) => ({
    features: set.features,
    labels: set.labels,
    n: set.size,
  })
  const products = ortDenseProducts()
  try {
    const ridge = await runRidgeProbes(
      {
        train: asLabeled(train),
        test: asLabeled(test),
        dim: train.dim,
        classes,
        fractions: request.fractions,
        seeds: request.seeds,
        validation: request.validation,
        ridgeGrid: request.ridgeGrid,
        baselines: request.baselines,
      },
      products,
      {
        signal: context.signal,
        onProgress: (p) =>
          context.report({ stage: `ridge probes: ${p.stage}`, done: p.done, total: p.total }),
      },
    )
    const logisticStarted = performance.now()
    const exact = request.exact
    const total =
      exact === null ? 0 : exact.fractions.reduce((n, f) => n + (f === 1 ? 1 : exact.seeds), 0)
    let done = 0
    const logistic =
      exact === null
        ? []
        : await exactProbes(
            { exact, train: asLabeled(train), test: asLabeled(test), dim: train.dim, classes },
            ortLogisticLoss(),
            () => {
              context.signal.throwIfAborted()
              context.report({ stage: 'logistic probes', done: ++done, total })
            },
          )
    const logisticMs = performance.now() - logisticStarted
    const payload: ProbesResult = {
      layer: model.layerName,
      dim: ridge.dim,
      classes: train.classes,
      numTrain: ridge.numTrain,
      numValidation: ridge.numValidation,
      numTest: ridge.numTest,
      fullLayer: ridge.fullLayer,
      points: [...ridge.points, ...logistic],
      curve: probeCurve([...ridge.points, ...logistic]),
      diffusedRedundancy: ridge.diffusedRedundancy,
      within5Points: ridge.within5Points,
      features: { train: train.source, test: test.source },
      timings: {
        moments: ridge.timings.moments,
        ridge: ridge.timings.ridge + ridge.timings.randomProjection,
        pca: ridge.timings.pca,
        logistic: logisticMs,
      },
    }
    return {
      payload,
      providers: featureProviders([train, test], request.provider),
      datasetFingerprint: train.fingerprint,
      batchSize: request.batchSize ?? 0,
      parameters: {
        forwardPasses: train.source.forwardPasses + test.source.forwardPasses,
        featureCache: [train.source.cache, test.source.cache],
        ridgeGrid: ridge.grid,
        ridgeStrengths: ridge.strengths.map((s) => ({
          fraction: s.fraction,
          relative: s.relative,
        })),
        projectionStrengths: ridge.projectionStrengths.map((s) => ({
          fraction: s.fraction,
          relative: s.relative,
        })),
        testFingerprint: test.fingerprint,
        featureFiles: { train: train.file, test: test.file },
      },
      blobs: [{ role: 'subsets', data: encodeSubsets(ridge.subsets) }],
    }
  } finally {
    await products.release()
  }
}
