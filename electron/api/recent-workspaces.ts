import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

const MAX_RECENT = 8

/** The workspaces a host opened, newest first, kept in `<userData>/settings.json`. */
export class RecentWorkspaces {
  readonly #file: string

  constructor(userDataFolder: string) {
    this.#file = join(userDataFolder, 'settings.json')
  }

  list(): string[] {
    try {
      const parsed = JSON.parse(readFileSync(this.#file, 'utf8')) as { recentWorkspaces?: unknown }
      const recent = parsed.recentWorkspaces
      return Array.isArray(recent) ? recent.filter((f): f is string => typeof f === 'string') : []
    } catch {
      return [] // no settings yet, or a damaged file: start over rather than refuse to open
    }
  }

  /** The folder the host should open at start: the last one, else the default. */
  last(fallback: string): string {
    return this.list()[0] ?? fallback
  }

  remember(folder: string): void {
    const recent = [folder, ...this.list().filter((f) => f !== folder)].slice(0, MAX_RECENT)
    mkdirSync(dirname(this.#file), { recursive: true })
    const temporary = `${this.#file}.${process.pid}.tmp`
    writeFileSync(temporary, JSON.stringify({ recentWorkspaces: recent }, null, 2))
    renameSync(temporary, this.#file)
  }
}
