import type {
  T3aDomain,
  T3aDomainResult,
  T3aRequest,
  T3aResult,
} from '../../../../electron/api/contract/index.ts'
import { prepareT3aStream, runT3aFilters } from '../../../analysis/t3a/index.ts'
import type { LinearClassifier } from '../../../analysis/t3a/index.ts'
import { orderedStream, streamOrder } from '../../../analysis/t3a/stream-order.ts'
import { summarizeT3aDomain } from '../../../analysis/t3a/summary.ts'
import type { JobContext, JobHandler, ResolvedJob } from '../../job-types.ts'
import { prepareFeatureModel } from '../features/feature-model.ts'
import type { FeatureModel } from '../features/feature-model.ts'
import { featureProviders, openFeatureSet } from '../features/feature-set.ts'
import type { FeatureSet } from '../features/feature-set.ts'
import { assertOutputsCoverClasses } from '../shared/input-check.ts'

type T3aJob = ResolvedJob<T3aRequest>

const PENULTIMATE = { tap: null, pooling: 'mean' } as const

function domainsOf(job: T3aJob): T3aDomain[] {
  const { path, split } = job.dataset
  const label = `${path.split(/[\\/]/).filter(Boolean).at(-1) ?? path}${split === null ? '' : ` (${split})`}`
  return job.request.domains ?? [{ label, dataset: job.dataset, corruption: null }]
}

function classifierOf(model: FeatureModel, set: FeatureSet): LinearClassifier {
  const { weights, bias, classes, dim } = model.classifier
  if (set.dim !== dim)
    throw new RangeError(
      `The features of ${model.summary.fileName} have ${set.dim} values per image but its final layer reads ${dim}.`,
    )
  return { weights, bias, classes, dim }
}

/**
 * T3A per domain from a reset state, for every filter M in one pass over the domain's cached
 * penultimate features; nothing is learnt and the model is not changed.
 */
export const t3aJob: JobHandler<T3aRequest, T3aResult> = async (job, context) => {
  const model = await prepareFeatureModel(job, PENULTIMATE)
  const domains = domainsOf(job)
  const sets: FeatureSet[] = []
  const results: T3aDomainResult[] = []
  let adaptMs = 0
  for (const domain of domains) {
    const set = await openFeatureSet(job, model, { ...domain }, context)
    assertOutputsCoverClasses(model.summary, set.classes)
    sets.push(set)
    context.signal.throwIfAborted()
    const started = performance.now()
    results.push(adaptDomain(job, model, domain, set, context))
    adaptMs += performance.now() - started
  }
  return {
    payload: {
      classes: sets[0]?.classes ?? [],
      dim: model.classifier.dim,
      streamBatch: job.request.streamBatch,
      order: job.request.order,
      lastPartialBatch: job.request.lastPartialBatch,
      allBehaviour: job.request.allBehaviour,
      domains: results,
      adaptMs,
    },
    providers: featureProviders(sets, job.request.provider),
    datasetFingerprint: sets[0]?.fingerprint ?? '',
    batchSize: job.request.streamBatch,
    parameters: {
      forwardPasses: sets.reduce((sum, set) => sum + set.source.forwardPasses, 0),
      featureCache: sets.map((set) => set.source.cache),
      featureFiles: sets.map((set) => set.file),
    },
  }
}

function adaptDomain(
  job: T3aJob,
  model: FeatureModel,
  domain: T3aDomain,
  set: FeatureSet,
  context: JobContext,
): T3aDomainResult {
  context.report({ stage: `T3A: ${domain.label}`, done: 0, total: 1 })
  const order = streamOrder(set.size, job.request.order)
  const stream = orderedStream(set.features, set.labels, set.dim, order)
  const prepared = prepareT3aStream(stream.features, classifierOf(model, set), stream.labels)
  const runs = runT3aFilters(prepared, job.request.filters, {
    allBehaviour: job.request.allBehaviour,
    batchSize: job.request.streamBatch,
    lastPartialBatch: job.request.lastPartialBatch,
  })
  context.report({ stage: `T3A: ${domain.label}`, done: 1, total: 1 })
  return {
    label: domain.label,
    corruption: domain.corruption,
    numImages: set.size,
    features: set.source,
    ...summarizeT3aDomain(runs, stream.labels),
  }
}
