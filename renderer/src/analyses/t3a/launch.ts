import { DEFAULT_T3A_FILTERS } from '../../../../electron/api/contract/index.ts'
import type {
  CheckpointJobBase,
  T3aDomain,
  T3aFilter,
  T3aRequest,
} from '../../../../electron/api/contract/index.ts'
import { baseName } from '../../components/common/format.ts'

/** Where the domains come from: the launcher's dataset, domain folders, or a stored sweep's cells. */
export type DomainSource = 'dataset' | 'folders' | 'sweep'

/** The launcher's T3A fieldset. */
export interface T3aOptions {
  /** Comma-separated M values and 'all'. */
  filters: string
  allBehaviour: T3aRequest['allBehaviour']
  streamBatch: number
  order: 'shuffle' | 'dataset'
  orderSeed: number
  lastPartialBatch: T3aRequest['lastPartialBatch']
  domainsFrom: DomainSource
  /** One domain folder per line (a DomainBed/PACS-style root's sub-folders). */
  folderPaths: string
  /** The domains of the stored sweep chosen in the fieldset; `sweepKey` names it. */
  sweepDomains: T3aDomain[]
  sweepKey: string
}

export function defaultT3aOptions(): T3aOptions {
  return {
    filters: DEFAULT_T3A_FILTERS.join(', '),
    allBehaviour: 'keep-every-support',
    streamBatch: 32,
    order: 'shuffle',
    orderSeed: 0,
    lastPartialBatch: 'predict',
    domainsFrom: 'dataset',
    folderPaths: '',
    sweepDomains: [],
    sweepKey: '',
  }
}

/** '1, 5 all' → [1, 5, 'all']; a word that is neither stays NaN for the service to name. */
export function parseFilters(text: string): T3aFilter[] {
  return text
    .split(/[\s,;]+/)
    .filter((part) => part !== '')
    .map((part) => (part.toLowerCase() === 'all' ? 'all' : Number(part)))
}

/** The folders listed one per line, without blank lines or trailing separators. */
export function folderLines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim().replace(/[\\/]+$/, ''))
    .filter((line) => line !== '')
}

/** One clean domain per folder: the launcher's images' class map and sample, another folder. */
export function folderDomains(base: CheckpointJobBase, paths: string[]): T3aDomain[] {
  return paths.map((path) => ({
    label: baseName(path),
    dataset: {
      ...base.dataset,
      path,
      format: 'auto',
      split: null,
      holdout: null,
      corrupted: null,
    },
    corruption: null,
  }))
}

function domainsOf(base: CheckpointJobBase, options: T3aOptions): T3aDomain[] | null {
  if (options.domainsFrom === 'folders')
    return folderDomains(base, folderLines(options.folderPaths))
  if (options.domainsFrom === 'sweep') return options.sweepDomains
  return null
}

export function t3aRequest(base: CheckpointJobBase, options: T3aOptions): T3aRequest {
  const domains = domainsOf(base, options)
  // A sweep's domains are its own images, not the launcher's: the result is labelled with them.
  const sweepImages = options.domainsFrom === 'sweep' ? domains?.[0]?.dataset : undefined
  return {
    ...base,
    dataset: sweepImages ?? base.dataset,
    kind: 't3a',
    domains,
    filters: parseFilters(options.filters),
    allBehaviour: options.allBehaviour,
    streamBatch: options.streamBatch,
    order:
      options.order === 'shuffle'
        ? { kind: 'shuffle', seed: options.orderSeed }
        : { kind: 'dataset' },
    lastPartialBatch: options.lastPartialBatch,
  }
}

/** The request on the parameters another result stored (its provenance). */
export function t3aRequestLike(
  base: CheckpointJobBase,
  parameters: Record<string, unknown>,
): T3aRequest {
  const stored = parameters as Partial<Omit<T3aRequest, 'kind'>>
  const defaults = t3aRequest(base, defaultT3aOptions())
  return {
    ...defaults,
    domains: stored.domains ?? defaults.domains,
    filters: stored.filters ?? defaults.filters,
    allBehaviour: stored.allBehaviour ?? defaults.allBehaviour,
    streamBatch: stored.streamBatch ?? defaults.streamBatch,
    order: stored.order ?? defaults.order,
    lastPartialBatch: stored.lastPartialBatch ?? defaults.lastPartialBatch,
  }
}
