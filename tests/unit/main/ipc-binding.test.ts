import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { INVOKE_CHANNELS } from '../../../electron/api/contract/index.ts'
import type { EvaluateRequest, IpcResult, JobInfo } from '../../../electron/api/contract/index.ts'
import type { HostHandlers } from '../../../electron/api/dispatch.ts'
import type { EngineOutcome, EnginePort } from '../../../electron/api/job-manager.ts'
import { serviceHandlers, WorkbenchService } from '../../../electron/api/service.ts'
import { bindIpc, eventForwarder } from '../../../electron/main/ipc.ts'
import type { IpcMainLike } from '../../../electron/main/ipc.ts'
import type { JobProgress, ResolvedJob } from '../../../native-models/engine/job-types.ts'
import {
  FMNIST_64_FOLDER,
  FMNIST_PREPROCESSING,
  idxTestImages,
  writeSmallResNet,
} from '../../fixtures/data/fmnist.ts'

interface FakeEvent {
  trusted: boolean
}

type Listener = (event: FakeEvent, ...args: unknown[]) => Promise<unknown>

/** ipcMain as the binding sees it: handlers by channel, invoked the way a renderer would. */
class FakeIpcMain implements IpcMainLike<FakeEvent> {
  readonly handlers = new Map<string, Listener>()

  handle(channel: string, listener: Listener): void {
    if (this.handlers.has(channel)) throw new Error(`Second handler for '${channel}'.`)
    this.handlers.set(channel, listener)
  }

  removeHandler(channel: string): void {
    this.handlers.delete(channel)
  }

  invoke(channel: string, trusted: boolean, ...args: unknown[]): Promise<IpcResult<unknown>> {
    const listener = this.handlers.get(channel)
    if (!listener) throw new Error(`No handler for '${channel}'.`)
    return listener({ trusted }, ...args) as Promise<IpcResult<unknown>>
  }
}

/** Reports two batches, then fails: a job's events without an ONNX Runtime process. */
class FakeEngine implements EnginePort {
  run(_job: ResolvedJob, onProgress: (progress: JobProgress) => void): Promise<EngineOutcome> {
    onProgress({ stage: 'inference', done: 16, total: 32 })
    onProgress({ stage: 'inference', done: 32, total: 32 })
    return Promise.resolve({
      status: 'failed',
      error: { code: 'INTERNAL', message: 'The fake engine stops here.' },
    })
  }

  cancel(): void {}
}

const temp = mkdtempSync(join(tmpdir(), 'ipc-binding-'))
const modelPath = join(temp, 'resnet18.onnx')
const sent: { channel: string; payload: unknown }[] = []
const window = {
  destroyed: false,
  send: (channel: string, payload: unknown) => sent.push({ channel, payload }),
  isDestroyed: () => window.destroyed,
}
const closedWindow = {
  send: () => expect.unreachable('sent to a closed window'),
  isDestroyed: () => true,
}
const forward = eventForwarder(() => [window, closedWindow])

const hostHandlers: HostHandlers = {
  'host:info': () =>
    Promise.resolve({
      kind: 'electron',
      hasNativeDialogs: true,
      platform: 'linux',
      recentWorkspaces: [],
    }),
  'dialog:pick': () => Promise.reject(new Error('The dialog went away.')),
  'fs:list': () => Promise.resolve({ path: null, parent: null, entries: [] }),
}

let service: WorkbenchService
const ipc = new FakeIpcMain()
let unbind: () => void

beforeAll(async () => {
  await writeSmallResNet(modelPath, 3)
  service = new WorkbenchService(join(temp, 'ws'), {
    engine: () => new FakeEngine(),
    onJobChange: (job) => forward('job:progress', job),
  })
  unbind = bindIpc(ipc, { ...serviceHandlers(service), ...hostHandlers }, (event) => event.trusted)
})

afterAll(() => {
  service.close()
  rmSync(temp, { recursive: true, force: true })
})

describe('bindIpc over the real service', () => {
  it('binds every contract channel and nothing else', () => {
    expect([...ipc.handlers.keys()].sort()).toEqual(Object.keys(INVOKE_CHANNELS).sort())
  })

  it('answers a trusted call with the service value', async () => {
    expect(await ipc.invoke('run:list', true)).toEqual({ ok: true, value: [] })
    const info = await ipc.invoke('host:info', true)
    expect(info).toMatchObject({ ok: true, value: { kind: 'electron' } })
  })

  it('refuses an untrusted sender with an error envelope and never reaches the service', async () => {
    const reply = await ipc.invoke('workspace:open', false, join(temp, 'elsewhere'))
    expect(reply).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } })
    expect(reply.ok ? '' : reply.error.message).toMatch(/not the workbench page/)
    expect(service.folder).toBe(join(temp, 'ws'))
  })

  it('turns a coded service error into {ok:false,error:{code,message}}', async () => {
    const reply = await ipc.invoke('run:get', true, 999)
    expect(reply).toMatchObject({ ok: false, error: { code: 'NOT_IN_WORKSPACE' } })
  })

  it('turns a plain thrown error into an INTERNAL envelope with its message', async () => {
    const reply = await ipc.invoke('dialog:pick', true, {
      kind: 'folder',
      title: 'x',
      defaultPath: null,
    })
    expect(reply).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: 'The dialog went away.' },
    })
  })

  it('forwards job:progress events to live windows while a job runs', async () => {
    const request: EvaluateRequest = {
      kind: 'evaluate',
      checkpointId: null,
      modelPath,
      dataset: idxTestImages(FMNIST_64_FOLDER, 32),
      preprocessing: FMNIST_PREPROCESSING,
      batchSize: 16,
      provider: 'cpu',
    }
    const started = await ipc.invoke('job:start', true, request)
    expect(started).toMatchObject({ ok: true, value: { job: { kind: 'evaluate' } } })
    await expect.poll(() => sent.some((e) => (e.payload as JobInfo).status === 'failed')).toBe(true)
    expect(sent.every((e) => e.channel === 'job:progress')).toBe(true)
    const failed = sent.map((e) => e.payload as JobInfo).find((job) => job.status === 'failed')
    expect(failed?.error?.message).toBe('The fake engine stops here.')
  })

  it('skips a destroyed window', () => {
    window.destroyed = true
    const before = sent.length
    forward('menu:action', { action: 'toggle-theme' })
    expect(sent).toHaveLength(before)
    window.destroyed = false
    forward('menu:action', { action: 'toggle-theme' })
    expect(sent.at(-1)).toEqual({ channel: 'menu:action', payload: { action: 'toggle-theme' } })
  })

  it('unbinds every channel', () => {
    unbind()
    expect(ipc.handlers.size).toBe(0)
  })
})
