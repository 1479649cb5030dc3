import { DatasetError } from './errors.ts'

function quoted(names: readonly string[], max = 8): string {
  const shown = names
    .slice(0, max)
    .map((n) => `'${n}'`)
    .join(', ')
  return names.length > max ? `${shown} and ${names.length - max} more` : shown
}

function assertNoDuplicates(classes: readonly string[]): void {
  const seen = new Set<string>()
  const duplicates = classes.filter((name) => seen.has(name) || !seen.add(name))
  if (duplicates.length > 0) {
    throw new DatasetError(
      'INVALID_ARGUMENT',
      `The classes list names ${quoted([...new Set(duplicates)])} more than once: give each class one logit index.`,
    )
  }
}

/**
 * The logit order of an ImageFolder: sorted folder names, or `override` (from run.json), which must
 * name every class folder; names without a folder are allowed (a split may lack a class).
 */
export function folderClassOrder(
  root: string,
  classFolders: readonly string[],
  override: readonly string[] | null,
): string[] {
  if (override === null) return [...classFolders]
  assertNoDuplicates(override)
  const known = new Set(override)
  const missing = classFolders.filter((name) => !known.has(name))
  if (missing.length > 0) {
    throw new DatasetError(
      'INVALID_ARGUMENT',
      `The classes list does not name the class folder(s) ${quoted(missing)} of '${root}': add them to 'classes' (in logit order) or remove the folders.`,
    )
  }
  return [...override]
}

/**
 * The logit order of numeric labels (IDX, NPY): '0'..'K-1' by default, or `override`, which must have
 * a name for the largest label.
 */
export function numericClassOrder(
  file: string,
  labels: ArrayLike<number>,
  override: readonly string[] | null,
): string[] {
  let largest = -1
  for (let i = 0; i < labels.length; i += 1) {
    const label = labels[i]
    if (!Number.isInteger(label) || label < 0) {
      throw new DatasetError(
        'DATASET_MALFORMED',
        `'${file}' holds label ${label} at index ${i}: labels must be integers from 0.`,
      )
    }
    if (label > largest) largest = label
  }
  if (override === null) return Array.from({ length: largest + 1 }, (_, i) => String(i))
  assertNoDuplicates(override)
  if (largest >= override.length) {
    throw new DatasetError(
      'INVALID_ARGUMENT',
      `'${file}' holds label ${largest} but the classes list has ${override.length} names (labels 0..${override.length - 1}): give a name for every label.`,
    )
  }
  return [...override]
}
