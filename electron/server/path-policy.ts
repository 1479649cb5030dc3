import { lstat, realpath } from 'node:fs/promises'
import { basename, dirname, isAbsolute, join, relative } from 'node:path'
import { INVOKE_CHANNELS } from '../api/contract/index.ts'
import type { InvokeChannel, PathArgument } from '../api/contract/index.ts'
import type { Handlers } from '../api/dispatch.ts'
import { RequestError } from '../api/errors.ts'
import { isInside } from './folder-browser.ts'

const exists = (path: string): Promise<boolean> =>
  lstat(path).then(
    () => true,
    () => false,
  )

/**
 * The web host's one rule for every file or folder a request names: an absolute path which,
 * symlinks followed, lies inside the allowed roots; a file to write must not exist yet. The
 * checked real path is what the service then uses.
 */
export class PathPolicy {
  readonly #roots: Promise<string[]>
  readonly #rootsText: string

  constructor(roots: string[]) {
    this.#roots = Promise.all(roots.map((root) => realpath(root)))
    this.#rootsText = roots.join(', ')
  }

  /** The arguments of a call with each path argument checked and made real. */
  async apply(channel: InvokeChannel, args: unknown[]): Promise<unknown[]> {
    const checked = structuredClone(args)
    for (const spec of INVOKE_CHANNELS[channel].paths) {
      for (const { holder, key } of locate(checked, spec)) {
        const value = holder[key]
        if (value === null || value === undefined) continue
        if (typeof value !== 'string' || value === '')
          throw new RequestError('INVALID_ARGUMENT', `A path was expected, got ${typeof value}.`)
        holder[key] = await this.#check(value, spec.access)
      }
    }
    return checked
  }

  async #check(path: string, access: PathArgument['access']): Promise<string> {
    if (!isAbsolute(path))
      throw new RequestError('INVALID_ARGUMENT', `'${path}' must be an absolute path.`)
    const isThere = await exists(path)
    if (access === 'write' && isThere)
      throw new RequestError(
        'INVALID_ARGUMENT',
        `'${path}' exists already, and this web host never overwrites a file: choose a new name.`,
      )
    if (isThere) return this.#inside(await realpath(path), path)
    // A missing path: its nearest existing folder decides (the service reports it missing).
    let folder = dirname(path)
    while (!(await exists(folder)) && dirname(folder) !== folder) folder = dirname(folder)
    const real = join(await realpath(folder), relative(folder, path))
    return this.#inside(real, path)
  }

  async #inside(real: string, asked: string): Promise<string> {
    if ((await this.#roots).some((root) => isInside(real, root))) return real
    throw new RequestError(
      'PATH_OUTSIDE_ROOTS',
      `'${basename(asked) || asked}' (${asked}) is outside the folders this web host may use (${this.#rootsText}): start it with --root <folder> to allow another.`,
    )
  }
}

type Holder = Record<string | number, unknown>

/** Where a path argument sits; a '*' step goes into every element of a list. */
function locate(args: unknown[], spec: PathArgument): { holder: Holder; key: string | number }[] {
  const path = [spec.arg, ...(spec.field ?? [])]
  let holders: unknown[] = [args]
  for (const step of path.slice(0, -1)) {
    holders = holders.flatMap((holder): unknown[] => {
      if (typeof holder !== 'object' || holder === null) return []
      if (step === '*' && Array.isArray(holder)) return holder as unknown[]
      return [(holder as Holder)[step]]
    })
  }
  const key = path.at(-1)!
  return holders
    .filter((holder): holder is Holder => typeof holder === 'object' && holder !== null)
    .map((holder) => ({ holder, key }))
}

/** Every handler behind the policy: a request's paths are checked before the service runs. */
export function withPathPolicy(handlers: Handlers, policy: PathPolicy): Handlers {
  const guarded = Object.entries(handlers).map(([channel, handler]) => [
    channel,
    async (...args: unknown[]) =>
      (handler as (...a: unknown[]) => Promise<unknown>)(
        ...(await policy.apply(channel as InvokeChannel, args)),
      ),
  ])
  return Object.fromEntries(guarded) as Handlers
}
