import { createHash } from 'node:crypto'
import { cp, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { DbHandle } from '../../../db/handle.ts'
import { getRunDetail } from '../../../db/queries/run-detail.ts'
import { listRuns } from '../../../db/queries/runs.ts'
import { connectionOf } from '../../../db/handle.ts'
import type { ImportReport, ModelSummary } from '../../../electron/api/contract/index.ts'
import { importRunFolder as importRunFolderIntoWorkspace } from '../../../electron/api/import-run.ts'
import { createTempWorkspace, fakeSummary } from '../../unit/db/temp-workspace.ts'
import type { TempWorkspace } from '../../unit/db/temp-workspace.ts'

const COMPLETE = join(import.meta.dirname, '../../fixtures/runs/complete')

let temp: TempWorkspace
let db: DbHandle
let runFolder: string
beforeEach(async () => {
  temp = await createTempWorkspace()
  db = temp.workspace.db
  runFolder = join(temp.folder, 'resnet-run')
  await cp(COMPLETE, runFolder, { recursive: true })
})
afterEach(() => temp.dispose())

async function summaryOfFakeOnnx(path: string): Promise<ModelSummary> {
  const sha256 = createHash('sha256')
    .update(await readFile(path))
    .digest('hex')
  return fakeSummary(sha256)
}

/** The service's import, with the ONNX summary of the fixture's fake files standing in. */
function importRunFolder(folder: string): Promise<ImportReport> {
  return importRunFolderIntoWorkspace(db, folder, undefined, summaryOfFakeOnnx)
}

function countRows(table: string): number {
  return connectionOf(db).prepare<[], number>(`SELECT count(*) FROM ${table}`).pluck().get()!
}

describe('importing a run folder into a workspace', () => {
  it('stores the run from run.json, every checkpoint and every metric series', async () => {
    const saved = await importRunFolder(runFolder)
    expect(saved.run).toMatchObject({
      name: 'resnet50-cifar10-baseline',
      checkpointCount: 4,
      lastEpoch: 2,
    })
    expect(saved.added.map((c) => `${c.epoch}${c.variant}`)).toEqual(['0', '1', '1bn', '2'])
    const detail = getRunDetail(db, saved.run.id)!
    expect(detail.metrics.map((s) => `${s.name}:${s.split}`)).toContain(
      'grad_norms/fc.weight:train',
    )
    expect(detail.preprocessing?.mean).toEqual([0.4914, 0.4822, 0.4465])
  })

  it('adds nothing on a second import of an unchanged folder', async () => {
    await importRunFolder(runFolder)
    const again = await importRunFolder(runFolder)
    expect(again.added).toEqual([])
    expect(again.unchanged).toBe(4)
  })

  it('adds just the new epoch and the new metric rows while training goes on', async () => {
    await importRunFolder(runFolder)
    await writeFile(join(runFolder, 'epoch_3.onnx'), 'FAKE ONNX: epoch 3')
    const line = '{"epoch": 3, "split": "train", "loss": 0.9}\n'
    await writeFile(join(runFolder, 'metrics.jsonl'), line, { flag: 'a' })
    const again = await importRunFolder(runFolder)
    expect(again.added.map((c) => c.epoch)).toEqual([3])
    expect(again).toMatchObject({ unchanged: 4, run: { checkpointCount: 5, lastEpoch: 3 } })
    const loss = getRunDetail(db, again.run.id)!.metrics.find(
      (s) => s.name === 'loss' && s.split === 'train',
    )
    expect(loss?.points.map((p) => p.epoch)).toEqual([0, 1, 2, 3])
  })

  it('keeps the workspace as it was when the folder has become malformed', async () => {
    const { run } = await importRunFolder(runFolder)
    const before = getRunDetail(db, run.id)
    await writeFile(join(runFolder, 'epoch_3.onnx'), 'FAKE ONNX: epoch 3')
    await writeFile(join(runFolder, 'metrics.jsonl'), '{"epoch": "x"}\n', { flag: 'a' })
    await expect(importRunFolder(runFolder)).rejects.toMatchObject({ code: 'METRICS_MALFORMED' })
    expect(getRunDetail(db, run.id)).toEqual(before)
  })

  it('refuses a folder whose every checkpoint is unreadable, and stores no empty run', async () => {
    const error = await importRunFolderIntoWorkspace(db, runFolder).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'RUN_FOLDER_UNREADABLE' })
    expect((error as Error).message).toContain(`None of the 4 checkpoint file(s) in '${runFolder}'`)
    expect((error as Error).message).toContain('is not an ONNX model')
    expect(listRuns(db)).toEqual([])
    expect(countRows('metrics')).toBe(0)
  })
})
