// The web host's path policy, for every channel argument the contract declares as a path: a path
// outside the roots is refused (also through a symlink inside them), a relative one too, a file
// to write never overwrites, and a path inside passes as its real absolute path.
import { mkdir, mkdtemp, readFile, realpath, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { INVOKE_CHANNELS } from '../../../electron/api/contract/index.ts'
import type { InvokeChannel, PathArgument } from '../../../electron/api/contract/index.ts'
import { PathPolicy } from '../../../electron/server/path-policy.ts'
import { startServer } from '../../../electron/server/server.ts'
import type { WorkbenchServer } from '../../../electron/server/server.ts'
import { send } from './http-client.ts'

let temp = ''
let root = ''
let outside = ''
let policy: PathPolicy

const declared = Object.entries(INVOKE_CHANNELS).flatMap(([channel, { paths }]) =>
  paths.map((spec) => [channel as InvokeChannel, spec] as const),
)

// A '*' step is a list: the path sits in its only element.
const stepKey = (step: string | number): string | number => (step === '*' ? 0 : step)

/** The channel's arguments with `path` where the spec says, and nothing else. */
function argsWith(spec: PathArgument, path: string): unknown[] {
  const args: unknown[] = []
  const steps = [spec.arg, ...(spec.field ?? [])]
  let holder: Record<string | number, unknown> = args as unknown as Record<number, unknown>
  steps.slice(0, -1).forEach((step, i) => {
    const next = steps[i + 1] === '*' ? [] : {}
    holder = holder[stepKey(step)] = next as Record<string | number, unknown>
  })
  holder[stepKey(steps.at(-1)!)] = path
  return args
}

function valueAt(args: unknown[], spec: PathArgument): unknown {
  return [spec.arg, ...(spec.field ?? [])].reduce<unknown>(
    (holder, step) => (holder as Record<string | number, unknown>)[stepKey(step)],
    args,
  )
}

/** A path of the right kind for the access: an existing file to read, a new name otherwise. */
function target(folder: string, spec: PathArgument): string {
  return spec.access === 'read' ? join(folder, 'data.bin') : join(folder, 'new-output')
}

beforeAll(async () => {
  temp = await mkdtemp(join(tmpdir(), 'path-policy-'))
  root = join(temp, 'root')
  outside = join(temp, 'outside')
  await mkdir(root, { recursive: true })
  await mkdir(outside, { recursive: true })
  await writeFile(join(root, 'data.bin'), 'inside')
  await writeFile(join(outside, 'data.bin'), 'secret: do not echo')
  await symlink(outside, join(root, 'escape'))
  policy = new PathPolicy([root])
})

afterAll(() => rm(temp, { recursive: true, force: true }))

describe('every declared path argument', () => {
  it('exists: the contract declares paths for the channels that read or write files', () => {
    const channels = new Set(declared.map(([channel]) => channel))
    for (const channel of [
      'run:import',
      'model:summary',
      'model:synth',
      'export:bulk',
      'job:start',
    ])
      expect(channels).toContain(channel)
  })

  it.each(declared)('%s refuses a path outside the roots', async (channel, spec) => {
    await expect(
      policy.apply(channel, argsWith(spec, target(outside, spec))),
    ).rejects.toMatchObject({
      code: 'PATH_OUTSIDE_ROOTS',
    })
  })

  it.each(declared)(
    '%s refuses a way out through a symlink inside a root',
    async (channel, spec) => {
      const through = target(join(root, 'escape'), spec)
      await expect(policy.apply(channel, argsWith(spec, through))).rejects.toMatchObject({
        code: 'PATH_OUTSIDE_ROOTS',
      })
    },
  )

  it.each(declared)('%s refuses a relative path', async (channel, spec) => {
    await expect(policy.apply(channel, argsWith(spec, 'data.bin'))).rejects.toThrow(
      /must be an absolute path/,
    )
  })

  it.each(declared)('%s passes a path inside a root as its real path', async (channel, spec) => {
    const path = target(join(root, '.', 'sub', '..'), spec)
    const args = await policy.apply(channel, argsWith(spec, path))
    expect(valueAt(args, spec)).toBe(target(root, spec))
  })
})

describe('paths inside lists', () => {
  it('are each checked: a T3A domain outside the roots is refused even after one inside', async () => {
    const domain = (path: string) => ({ label: path, dataset: { path }, corruption: null })
    const inside = join(root, 'data.bin')
    const request = { kind: 't3a', domains: [domain(inside), domain(join(outside, 'data.bin'))] }
    await expect(policy.apply('job:start', [request])).rejects.toMatchObject({
      code: 'PATH_OUTSIDE_ROOTS',
    })
    const [checked] = (await policy.apply('job:start', [
      { ...request, domains: [domain(inside), domain(inside)] },
    ])) as [{ domains: { dataset: { path: string } }[] }]
    const real = await realpath(inside)
    expect(checked.domains.map((d) => d.dataset.path)).toEqual([real, real])
  })
})

describe('files to write', () => {
  it('are never overwritten', async () => {
    const [channel, spec] = declared.find(([, s]) => s.access === 'write')!
    await expect(policy.apply(channel, argsWith(spec, join(root, 'data.bin')))).rejects.toThrow(
      /exists already, and this web host never overwrites a file/,
    )
  })
})

describe('through the web host', () => {
  let server: WorkbenchServer

  beforeAll(async () => {
    server = await startServer({
      port: 0,
      workspace: join(root, 'ws'),
      roots: [root],
      rendererFolder: join(temp, 'no-renderer'),
    })
  })
  afterAll(() => server.close())

  const invoke = (channel: string, args: unknown[]) =>
    send(server.port, {
      method: 'POST',
      path: `/api/invoke/${channel}`,
      headers: { Authorization: `Bearer ${server.token}` },
      body: JSON.stringify(args),
    })

  it('never echoes a file outside the roots, nor the text of a file that is not a model', async () => {
    const away = await invoke('model:summary', [join(outside, 'data.bin')])
    expect(JSON.parse(away.body)).toMatchObject({
      ok: false,
      error: { code: 'PATH_OUTSIDE_ROOTS' },
    })
    expect(away.body).not.toContain('secret')
    const text = join(root, 'notes.txt')
    await writeFile(text, 'password=hunter2\n')
    const inside = await invoke('model:summary', [text])
    expect(JSON.parse(inside.body)).toMatchObject({ ok: false, error: { code: 'NOT_ONNX' } })
    expect(inside.body).not.toContain('hunter2')
  })

  it('refuses a bulk export over an existing file and leaves the file as it was', async () => {
    const existing = join(root, 'keep.csv')
    await writeFile(existing, 'mine\n')
    const reply = JSON.parse((await invoke('export:bulk', [null, existing])).body) as {
      ok: boolean
    }
    expect(reply.ok).toBe(false)
    expect(await readFile(existing, 'utf8')).toBe('mine\n')
  })

  it('creates the example workspace inside its first root, where it can be opened again', async () => {
    const reply = JSON.parse((await invoke('workspace:example', [])).body) as {
      ok: boolean
      value: { workspace: { folder: string } }
    }
    expect(reply).toMatchObject({ ok: true })
    const folder = reply.value.workspace.folder
    expect(folder).toBe(join(await realpath(root), 'resnet-workbench-example'))
    const reopened = JSON.parse((await invoke('workspace:open', [folder])).body) as { ok: boolean }
    expect(reopened.ok).toBe(true)
  }, 60_000)
})
