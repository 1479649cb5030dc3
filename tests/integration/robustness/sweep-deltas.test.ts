// A sweep of two checkpoints against a baseline from the CLI: per-corruption accuracies averaged
// over the severities, paired deltas on the same images with their intervals, the severity curve
// (severity 0 clean), all consistent with the stored cells.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CorruptionSweep, IntervalEstimate } from '../../../electron/api/contract/index.ts'
import {
  FMNIST_64_FOLDER,
  FMNIST_PREPROCESSING,
  writeSmallResNet,
} from '../../fixtures/data/fmnist.ts'

const temp = mkdtempSync(join(tmpdir(), 'sweep-deltas-'))
const modelA = join(temp, 'a.onnx')
const modelB = join(temp, 'b.onnx')
const CLI = join(import.meta.dirname, '../../../bin/resnet-workbench.js')
let sweep: CorruptionSweep
let sweepJson = ''

function cli(...args: string[]) {
  return spawnSync(process.execPath, [CLI, '--workspace', join(temp, 'ws'), ...args], {
    encoding: 'utf8',
  })
}

beforeAll(async () => {
  await writeSmallResNet(modelA, 5)
  await writeSmallResNet(modelB, 6)
  const run = cli(
    '--json',
    'corrupt',
    modelA,
    '--and',
    modelB,
    '--baseline',
    modelB,
    '--data',
    FMNIST_64_FOLDER,
    '--split',
    't10k',
    '--preprocessing',
    JSON.stringify(FMNIST_PREPROCESSING),
    '--corruptions',
    'gaussian_noise,contrast',
    '--severities',
    '1,3,5',
  )
  expect(run.status, run.stderr).toBe(0)
  sweepJson = run.stdout
  sweep = JSON.parse(run.stdout) as CorruptionSweep
}, 120_000)

afterAll(() => rmSync(temp, { recursive: true, force: true }))

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length
const contains = (i: IntervalEstimate) => i.lower <= i.estimate && i.estimate <= i.upper

describe('a sweep with a baseline', () => {
  it('averages each corruption’s cells and takes each checkpoint’s delta to the baseline', () => {
    const [a, b] = sweep.checkpoints
    expect(sweep.baselineCheckpointId).toBe(b.checkpointId)
    for (const name of ['gaussian_noise', 'contrast'] as const) {
      const cellsOf = (entry: typeof a) =>
        entry.cells.filter((c) => c.corruption === name).map((c) => c.top1)
      const ownA = a.corruptionAccuracy.find((c) => c.corruption === name)!
      const ownB = b.corruptionAccuracy.find((c) => c.corruption === name)!
      // Equal image counts per cell: the mean over images of per-image means is the mean of cells.
      expect(ownA.accuracy.estimate).toBeCloseTo(mean(cellsOf(a)), 12)
      expect(ownA.delta!.estimate).toBeCloseTo(mean(cellsOf(a)) - mean(cellsOf(b)), 12)
      expect(contains(ownA.accuracy) && contains(ownA.delta!)).toBe(true)
      expect(ownB.delta).toBeNull()
    }
    expect(a.overall.accuracy.estimate).toBeCloseTo(a.meanCorruptedAccuracy, 12)
    expect(a.overall.delta!.estimate).toBeCloseTo(
      a.meanCorruptedAccuracy - b.meanCorruptedAccuracy,
      12,
    )
  })

  it('draws the severity curve from the clean accuracy through each severity', () => {
    const [a] = sweep.checkpoints
    expect(a.severityCurve.map((p) => p.severity)).toEqual([0, 1, 3, 5])
    expect(a.severityCurve[0].accuracy.estimate).toBeCloseTo(a.clean.top1, 12)
    const atFive = a.cells.filter((c) => c.severity === 5).map((c) => c.top1)
    expect(a.severityCurve[3].accuracy.estimate).toBeCloseTo(mean(atFive), 12)
    expect(a.severityCurve[3].byCorruption.map((c) => c.corruption)).toEqual([
      'gaussian_noise',
      'contrast',
    ])
    expect(sweep.intervalNote).toMatch(/each image is resampled with all its cells together/)
  })

  it('exports its bars, its curves and its gallery from the CLI', () => {
    const sweepFile = join(temp, 'sweep.json')
    writeFileSync(sweepFile, sweepJson)
    const bars = join(temp, 'bars.svg')
    const ok = cli(
      'export',
      'chart',
      '--kind',
      'corruption-bars',
      '--sweep',
      sweepFile,
      '-o',
      'mode=difference',
      '--out',
      bars,
    )
    expect(ok.status, ok.stderr).toBe(0)
    expect(readFileSync(bars, 'utf8')).toContain('a.onnx − b.onnx')
    const curves = join(temp, 'curves.png')
    const drawn = cli(
      'export',
      'chart',
      '--kind',
      'severity-curves',
      '--sweep',
      sweepFile,
      '-o',
      'corruption=contrast',
      '--out',
      curves,
    )
    expect(drawn.status, drawn.stderr).toBe(0)
    expect([...readFileSync(curves).subarray(1, 4)]).toEqual([0x50, 0x4e, 0x47])
    const galleryFile = join(temp, 'gallery.json')
    writeFileSync(
      galleryFile,
      JSON.stringify({
        dataset: {
          path: FMNIST_64_FOLDER,
          format: 'auto',
          split: 't10k',
          holdout: null,
          classes: null,
          sample: null,
          limit: null,
        },
        position: 2,
        preprocessing: FMNIST_PREPROCESSING,
        corruptions: ['fog'],
        seed: 4,
        padding: 'after',
      }),
    )
    const figure = join(temp, 'gallery.svg')
    const made = cli(
      'export',
      'chart',
      '--kind',
      'corruption-gallery',
      '--gallery',
      galleryFile,
      '--out',
      figure,
    )
    expect(made.status, made.stderr).toBe(0)
    const svg = readFileSync(figure, 'utf8')
    expect(svg.match(/<image[^>]*data:image\/png;base64,/g)).toHaveLength(6)
    expect(svg).toContain('Seed 4; corrupted after the zero padding')
  })
})
