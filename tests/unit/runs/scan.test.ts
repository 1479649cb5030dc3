import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readMetricsJsonl } from '../../../native-models/runs/metrics-jsonl.ts'
import { scanRunFolder } from '../../../native-models/runs/scan.ts'
import type { MetricRow } from '../../../native-models/runs/types.ts'
import { expectError, rejectionOf } from '../db/error-assertions.ts'

const FIXTURES = join(import.meta.dirname, '../../fixtures/runs')
const fixture = (name: string): string => join(FIXTURES, name)

/** A scan, then its metrics.jsonl streamed in batches of two rows, as an import reads it. */
async function scanWithMetrics(folder: string) {
  const scan = await scanRunFolder(folder)
  const metrics: MetricRow[] = []
  const read =
    scan.metricsFile === null
      ? { lines: 0, rows: 0, warnings: [] }
      : await readMetricsJsonl(scan.metricsFile, (rows) => void metrics.push(...rows), 2)
  expect(read.rows).toBe(metrics.length)
  return {
    ...scan,
    metrics,
    metricLines: read.lines,
    warnings: [...scan.warnings, ...read.warnings],
  }
}

describe('scanRunFolder', () => {
  it('reads a complete run folder: checkpoints, variants, metrics and run.json', async () => {
    const scan = await scanWithMetrics(fixture('complete'))
    expect(scan.folder).toBe(fixture('complete'))
    expect(scan.defaultName).toBe('complete')
    expect(scan.checkpoints.map((c) => [c.fileName, c.epoch, c.variant])).toEqual([
      ['epoch_0.onnx', 0, ''],
      ['epoch_1.onnx', 1, ''],
      ['epoch_1.bn.onnx', 1, 'bn'],
      ['epoch_2.onnx', 2, ''],
    ])
    expect(scan.checkpoints[0]).toMatchObject({ path: join(fixture('complete'), 'epoch_0.onnx') })
    expect(scan.checkpoints[0]?.sizeBytes).toBeGreaterThan(0)
    expect(scan.fields).toMatchObject({
      name: 'resnet50-cifar10-baseline',
      tags: ['baseline', 'sgd'],
    })
    expect(scan.fields.preprocessing?.inputSize).toEqual([32, 32])
    expect(scan.fields.meta).toEqual({ seed: 42, git: { commit: '3f2a9c1' } })
    expect(scan.metricLines).toBe(6)
  })

  it('turns the metric lines into rows, grad_norms flattened, non-numeric fields reported', async () => {
    const scan = await scanWithMetrics(fixture('complete'))
    const names = new Set(scan.metrics.map((row) => row.name))
    expect([...names]).toEqual([
      'loss',
      'accuracy',
      'lr',
      'grad_norms/conv1.weight',
      'grad_norms/fc.weight',
    ])
    expect(scan.metrics.filter((row) => row.name === 'loss' && row.split === 'test')).toHaveLength(
      3,
    )
    expect(scan.warnings.map((warning) => warning.code)).toEqual(['METRICS_IGNORED_FIELDS'])
    expect(scan.warnings[0]?.message).toContain('optimizer, note')
  })

  it('orders epochs numerically, zero-padded names included', async () => {
    const scan = await scanRunFolder(fixture('numeric-order'))
    expect(scan.checkpoints.map((c) => c.fileName)).toEqual([
      'epoch_8.onnx',
      'epoch_9.onnx',
      'epoch_10.onnx',
      'epoch_011.onnx',
    ])
    expect(scan.warnings).toEqual([])
    expect(scan.fields).toEqual({
      name: null,
      tags: null,
      notes: null,
      classes: null,
      preprocessing: null,
      meta: null,
    })
  })

  it('warns about missing epochs and still returns the others', async () => {
    const scan = await scanRunFolder(fixture('gap'))
    expect(scan.checkpoints.map((c) => c.epoch)).toEqual([1, 2, 5, 6])
    expect(scan.warnings).toHaveLength(1)
    expectError(
      scan.warnings[0],
      'RUN_FOLDER_GAP',
      'has no checkpoint for epochs 3, 4 (expected one every epoch from 1 to 6)',
    )
    expectError(scan.warnings[0], 'RUN_FOLDER_GAP', 'the import continues without them')
  })

  it('refuses a malformed metrics line, naming the file and the line', async () => {
    const error = await rejectionOf(scanWithMetrics(fixture('malformed-line')))
    const file = join(fixture('malformed-line'), 'metrics.jsonl')
    expectError(error, 'METRICS_MALFORMED', `'${file}' line 3 is not valid JSON`)
  })

  it('skips the line training is still writing, with a warning', async () => {
    const scan = await scanWithMetrics(fixture('half-written'))
    expect(scan.metrics.map((row) => row.epoch)).toEqual([1, 2])
    expect(scan.warnings.map((warning) => warning.code)).toEqual(['METRICS_PARTIAL_LINE'])
    expect(scan.warnings[0]?.message).toContain('unfinished line 3')
  })

  it('refuses a run.json with a wrongly typed field, naming the file and the field', async () => {
    const error = await rejectionOf(scanRunFolder(fixture('bad-run-json')))
    const file = join(fixture('bad-run-json'), 'run.json')
    expectError(error, 'RUN_JSON_MALFORMED', `'${file}' field 'tags' must be a list of strings`)
  })

  it('refuses a folder with no checkpoint and no metrics, suggesting a rename', async () => {
    const error = await rejectionOf(scanRunFolder(fixture('no-checkpoints')))
    expectError(error, 'RUN_FOLDER_EMPTY', 'has no epoch_<N>.onnx checkpoint and no metrics')
    expectError(error, 'RUN_FOLDER_EMPTY', 'rename best.onnx to epoch_<N>.onnx')
  })

  it('accepts a run that has logged metrics but saved no checkpoint yet', async () => {
    const scan = await scanWithMetrics(fixture('metrics-only'))
    expect(scan.checkpoints).toEqual([])
    expect(scan.metrics).toHaveLength(1)
  })

  it('refuses a folder that does not exist, or a file given as a folder', async () => {
    expectError(await rejectionOf(scanRunFolder(fixture('nope'))), 'NOT_FOUND', 'does not exist')
    const file = join(fixture('complete'), 'run.json')
    expectError(await rejectionOf(scanRunFolder(file)), 'NOT_FOUND', 'is a file, not a run folder')
  })

  it('warns about .onnx files it does not import and about two files for one epoch', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'rw-runs-test-'))
    try {
      for (const name of ['epoch_3.onnx', 'epoch_03.onnx', 'best.onnx'])
        await writeFile(join(folder, name), 'fake')
      const scan = await scanRunFolder(folder)
      expect(scan.checkpoints.map((c) => c.fileName)).toEqual(['epoch_03.onnx', 'epoch_3.onnx'])
      expect(scan.warnings.map((w) => w.code)).toEqual([
        'RUN_FOLDER_DUPLICATE_EPOCH',
        'RUN_FOLDER_IGNORED_FILES',
      ])
      expect(scan.warnings[1]?.message).toContain('(best.onnx)')
    } finally {
      await rm(folder, { recursive: true, force: true })
    }
  })

  it('changes nothing: scanning twice gives the same result', async () => {
    expect(await scanRunFolder(fixture('complete'))).toEqual(
      await scanRunFolder(fixture('complete')),
    )
  })
})

describe('scanning a folder training is still writing', () => {
  it('sees the new epoch and the new metric line on the next scan', async () => {
    const folder = join(await mkdtemp(join(tmpdir(), 'rw-runs-test-')), 'run')
    try {
      await cp(fixture('half-written'), folder, { recursive: true })
      const before = await scanRunFolder(folder)
      await writeFile(join(folder, 'epoch_3.onnx'), 'fake epoch 3')
      const restOfLine3 = 'ss": 1.5}\n{"epoch": 3, "split": "test", "loss": 1.6}\n'
      await writeFile(join(folder, 'metrics.jsonl'), restOfLine3, { flag: 'a' })
      const after = await scanWithMetrics(folder)
      expect(before.checkpoints.map((c) => c.epoch)).toEqual([1, 2])
      expect(after.checkpoints.map((c) => c.epoch)).toEqual([1, 2, 3])
      expect(after.metrics.map((row) => `${row.epoch}:${row.split}`)).toEqual([
        '1:train',
        '2:train',
        '3:train',
        '3:test',
      ])
      expect(after.warnings).toEqual([])
    } finally {
      await rm(join(folder, '..'), { recursive: true, force: true })
    }
  })
})
