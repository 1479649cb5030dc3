// ImageFolder as torchvision reads it: one sub-folder per class (searched recursively), classes
// sorted by name, files ordered by sorted(os.walk(...)) then sorted(file names). Optionally the
// root holds split folders (train/val/test, or any names chosen with `split`) of class folders.
import type { Dirent } from 'node:fs'
import { readdir, stat } from 'node:fs/promises'
import { join, relative, sep } from 'node:path'
import { DatasetError } from './errors.ts'
import { compareCodePoints } from './sorting.ts'

export interface FolderItem {
  path: string
  /** Path relative to the dataset root, '/'-separated: the item's identity in the fingerprint. */
  identity: string
  className: string
}

export interface FolderScan {
  items: FolderItem[]
  /** Sorted names of the class folders found (empty ones included). */
  classFolders: string[]
  warnings: string[]
}

const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png'])
export const KNOWN_SPLITS = ['train', 'val', 'valid', 'validation', 'test']

function extension(name: string): string {
  const dot = name.lastIndexOf('.')
  return dot < 0 ? '' : name.slice(dot).toLowerCase()
}

async function isFolder(folder: string, entry: Dirent): Promise<boolean> {
  if (!entry.isSymbolicLink()) return entry.isDirectory()
  try {
    return (await stat(join(folder, entry.name))).isDirectory()
  } catch {
    return false // a broken link is listed as a file and reported when it is decoded
  }
}

async function entries(folder: string): Promise<{ folders: string[]; files: string[] }> {
  const listed = (await readdir(folder, { withFileTypes: true })).filter(
    (e) => !e.name.startsWith('.'),
  )
  const isFolderFlags = await Promise.all(listed.map((entry) => isFolder(folder, entry)))
  const names = (wanted: boolean): string[] =>
    listed
      .filter((_, i) => isFolderFlags[i] === wanted)
      .map((e) => e.name)
      .sort(compareCodePoints)
  return { folders: names(true), files: names(false) }
}

/** Every (folder, sorted file names) pair below `folder`, ordered by folder path as Python sorts them. */
async function walk(folder: string): Promise<{ folder: string; files: string[] }[]> {
  const { folders, files } = await entries(folder)
  const nested = await Promise.all(folders.map((name) => walk(join(folder, name))))
  const all = [{ folder, files }, ...nested.flat()]
  return all.sort((a, b) => compareCodePoints(a.folder, b.folder))
}

interface ClassFiles {
  items: FolderItem[]
  skipped: string[]
}

async function classFiles(
  root: string,
  classFolder: string,
  className: string,
): Promise<ClassFiles> {
  const result: ClassFiles = { items: [], skipped: [] }
  for (const { folder, files } of await walk(classFolder)) {
    for (const name of files) {
      const path = join(folder, name)
      if (!IMAGE_EXTENSIONS.has(extension(name))) {
        result.skipped.push(path)
        continue
      }
      result.items.push({ path, identity: relative(root, path).split(sep).join('/'), className })
    }
  }
  return result
}

function skippedWarning(skipped: string[]): string[] {
  if (skipped.length === 0) return []
  const kinds = [...new Set(skipped.map((path) => extension(path) || '(no extension)'))].slice(0, 5)
  return [
    `${skipped.length} file(s) that are not JPEG or PNG were left out (${kinds.join(', ')}), e.g. '${skipped[0]}'.`,
  ]
}

/** Reads one class-folder layout: `folder/<class>/**\/<image>.{jpg,jpeg,png}`. */
export async function scanClassFolders(root: string, folder: string): Promise<FolderScan> {
  const classFolders = (await entries(folder)).folders
  const perClass = await Promise.all(
    classFolders.map((name) => classFiles(root, join(folder, name), name)),
  )
  const empty = classFolders.filter((_, i) => perClass[i].items.length === 0)
  const warnings = skippedWarning(perClass.flatMap((c) => c.skipped))
  if (empty.length > 0 && empty.length < classFolders.length) {
    warnings.push(
      `Class folder(s) ${empty.map((n) => `'${n}'`).join(', ')} of '${folder}' hold no JPEG or PNG image.`,
    )
  }
  return { items: perClass.flatMap((c) => c.items), classFolders, warnings }
}

/** The split folders of `root`: sub-folders that themselves hold folders. */
export async function listSplitFolders(root: string): Promise<string[]> {
  const { folders } = await entries(root)
  const nested = await Promise.all(
    folders.map(async (name) => (await entries(join(root, name))).folders.length > 0),
  )
  return folders.filter((_, i) => nested[i])
}

/** True when every sub-folder of `root` has a conventional split name (train, val, test, ...). */
export async function hasSplitLayout(root: string): Promise<boolean> {
  const { folders } = await entries(root)
  return folders.length > 0 && folders.every((name) => KNOWN_SPLITS.includes(name))
}

/** A folder of several splits asked for as a whole: evaluating train and test together is a mistake. */
export function splitRequired(root: string, existing: readonly string[]): DatasetError {
  const names = existing.map((s) => `'${s}'`).join(', ')
  return new DatasetError(
    'INVALID_ARGUMENT',
    `'${root}' holds ${existing.length} splits (${names}): choose one of them as the split.`,
  )
}

export function unknownSplit(root: string, split: string, existing: string[]): DatasetError {
  const known =
    existing.length > 0
      ? `the splits are ${existing.map((s) => `'${s}'`).join(', ')}`
      : 'it has no split sub-folders; use split null'
  return new DatasetError('NOT_FOUND', `'${root}' has no split '${split}': ${known}.`)
}
