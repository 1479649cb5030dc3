import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { InvalidArgumentError, Option } from 'commander'
import type { Command } from 'commander'
import { CORRUPTION_NAMES, DEFAULT_T3A_FILTERS } from '../../api/contract/index.ts'
import type {
  CorruptionName,
  DatasetRequest,
  ResultInfo,
  T3aDomain,
  T3aFilter,
  T3aRequest,
  T3aResult,
} from '../../api/contract/index.ts'
import { addCorruptionDrawOptions, corruptionDrawFields } from '../corruption-options.ts'
import type { CorruptionDrawOptions } from '../corruption-options.ts'
import { formatTable } from '../format.ts'
import {
  addCheckpointJobOptions,
  checkpointJobFields,
  listOption,
  positiveInteger,
  seed,
} from '../job-options.ts'
import type { CheckpointJobOptions } from '../job-options.ts'
import type { Output } from '../output.ts'
import { runJobToResult } from '../run-job.ts'
import { withService } from '../service-host.ts'

interface T3aOptions extends CheckpointJobOptions, CorruptionDrawOptions {
  filters: string
  allBehaviour: T3aRequest['allBehaviour']
  streamBatch: number
  order: 'shuffle' | 'dataset'
  orderSeed: number
  dropLast?: boolean
  domainsRoot?: string
  corruptions?: string
}

function filtersOf(text: string): T3aFilter[] {
  return listOption(text).map((part) => {
    if (part === 'all') return 'all'
    const m = Number(part)
    if (!Number.isSafeInteger(m) || m < 1)
      throw new InvalidArgumentError(
        `--filters: '${part}' is neither a whole number ≥ 1 nor 'all'.`,
      )
    return m
  })
}

/** Each sub-folder of a DomainBed/PACS-style root (root/<domain>/<class>/<image>) as a domain. */
function folderDomains(root: string, base: DatasetRequest): T3aDomain[] {
  const folders = readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
    .map((entry) => entry.name)
    .sort()
  if (folders.length === 0)
    throw new InvalidArgumentError(
      `--domains-root '${root}' has no sub-folders: it should hold one folder per domain, each with one folder per class.`,
    )
  return folders.map((name) => ({
    label: name,
    dataset: { ...base, path: join(root, name), format: 'imagefolder', split: null },
    corruption: null,
  }))
}

/** The clean set and each (corruption, severity) cell on it, as domains. */
function corruptionDomains(options: T3aOptions, base: DatasetRequest): T3aDomain[] {
  const names = listOption(options.corruptions)
  for (const name of names)
    if (!CORRUPTION_NAMES.includes(name as CorruptionName))
      throw new InvalidArgumentError(`--corruptions: unknown corruption '${name}'.`)
  const draw = corruptionDrawFields(options)
  const cells = names.flatMap((name) =>
    draw.severities.map((severity) => ({
      label: `${name} ${severity}`,
      dataset: base,
      corruption: {
        name: name as CorruptionName,
        severity,
        seed: draw.seed,
        jpegQuality: draw.jpegQuality,
        padding: draw.padding,
      },
    })),
  )
  return [{ label: 'clean', dataset: base, corruption: null }, ...cells]
}

function domainsOf(options: T3aOptions, base: DatasetRequest): T3aDomain[] | null {
  if (options.domainsRoot !== undefined && options.corruptions !== undefined)
    throw new InvalidArgumentError('Give --domains-root or --corruptions, not both.')
  if (options.domainsRoot !== undefined) return folderDomains(options.domainsRoot, base)
  if (options.corruptions !== undefined) return corruptionDomains(options, base)
  return null
}

