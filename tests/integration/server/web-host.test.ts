import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EvaluateRequest, JobInfo } from '../../../electron/api/contract/index.ts'
import type { FolderListing } from '../../../electron/server/folder-browser.ts'
import { startServer } from '../../../electron/server/server.ts'
import type { WorkbenchServer } from '../../../electron/server/server.ts'
import { THREADS_ENV } from '../../../native-models/runtime/index.ts'
import { writeSynthesizedResNet } from '../../../native-models/surgery/synth.ts'
import { openEvents, send } from './http-client.ts'

process.env[THREADS_ENV] ??= '1'

const FMNIST_64 = fileURLToPath(new URL('../../fixtures/goldens/eval-fmnist-64', import.meta.url))

let temp = ''
let root = ''
let server: WorkbenchServer
let bearer: Record<string, string> = {}

beforeAll(async () => {
  temp = await mkdtemp(join(tmpdir(), 'web-host-'))
  root = join(temp, 'root')
  await mkdir(join(root, 'models'), { recursive: true })
  await symlink(tmpdir(), join(root, 'escape'))
  const rendererFolder = join(temp, 'no-renderer')
  server = await startServer({
    port: 0,
    workspace: join(temp, 'ws'),
    roots: [root],
    rendererFolder,
  })
  bearer = { Authorization: `Bearer ${server.token}` }
})

afterAll(async () => {
  await server.close()
  await rm(temp, { recursive: true, force: true })
})

function invoke(channel: string, args: unknown[], headers = bearer) {
  return send(server.port, {
    method: 'POST',
    path: `/api/invoke/${channel}`,
    headers,
    body: JSON.stringify(args),
  })
}

function listingOf(body: string): FolderListing {
  return (JSON.parse(body) as { value: FolderListing }).value
}

function listFolder(path: string) {
  return send(server.port, {
    path: `/api/fs/list?path=${encodeURIComponent(path)}`,
    headers: bearer,
  })
}

describe('the web host token', () => {
  it('answers 401 on a JSON route without the token', async () => {
    const reply = await invoke('run:list', [], {})
    expect(reply.status).toBe(401)
    expect(JSON.parse(reply.body)).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } })
  })

  it('answers 401 on the event stream without the token', async () => {
    const reply = await send(server.port, { path: '/api/events' })
    expect(reply.status).toBe(401)
  })

  it('answers 401 with a wrong bearer token of the same length', async () => {
    const wrong = 'x'.repeat(server.token.length)
    const reply = await invoke('run:list', [], { Authorization: `Bearer ${wrong}` })
    expect(reply.status).toBe(401)
  })

  it('answers 200 with the bearer header', async () => {
    expect((await invoke('run:list', [])).status).toBe(200)
  })

  it('trades the page URL token for an HttpOnly SameSite=Strict cookie that then authorizes', async () => {
    const opened = await send(server.port, { path: `/?token=${server.token}` })
    expect(opened.status).toBe(303)
    expect(opened.headers.location).toBe('/')
    const cookie = opened.headers['set-cookie']?.[0] ?? ''
    expect(cookie).toMatch(/HttpOnly/)
    expect(cookie).toMatch(/SameSite=Strict/)
    const reply = await invoke('run:list', [], { Cookie: cookie.split(';')[0] })
    expect(reply.status).toBe(200)
  })

  it('refuses a foreign Host header even with the token', async () => {
    const headers = { ...bearer, Host: `evil.example:${server.port}` }
    const reply = await send(server.port, { path: '/api/fs/list', headers })
    expect(reply.status).toBe(421)
  })

  it('refuses a request from another local origin', async () => {
    const headers = { ...bearer, Origin: 'http://localhost:1' }
    expect((await invoke('run:list', [], headers)).status).toBe(403)
  })
})

