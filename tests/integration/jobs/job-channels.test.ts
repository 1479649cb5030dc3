import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EvaluateRequest, JobInfo, JobStart } from '../../../electron/api/contract/index.ts'
import { dispatch } from '../../../electron/api/dispatch.ts'
import type { HostHandlers } from '../../../electron/api/dispatch.ts'
import { serviceHandlers, WorkbenchService } from '../../../electron/api/service.ts'
import { EngineClient } from '../../../native-models/engine/engine-client.ts'
import {
  FMNIST_64_FOLDER,
  FMNIST_PREPROCESSING,
  idxTestImages,
  writeSmallResNet,
} from '../../fixtures/data/fmnist.ts'

const temp = mkdtempSync(join(tmpdir(), 'job-channels-'))
const modelPath = join(temp, 'resnet18.onnx')
const finished: JobInfo[] = []
let engine: EngineClient
let service: WorkbenchService

const noHost: HostHandlers = {
  'host:info': () => Promise.reject(new Error('no host')),
  'dialog:pick': () => Promise.reject(new Error('no host')),
  'fs:list': () => Promise.reject(new Error('no host')),
}

const request: EvaluateRequest = {
  kind: 'evaluate',
  checkpointId: null,
  modelPath,
  dataset: idxTestImages(FMNIST_64_FOLDER, 48),
  preprocessing: FMNIST_PREPROCESSING,
  batchSize: 16,
  provider: 'cpu',
}

function invoke(channel: string, ...args: unknown[]): Promise<unknown> {
  return dispatch({ ...serviceHandlers(service), ...noHost }, channel, args).then((result) => {
    if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`)
    return result.value
  })
}

beforeAll(async () => {
  await writeSmallResNet(modelPath, 4)
  engine = new EngineClient()
  service = new WorkbenchService(join(temp, 'ws'), {
    engine: () => engine,
    onJobChange: (job) => {
      if (job.status === 'done') finished.push(job)
    },
  })
})

afterAll(() => {
  service.close()
  engine.dispose()
  rmSync(temp, { recursive: true, force: true })
})

describe('job channels of the contract', () => {
  it('start a job that reports done to the host and stores a result', async () => {
    const started = (await invoke('job:start', request)) as JobStart
    expect(started.job?.status).toMatch(/queued|running/)
    await expect.poll(() => finished.length, { timeout: 60_000 }).toBe(1)
    const jobs = (await invoke('job:list')) as JobInfo[]
    expect(jobs[0]).toMatchObject({ id: started.job!.id, status: 'done' })
    const result = await invoke('result:get', jobs[0].resultId)
    expect(result).toMatchObject({ kind: 'evaluate', payload: { numImages: 48 } })
  })

  it('answer an identical start from the workspace', async () => {
    const again = (await invoke('job:start', request)) as JobStart
    expect(again.job).toBeNull()
    expect(again.result?.isCached).toBe(true)
  })

  it('refuse to cancel a job that does not exist', async () => {
    await expect(invoke('job:cancel', 9999)).rejects.toThrow(/^JOB_NOT_FOUND/)
  })
})