const pct = (x: number): string => `${(100 * x).toFixed(2)}%`
const signedPoints = (x: number): string => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(2)}`

function printT3a(result: ResultInfo<T3aResult>, out: Output): void {
  const p = result.payload
  const order =
    p.order.kind === 'shuffle' ? `seeded shuffle (seed ${p.order.seed})` : 'dataset order'
  out.text(
    `${result.provenance.modelFile}: T3A on ${p.dim}-d penultimate features, ${p.classes.length} classes, stream batch ${p.streamBatch}, ${order}, last partial batch ${p.lastPartialBatch === 'drop' ? 'dropped' : 'predicted'}; M = all ${p.allBehaviour === 'keep-every-support' ? 'keeps every support' : "drops each class's highest-entropy support per batch (the reference's)"} (result ${result.id})`,
  )
  const filters = p.domains[0]?.filters.map((f) => String(f.filter)) ?? []
  const rows = p.domains.map((domain) => [
    domain.label,
    String(domain.predicted),
    `${pct(domain.base.accuracy)} [${pct(domain.base.interval.lower)}, ${pct(domain.base.interval.upper)}]`,
    ...domain.filters.map(
      (f) =>
        `${pct(f.accuracy)} (${signedPoints(f.delta.value)} [${signedPoints(f.delta.interval.lower)}, ${signedPoints(f.delta.interval.upper)}])`,
    ),
    `${domain.base.meanEntropy.toFixed(3)} → ${Math.min(...domain.filters.map((f) => f.meanEntropy)).toFixed(3)}`,
    domain.features.cache,
  ])
  out.text(
    formatTable(
      [
        'domain',
        'images',
        'base top-1 [95%]',
        ...filters.map((m) => `M=${m} (Δ pt [95%])`),
        'entropy',
        'features',
      ],
      rows,
    ),
  )
}

export function registerT3a(program: Command): void {
  addCorruptionDrawOptions(
    addCheckpointJobOptions(
      program
        .command('t3a')
        .description(
          'T3A test-time classifier adjustment (Iwasawa & Matsuo 2021) on the cached penultimate features: base vs T3A top-1 per domain and filter size M, with paired intervals',
        ),
    ),
    'seed of the corruption draws (with --corruptions)',
  )
    .option(
      '--filters <list>',
      'filter sizes M (supports kept per class), or all',
      DEFAULT_T3A_FILTERS.join(','),
    )
    .addOption(
      new Option(
        '--all-behaviour <how>',
        "M = all: never filter, or the reference's drop of the highest-entropy support per batch",
      )
        .choices(['keep-every-support', 'reference-drops-highest-entropy'])
        .default('keep-every-support'),
    )
    .option('--stream-batch <n>', 'test batch size of the stream', positiveInteger, 32)
    .addOption(
      new Option(
        '--order <order>',
        'stream order: a stored seeded shuffle, or dataset order (class-sorted for image folders)',
      )
        .choices(['shuffle', 'dataset'])
        .default('shuffle'),
    )
    .option('--order-seed <n>', 'seed of the shuffled stream', seed, 0)
    .option('--drop-last', 'leave the last partial batch out (the reference’s drop_last)')
    .option(
      '--domains-root <folder>',
      'each sub-folder (root/<domain>/<class>/<image>) is a domain',
    )
    .option(
      '--corruptions <list>',
      'the clean set and each (corruption, severity) cell on it are domains',
    )
    .action(async (checkpoint: string, options: T3aOptions, command: Command) => {
      await withService(command, async (service, out) => {
        const fields = checkpointJobFields(service, checkpoint, options)
        const request: T3aRequest = {
          kind: 't3a',
          ...fields,
          domains: domainsOf(options, fields.dataset),
          filters: filtersOf(options.filters),
          allBehaviour: options.allBehaviour,
          streamBatch: options.streamBatch,
          order:
            options.order === 'dataset'
              ? { kind: 'dataset' }
              : { kind: 'shuffle', seed: options.orderSeed },
          lastPartialBatch: options.dropLast === true ? 'drop' : 'predict',
        }
        const result = (await runJobToResult(service, request, out)) as ResultInfo<T3aResult>
        if (out.isJson) return out.json(result)
        printT3a(result, out)
      })
    })
}
