import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import type { ImportReport } from '../../../electron/api/contract/index.ts'
import {
  FMNIST_64_FOLDER,
  FMNIST_PREPROCESSING,
  writeSmallResNet,
} from '../../fixtures/data/fmnist.ts'

const repo = fileURLToPath(new URL('../../../', import.meta.url))
const temp = mkdtempSync(join(tmpdir(), 'import-check-'))

async function runFolder(
  name: string,
  loggedAccuracy: number,
  logged: Record<string, unknown> = { split: 'test', accuracy: loggedAccuracy },
  testLimit?: number,
): Promise<string> {
  const folder = join(temp, name)
  mkdirSync(folder, { recursive: true })
  await writeSmallResNet(join(folder, 'epoch_1.onnx'), 11)
  const runJson = {
    name,
    preprocessing: FMNIST_PREPROCESSING,
    dataset: { path: FMNIST_64_FOLDER, testSplit: 't10k', testLimit },
  }
  writeFileSync(join(folder, 'run.json'), JSON.stringify(runJson))
  const line = { epoch: 1, ...logged }
  writeFileSync(join(folder, 'metrics.jsonl'), JSON.stringify(line) + '\n')
  return folder
}

function importJson(folder: string, ...flags: string[]): ImportReport {
  const args = [
    'bin/resnet-workbench.js',
    '-w',
    join(temp, 'ws'),
    '--json',
    'import',
    folder,
    ...flags,
  ]
  const result = spawnSync(process.execPath, args, { cwd: repo, encoding: 'utf8' })
  expect(result.status).toBe(0)
  return JSON.parse(result.stdout) as ImportReport
}

afterAll(() => rmSync(temp, { recursive: true, force: true }))

describe('the accuracy check after import', () => {
  it("warns when the newest epoch's accuracy is far from the logged one", async () => {
    const report = importJson(await runFolder('mislogged', 0.95))
    const warning = report.warnings.find((w) => w.includes('points apart'))
    expect(warning).toMatch(/^Epoch 1 scores .* but training logged 95\.00 % .*preprocessing/)
    expect(report.check).toMatchObject({ status: 'checked', isMismatch: true, logged: 0.95 })
    expect(report.check?.message).toMatch(
      /^checked epoch 1 on 64 t10k images: [\d.]+ % vs 95\.00 % logged \(test\)\.$/,
    )
  })

  it('finds the accuracy under another name and evaluates only testLimit images', async () => {
    const folder = await runFolder(
      'renamed',
      0.5,
      { train_loss: 0.3, test_acc: 50, lr_end: 0.1 },
      16,
    )
    const report = importJson(folder)
    expect(report.check).toMatchObject({ status: 'checked', images: 16, logged: 0.5 })
  })

  it('says why it did not check when no test accuracy is logged', async () => {
    const report = importJson(await runFolder('no-accuracy', 0, { train_loss: 0.3 }))
    expect(report.check).toMatchObject({ status: 'skipped' })
    expect(report.check?.message).toContain('no test or validation accuracy is logged for epoch 1')
  })

  it('stays quiet when the logged accuracy is what the workbench measures', async () => {
    const first = importJson(await runFolder('probe', 0.95))
    const measured = first.check!.measured!
    const report = importJson(await runFolder('honest', measured))
    expect(report.warnings.filter((w) => w.includes('points apart'))).toEqual([])
  })

  it('is skipped with --no-check', async () => {
    const report = importJson(await runFolder('unchecked', 0.95), '--no-check')
    expect(report.warnings).toEqual([])
    expect(report.check).toBeNull()
  })
})