describe('the invoke route', () => {
  it('round-trips run:list as an IpcResult', async () => {
    const reply = await invoke('run:list', [])
    expect(JSON.parse(reply.body)).toEqual({ ok: true, value: [] })
  })

  it('returns domain errors as ok:false with HTTP 200', async () => {
    const reply = await invoke('run:get', [999])
    expect(reply.status).toBe(200)
    expect(JSON.parse(reply.body)).toMatchObject({ ok: false, error: { code: 'NOT_IN_WORKSPACE' } })
  })

  it('answers 404 for an unknown channel', async () => {
    expect((await invoke('run:nope', [])).status).toBe(404)
  })

  it('answers 413 for a body over the limit', async () => {
    const reply = await invoke('model:summary', ['x'.repeat(2 * 1024 * 1024)])
    expect(reply.status).toBe(413)
  })

  it('answers 400 when the body is not a JSON array', async () => {
    const reply = await send(server.port, {
      method: 'POST',
      path: '/api/invoke/run:list',
      headers: bearer,
      body: '{}',
    })
    expect(reply.status).toBe(400)
  })
})

describe('the folder browser', () => {
  it('lists the allowed roots when no path is given', async () => {
    const reply = await send(server.port, { path: '/api/fs/list', headers: bearer })
    expect(listingOf(reply.body).entries).toHaveLength(1)
  })

  it('lists folders inside a root', async () => {
    const reply = await listFolder(root)
    expect(reply.status).toBe(200)
    const names = listingOf(reply.body).entries.map((e) => e.name)
    expect(names).toContain('models')
  })

  it('refuses a path outside the roots with 403', async () => {
    expect((await listFolder(temp)).status).toBe(403)
  })

  it('refuses a .. escape with 403', async () => {
    expect((await listFolder(join(root, 'models') + '/../..')).status).toBe(403)
  })

  it('refuses a symlink that leads out of a root with 403', async () => {
    expect((await listFolder(join(root, 'escape'))).status).toBe(403)
  })
})

describe('static files', () => {
  it('says to build the renderer first when it is missing, under a strict CSP', async () => {
    const reply = await send(server.port, { path: '/', headers: bearer })
    expect(reply.body).toMatch(/electron-vite build/)
    expect(reply.headers['content-security-policy']).toMatch(/default-src 'self'/)
  })
})

describe('malformed URLs', () => {
  it('answer 400, not 500, for a broken %-encoding', async () => {
    expect((await send(server.port, { path: '/%E0%A4%A', headers: bearer })).status).toBe(400)
    const channel = await send(server.port, {
      method: 'POST',
      path: '/api/invoke/run%ZZlist',
      headers: bearer,
      body: '[]',
    })
    expect(channel.status).toBe(400)
  })
})

describe('data answers', () => {
  it('carry nosniff and a content security policy, as the page does', async () => {
    const reply = await invoke('run:list', [])
    expect(reply.headers['x-content-type-options']).toBe('nosniff')
    expect(reply.headers['content-security-policy']).toMatch(/default-src 'none'/)
    const events = await openEvents(server.port, bearer)
    expect(events.headers['x-content-type-options']).toBe('nosniff')
    events.close()
  })
})

describe('the event stream', () => {
  it('delivers job:progress while a job runs', async () => {
    const modelPath = join(root, 'models', 'resnet18-32.onnx')
    const synth = {
      depth: 18,
      numClasses: 10,
      inputSize: 32,
      cifarStem: true,
      bnFolded: false,
    } as const
    await writeSynthesizedResNet(modelPath, {
      ...synth,
      opset: 17,
      seed: 1,
      batch: 'dynamic',
      externalData: false,
    })
    const events = await openEvents(server.port, bearer)
    expect(events.status).toBe(200)
    const progress = events.next('job:progress')
    await server.service.runJob(evaluation(modelPath))
    const job = (await progress) as JobInfo
    expect(job.kind).toBe('evaluate')
    events.close()
  })
})

function evaluation(modelPath: string): EvaluateRequest {
  return {
    kind: 'evaluate',
    checkpointId: null,
    modelPath,
    dataset: {
      path: FMNIST_64,
      format: 'idx',
      split: 't10k',
      holdout: null,
      classes: null,
      sample: null,
      limit: null,
    },
    preprocessing: {
      resize: null,
      centerCrop: null,
      pad: 2,
      grayToRgb: true,
      mean: [0.286, 0.286, 0.286],
      std: [0.353, 0.353, 0.353],
      inputSize: [32, 32],
    },
    batchSize: 16,
    provider: 'cpu',
  }
}
