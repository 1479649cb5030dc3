import type { ProbesRequest } from '../../contract/index.ts'
import { checkNamedDataset } from '../../dataset-request.ts'
import { invalid, isWhole } from '../../request-fields.ts'
import { checkCheckpointJob } from '../checkpoint-job.ts'

const MAX_FRACTIONS = 64
const MAX_SEEDS = 50

function checkFractions(fractions: unknown, field: string): number[] {
  if (!Array.isArray(fractions) || fractions.length === 0 || fractions.length > MAX_FRACTIONS)
    invalid(
      `${field} must list 1 to ${MAX_FRACTIONS} fractions in (0, 1], got ${JSON.stringify(fractions)}.`,
    )
  for (const f of fractions)
    if (typeof f !== 'number' || !(f > 0 && f <= 1))
      invalid(`Each of ${field} must be a number in (0, 1], got ${JSON.stringify(f)}.`)
  return [...new Set(fractions as number[])].sort((a, b) => a - b)
}

function checkLayer(layer: ProbesRequest['layer']): ProbesRequest['layer'] {
  if (typeof layer !== 'object' || layer === null)
    invalid(
      "layer must be { tap: null (the penultimate features) or a layer key, pooling: 'mean' or 'none' }.",
    )
  if (layer.tap !== null && (typeof layer.tap !== 'string' || layer.tap === ''))
    invalid('layer.tap must be null (the penultimate features) or a layer key or node name.')
  if (layer.pooling !== 'mean' && layer.pooling !== 'none')
    invalid(`layer.pooling must be 'mean' or 'none', got '${String(layer.pooling)}'.`)
  return { tap: layer.tap, pooling: layer.pooling }
}

function checkExact(exact: ProbesRequest['exact']): ProbesRequest['exact'] {
  if (exact === null || exact === undefined) return null
  if (!isWhole(exact.seeds, 1, MAX_SEEDS))
    invalid(
      `exact.seeds must be a whole number from 1 to ${MAX_SEEDS}, got ${String(exact.seeds)}.`,
    )
  if (typeof exact.weightDecay !== 'number' || !(exact.weightDecay >= 0 && exact.weightDecay < 1e3))
    invalid(
      `exact.weightDecay must be a number ≥ 0 (the L2 coefficient on the mean loss), got ${String(exact.weightDecay)}.`,
    )
  return {
    fractions: checkFractions(exact.fractions, 'exact.fractions'),
    seeds: exact.seeds,
    weightDecay: exact.weightDecay,
  }
}

/** Refuses a malformed probe request; fractions come back sorted without repeats. */
export function validateProbes(request: ProbesRequest): ProbesRequest {
  if (!isWhole(request.seeds, 1, MAX_SEEDS))
    invalid(`seeds must be a whole number from 1 to ${MAX_SEEDS}, got ${String(request.seeds)}.`)
  const { validation, ridgeGrid, baselines } = request
  if (
    typeof validation !== 'object' ||
    validation === null ||
    typeof validation.fraction !== 'number' ||
    !(validation.fraction > 0 && validation.fraction < 0.9) ||
    !isWhole(validation.seed)
  )
    invalid(
      `validation must be { fraction in (0, 0.9), seed ≥ 0 }, got ${JSON.stringify(validation)}.`,
    )
  if (
    ridgeGrid !== null &&
    (!Array.isArray(ridgeGrid) ||
      ridgeGrid.length === 0 ||
      !ridgeGrid.every((r) => typeof r === 'number' && r > 0 && Number.isFinite(r)))
  )
    invalid(
      `ridgeGrid must be null (the default grid) or a list of positive numbers, got ${JSON.stringify(ridgeGrid)}.`,
    )
  if (
    typeof baselines !== 'object' ||
    baselines === null ||
    typeof baselines.pca !== 'boolean' ||
    typeof baselines.randomProjection !== 'boolean'
  )
    invalid('baselines must be { pca: true or false, randomProjection: true or false }.')
  return checkCheckpointJob({
    ...request,
    testDataset: checkNamedDataset(request.testDataset, 'testDataset'),
    layer: checkLayer(request.layer),
    fractions: checkFractions(request.fractions, 'fractions'),
    validation: { fraction: validation.fraction, seed: validation.seed },
    ridgeGrid: ridgeGrid === null ? null : [...ridgeGrid].sort((a, b) => a - b),
    baselines: { pca: baselines.pca, randomProjection: baselines.randomProjection },
    exact: checkExact(request.exact),
  })
}
