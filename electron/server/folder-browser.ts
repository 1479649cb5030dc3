import type { Dirent } from 'node:fs'
import { readdir, realpath, stat } from 'node:fs/promises'
import { dirname, extname, isAbsolute, join, sep } from 'node:path'
import type { FolderListing, ListedEntry, ListedKind } from '../api/contract/index.ts'
import { HttpError } from './http-io.ts'

export type { FolderListing, ListedEntry, ListedKind } from '../api/contract/index.ts'

const KIND_BY_EXTENSION: Record<string, ListedKind> = {
  '.onnx': 'model',
  '.png': 'image',
  '.jpg': 'image',
  '.jpeg': 'image',
  '.webp': 'image',
  '.bmp': 'image',
  '.npy': 'npy',
}

function fileKind(name: string): ListedKind | null {
  if (/-ubyte(\.gz)?$|\.idx\d?(-ubyte)?$/i.test(name)) return 'idx'
  return KIND_BY_EXTENSION[extname(name).toLowerCase()] ?? null
}

/** `path` is `root` or below it (both absolute, symlinks already resolved). */
export function isInside(path: string, root: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep)
}

/**
 * A directory browser for hosts without native dialogs, confined to the roots the user allowed;
 * symlinks are resolved first, so a link inside a root cannot lead out of it.
 */
export class FolderBrowser {
  readonly #roots: Promise<string[]>

  constructor(roots: string[]) {
    this.#roots = Promise.all(roots.map((root) => realpath(root)))
  }

  async list(requested: string | null): Promise<FolderListing> {
    const roots = await this.#roots
    if (!requested) return { path: null, parent: null, entries: roots.map(rootEntry) }
    const folder = await this.#confine(requested, roots)
    const entries = await listEntries(folder)
    const isBelowRoot = roots.some((root) => folder !== root && isInside(folder, root))
    const parent = isBelowRoot ? dirname(folder) : null
    return { path: folder, parent, entries }
  }

  async #confine(requested: string, roots: string[]): Promise<string> {
    if (!isAbsolute(requested) || requested.split(/[\\/]/).includes('..')) {
      throw new HttpError(403, 'FORBIDDEN', `'${requested}' must be an absolute path without '..'.`)
    }
    const real = await realpath(requested).catch(() => {
      throw new HttpError(404, 'NOT_FOUND', `'${requested}' does not exist.`)
    })
    if (!roots.some((root) => isInside(real, root))) {
      throw new HttpError(403, 'FORBIDDEN', `'${requested}' is outside the allowed folders.`)
    }
    if (!(await stat(real)).isDirectory()) {
      throw new HttpError(400, 'BAD_REQUEST', `'${requested}' is not a folder.`)
    }
    return real
  }
}

function rootEntry(root: string): ListedEntry {
  return { name: root, path: root, kind: 'folder', sizeBytes: null }
}

async function listEntries(folder: string): Promise<ListedEntry[]> {
  const dirents = await readdir(folder, { withFileTypes: true })
  const entries: ListedEntry[] = []
  for (const dirent of dirents) {
    if (dirent.name.startsWith('.')) continue
    const entry = await toEntry(folder, dirent)
    if (entry) entries.push(entry)
  }
  return entries.sort(
    (a, b) =>
      Number(b.kind === 'folder') - Number(a.kind === 'folder') || a.name.localeCompare(b.name),
  )
}

/** Symlinked entries are followed for their type; unreadable ones are left out. */
async function toEntry(folder: string, dirent: Dirent): Promise<ListedEntry | null> {
  const path = join(folder, dirent.name)
  const info = await stat(path).catch(() => null)
  if (!info) return null
  if (info.isDirectory()) return { name: dirent.name, path, kind: 'folder', sizeBytes: null }
  const kind = info.isFile() ? fileKind(dirent.name) : null
  return kind ? { name: dirent.name, path, kind, sizeBytes: info.size } : null
}
