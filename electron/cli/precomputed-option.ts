import { resolve } from 'node:path'
import { Option } from 'commander'
import { precomputedSetModule } from '../api/analyses/robustness/precomputed-cells.ts'
import type { CorruptionName, PrecomputedSource } from '../api/contract/index.ts'
import { RequestError } from '../api/errors.ts'
import type { WorkbenchService } from '../api/service.ts'
import type { Output } from './output.ts'

export const PRECOMPUTED_HELP =
  'read each cell’s images from a precomputed corrupted set instead of generating them: an ImageNet-C folder (<corruption>/<severity>/<class>/<image>) or a CIFAR-10-C folder (<corruption>.npy + labels.npy) made from the --data images; default corruptions: those it holds'

export const layoutOption = (): Option =>
  new Option('--layout <layout>', 'layout of --precomputed (default: detected)').choices([
    'imagenet-c',
    'cifar-10-c',
  ])

/** The sweep's precomputed source and the corruptions it holds; null without --precomputed. */
export async function precomputedSourceOf(
  service: WorkbenchService,
  options: { precomputed?: string; layout?: 'imagenet-c' | 'cifar-10-c' },
  out: Output,
): Promise<{ source: PrecomputedSource; corruptions: CorruptionName[] } | null> {
  if (options.precomputed === undefined && options.layout !== undefined)
    throw new RequestError(
      'INVALID_ARGUMENT',
      '--layout describes --precomputed <folder>: give the folder too.',
    )
  if (options.precomputed === undefined) return null
  const listing = await service.computeDerived(precomputedSetModule, {
    path: resolve(options.precomputed),
    layout: options.layout ?? 'auto',
  })
  for (const warning of listing.warnings) out.warn(warning)
  return {
    source: { path: listing.path, layout: listing.layout },
    corruptions: listing.corruptions.map((c) => c.name),
  }
}
