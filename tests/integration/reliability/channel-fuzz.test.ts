// Bounded fuzzing of every channel through the web host: plausible requests with one field
// replaced by something wrong (a huge number, a path outside the roots, the wrong type, ...).
// Every answer is a value or a coded error: never INTERNAL, never a 5xx, and the host stays up.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ANALYSIS_MODULES } from '../../../electron/api/analyses/index.ts'
import { INVOKE_CHANNELS } from '../../../electron/api/contract/index.ts'
import type { JobRequest } from '../../../electron/api/contract/index.ts'
import { startServer } from '../../../electron/server/server.ts'
import type { WorkbenchServer } from '../../../electron/server/server.ts'
import { SeededRandom } from '../../../native-models/surgery/prng.ts'
import { writeIdxImages } from '../../fixtures/data/idx-images.ts'
import { FMNIST_PREPROCESSING, writeSmallResNet } from '../../fixtures/data/fmnist.ts'
import { send } from '../server/http-client.ts'

const CALLS_PER_CHANNEL = 60
/** Channels that open or create a workspace elsewhere get fewer calls: each one is slow. */
const SLOW_CHANNELS = new Set(['workspace:example'])

let temp = ''
let root = ''
let server: WorkbenchServer
let model = ''
let images = ''

function invoke(channel: string, args: unknown[]): Promise<{ status: number; body: string }> {
  return send(server.port, {
    method: 'POST',
    path: `/api/invoke/${channel}`,
    headers: { Authorization: `Bearer ${server.token}` },
    body: JSON.stringify(args),
  })
}

function wrongValues(): unknown[] {
  return [
    null,
    true,
    0,
    -1,
    2.5,
    1e62,
    -1e62,
    2 ** 53,
    '',
    'x',
    'x'.repeat(10_000),
    '../../etc/passwd',
    '/etc/passwd',
    join(root, 'missing.onnx'),
    join(root, 'notes.txt'),
    root,
    [],
    [1e62, 1e62],
    [null],
    {},
    { kind: 'evaluate' },
  ]
}

/** Requests that would be accepted, one per job kind, to mutate. */
function validRequests(): JobRequest[] {
  const base = {
    checkpointId: null,
    modelPath: model,
    dataset: {
      path: images,
      format: 'idx' as const,
      split: 'test',
      holdout: null,
      classes: null,
      sample: null,
      limit: 4,
    },
    preprocessing: FMNIST_PREPROCESSING,
    batchSize: 4,
    provider: 'cpu' as const,
  }
  return ANALYSIS_MODULES.flatMap((module) => module.jobs.map((job) => job.exampleRequest(base)))
}

/** A copy of `value` with one field, at any depth, replaced by `replacement`. */
function mutated(value: unknown, random: SeededRandom, replacement: unknown): unknown {
  if (typeof value !== 'object' || value === null || random.nextFloat64() < 0.3) return replacement
  const entries: [string, unknown][] = Object.entries(value)
  if (entries.length === 0) return replacement
  const at = Math.floor(random.nextFloat64() * entries.length)
  const [key, field] = entries[at]
  entries[at] = [key, mutated(field, random, replacement)]
  return Array.isArray(value) ? entries.map(([, v]) => v) : Object.fromEntries(entries)
}

function argumentsFor(channel: string, random: SeededRandom): unknown[] {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random.nextFloat64() * items.length)]
  const plausible: unknown[] = [1, 2, model, images, root, ...validRequests(), { resultId: 1 }]
  const count = Math.floor(random.nextFloat64() * 4)
  return Array.from({ length: count }, () => mutated(pick(plausible), random, pick(wrongValues())))
}

beforeAll(async () => {
  temp = await mkdtemp(join(tmpdir(), 'channel-fuzz-'))
  root = join(temp, 'root')
  await mkdir(root)
  model = join(root, 'model.onnx')
  images = join(root, 'images')
  await writeSmallResNet(model, 5)
  writeIdxImages(images, 16)
  await writeFile(join(root, 'notes.txt'), 'not a model')
  server = await startServer({
    port: 0,
    workspace: join(root, 'ws'),
    roots: [root],
    rendererFolder: join(temp, 'no-renderer'),
  })
  await invoke('checkpoint:open', [model])
}, 60_000)

afterAll(async () => {
  await server.close()
  await rm(temp, { recursive: true, force: true })
})

describe('every channel, fuzzed', () => {
  it('answers a value or a coded error, never INTERNAL or a server error', async () => {
    const random = new SeededRandom(13, 'channel-fuzz')
    const failures: string[] = []
    for (const channel of Object.keys(INVOKE_CHANNELS)) {
      const calls = SLOW_CHANNELS.has(channel) ? 3 : CALLS_PER_CHANNEL
      for (let call = 0; call < calls; call++) {
        const args = argumentsFor(channel, random)
        const reply = await invoke(channel, args)
        const answer = JSON.parse(reply.body) as { ok: boolean; error?: { code: string } }
        if (reply.status >= 500 || answer.error?.code === 'INTERNAL') {
          failures.push(
            `${channel} ${JSON.stringify(args).slice(0, 300)} → ${reply.body.slice(0, 300)}`,
          )
        }
      }
    }
    expect(failures).toEqual([])
    const info = await invoke('workspace:info', [])
    expect(JSON.parse(info.body)).toMatchObject({ ok: true })
  }, 300_000)
})
