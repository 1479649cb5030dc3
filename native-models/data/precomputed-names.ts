import { CORRUPTION_NAMES } from '../../electron/api/contract/index.ts'
import type { CorruptionName } from '../../electron/api/contract/index.ts'

export function isCorruptionName(name: string): name is CorruptionName {
  return (CORRUPTION_NAMES as readonly string[]).includes(name)
}

/**
 * Names in a precomputed set that are no protocol corruption are left out, not swept under their
 * own name: a cell's name decides its parameter table, its AlexNet error and its place in the views.
 */
export function unknownWarning(root: string, unknown: readonly string[], what: string): string[] {
  if (unknown.length === 0) return []
  const names = unknown.map((name) => `'${name}'`).join(', ')
  return [
    `${unknown.length} ${what} of '${root}' (${names}) are named after no ImageNet-C corruption and are left out: rename one if it is a protocol corruption under another name.`,
  ]
}
