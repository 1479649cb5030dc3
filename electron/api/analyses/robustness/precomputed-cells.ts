import { checkSlicesAgainstClean } from '../../../../native-models/data/precomputed-check.ts'
import { listPrecomputedSet } from '../../../../native-models/data/precomputed-set.ts'
import type {
  CorruptionSweepRequest,
  DatasetRequest,
  EvaluateRequest,
  PrecomputedSetRequest,
  PrecomputedSource,
} from '../../contract/index.ts'
import { invalid } from '../../request-fields.ts'
import { derivedModule } from '../analysis-module.ts'

const LAYOUTS = ['imagenet-c', 'cifar-10-c']

/** The sweep's precomputed source checked field by field; null: generated cells. */
export function checkPrecomputedSource(value: unknown): PrecomputedSource | null {
  if (value === undefined || value === null) return null
  const { path, layout } = value as Partial<PrecomputedSource>
  if (typeof path !== 'string' || path === '')
    invalid('precomputed.path must name the folder of the corrupted set.')
  if (!LAYOUTS.includes(layout as string))
    invalid(`precomputed.layout must be ${LAYOUTS.join(' or ')}, got ${String(layout)}.`)
  return { path, layout: layout! }
}

/**
 * A generated cell made to read its (corruption, severity) slice of the precomputed set instead,
 * with the clean selection; the clean cell stays as it is.
 */
export function readFromPrecomputed(
  cell: EvaluateRequest,
  source: PrecomputedSource,
  classes: string[] | null,
): EvaluateRequest {
  if (!cell.corruption) return cell
  const { corruption, ...rest } = cell
  const dataset: DatasetRequest = {
    ...cell.dataset,
    path: source.path,
    format: 'auto',
    split: null,
    classes: cell.dataset.classes ?? classes,
    corrupted: {
      layout: source.layout,
      corruption: corruption.name,
      severity: corruption.severity,
    },
  }
  return { ...rest, dataset }
}

/**
 * Checks that the set holds every requested cell and the clean set's images in its order; returns
 * the class names cells need to name their logits as the clean set does (or null).
 */
export async function precomputedCellClasses(
  request: CorruptionSweepRequest,
): Promise<string[] | null> {
  const source = request.precomputed
  if (!source) return null
  const listing = await listPrecomputedSet(source.path, source.layout)
  const present = listing.corruptions.map((c) => c.name)
  const absent = request.corruptions.filter((name) => !present.includes(name))
  if (absent.length > 0)
    invalid(
      `'${listing.path}' holds no ${absent.join(', ')}: it holds ${present.join(', ')}; choose among those.`,
    )
  const slices = request.corruptions.flatMap((corruption) =>
    [...new Set(request.severities)].map((severity) => ({
      layout: source.layout,
      corruption,
      severity,
    })),
  )
  return checkSlicesAgainstClean(request.dataset, source.path, slices)
}

/**
 * A cell as the sweep's summaries read it: a precomputed cell's corruption and severity (from its
 * dataset) where a generated cell keeps its own `corruption`.
 */
export function asSweptCell(
  cell: EvaluateRequest,
  request: CorruptionSweepRequest,
): EvaluateRequest {
  const slice = cell.dataset.corrupted
  if (!slice) return cell
  const { seed, padding } = request
  const corruption = {
    name: slice.corruption,
    severity: slice.severity,
    seed,
    jpegQuality: null,
    padding,
  }
  return { ...cell, corruption }
}

/** The corruptions and severities a precomputed set holds: what a sweep can take from it. */
export const precomputedSetModule = derivedModule({
  channel: 'robustness:precomputed',
  jobsFor: () => Promise.resolve([]),
  compute: async (request: PrecomputedSetRequest) => {
    if (typeof request?.path !== 'string' || request.path === '')
      invalid('path must name the folder of the corrupted set.')
    if (request.layout !== 'auto' && !LAYOUTS.includes(request.layout))
      invalid(`layout must be auto, ${LAYOUTS.join(' or ')}, got ${String(request.layout)}.`)
    return listPrecomputedSet(request.path, request.layout)
  },
})
