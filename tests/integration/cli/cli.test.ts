import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ImportReport, ModelSummary, RunDetail } from '../../../electron/api/contract/index.ts'
import { writeSynthesizedResNet } from '../../../native-models/surgery/synth.ts'

const repo = fileURLToPath(new URL('../../../', import.meta.url))
const temp = mkdtempSync(join(tmpdir(), 'cli-'))
const runFolder = join(temp, 'seed7')
const workspace = join(temp, 'ws')

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, ['bin/resnet-workbench.js', '-w', workspace, ...args], {
    cwd: repo,
    encoding: 'utf8',
  })
}

function json<T>(...args: string[]): T {
  const result = cli('--json', ...args)
  expect(result.stderr).toBe('')
  expect(result.status).toBe(0)
  return JSON.parse(result.stdout) as T
}

async function writeEpoch(epoch: number): Promise<void> {
  const request = { depth: 18, numClasses: 10, inputSize: 32, cifarStem: false, opset: 17 } as const
  const common = { ...request, seed: epoch, batch: 'dynamic', externalData: false } as const
  await writeSynthesizedResNet(join(runFolder, `epoch_${epoch}.onnx`), {
    ...common,
    bnFolded: true,
  })
  await writeSynthesizedResNet(join(runFolder, `epoch_${epoch}.bn.onnx`), {
    ...common,
    bnFolded: false,
  })
  const train = {
    epoch,
    step: epoch * 100,
    split: 'train',
    loss: 1 / epoch,
    grad_norms: { 'fc.weight': 0.5 },
  }
  const test = {
    epoch,
    step: epoch * 100,
    split: 'test',
    loss: 1.5 / epoch,
    accuracy: 0.5 + epoch / 10,
  }
  appendFileSync(
    join(runFolder, 'metrics.jsonl'),
    `${JSON.stringify(train)}\n${JSON.stringify(test)}\n`,
  )
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex')
}

beforeAll(async () => {
  rmSync(runFolder, { recursive: true, force: true })
  await import('node:fs').then((fs) => fs.mkdirSync(runFolder, { recursive: true }))
  writeFileSync(join(runFolder, 'run.json'), JSON.stringify({ name: 'seed7', tags: ['synthetic'] }))
  for (const epoch of [1, 2]) await writeEpoch(epoch)
})

afterAll(() => rmSync(temp, { recursive: true, force: true }))

describe('resnet-workbench CLI', () => {
  it('imports a run folder with both exports of every epoch', () => {
    const report = json<ImportReport>('import', runFolder)
    expect(report.run.name).toBe('seed7')
    expect(report.added.map((c) => [c.epoch, c.variant, c.isBnFolded])).toEqual([
      [1, '', true],
      [1, 'bn', false],
      [2, '', true],
      [2, 'bn', false],
    ])
    expect(report.added[3].step).toBe(200)
    expect(report.metricLines).toBe(4)
  })

  it('adds only the new epoch when training wrote one since', async () => {
    await writeEpoch(3)
    const report = json<ImportReport>('import', runFolder)
    expect(report.added.map((c) => c.epoch)).toEqual([3, 3])
    expect(report.unchanged).toBe(4)
  })

  it('summarizes every checkpoint of an imported run as JSON', () => {
    const summaries = json<ModelSummary[]>('summary', '--run', 'seed7')
    expect(summaries).toHaveLength(6)
    for (const summary of summaries) {
      expect(summary.architecture).toMatchObject({ name: 'resnet18', stages: [2, 2, 2, 2] })
      expect(summary.layers.map((l) => l.key).at(-1)).toBe('fc')
    }
    expect(summaries.filter((s) => s.batchNorm.isFolded)).toHaveLength(3)
  })

  it('lists metric series and gradient norms of a run', () => {
    const run = json<RunDetail>('runs', 'seed7')
    const names = run.metrics.map((m) => `${m.split}/${m.name}`)
    expect(names).toEqual(
      expect.arrayContaining(['train/loss', 'test/accuracy', 'train/grad_norms/fc.weight']),
    )
    expect(run.metrics.find((m) => m.name === 'accuracy')!.points.map((p) => p.epoch)).toEqual([
      1, 2, 3,
    ])
  })

  it('names the file and the code when a model is not ONNX', () => {
    const path = join(temp, 'notes.onnx')
    writeFileSync(path, 'just some text, not a model\n')
    const result = cli('summary', path)
    expect(result.status).toBe(1)
    expect(result.stderr).toMatch(/^Error \[NOT_ONNX\]: .*notes\.onnx/)
    expect(result.stderr.trim().split('\n')).toHaveLength(1)
  })

  it('refuses a malformed metrics line and keeps what was stored', () => {
    const before = json<RunDetail>('runs', 'seed7')
    appendFileSync(
      join(runFolder, 'metrics.jsonl'),
      '{"epoch": "three", "loss": 1}\n{"epoch": 4}\n',
    )
    const result = cli('import', runFolder)
    expect(result.status).toBe(1)
    expect(result.stderr).toMatch(/\[METRICS_MALFORMED\].*metrics\.jsonl.*line 7/)
    expect(json<RunDetail>('runs', 'seed7')).toEqual(before)
  })

  it('refuses a workspace from a newer schema without touching it', () => {
    const file = join(workspace, 'workspace.sqlite')
    const db = new Database(file)
    db.pragma('wal_checkpoint(TRUNCATE)')
    db.pragma('user_version = 999')
    db.close()
    const hash = sha256(file)
    const result = cli('runs')
    expect(result.status).toBe(1)
    expect(result.stderr).toContain('[DB_FROM_FUTURE]')
    expect(sha256(file)).toBe(hash)
  })

  it('exits with a usage error for an unknown command', () => {
    const result = cli('frobnicate')
    expect(result.status).toBe(2)
    expect(result.stderr).toContain("unknown command 'frobnicate'")
  })
})
