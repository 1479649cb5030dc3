// A sweep whose cells read a precomputed CIFAR-10-C-layout set (written by numpy) instead of
// generating the corruptions: each cell is an ordinary stored evaluation of that severity's slice
// with the clean selection, so it equals evaluating the slice on its own, and a rerun is answered
// from the workspace.
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type {
  CorruptionSweep,
  CorruptionSweepRequest,
  EvaluateRequest,
  EvaluationResult,
  Preprocessing,
} from '../../../electron/api/contract/index.ts'
import { corruptionSweep } from '../../../electron/api/analyses/robustness/sweep.ts'
import { WorkbenchService } from '../../../electron/api/service.ts'
import { EngineClient } from '../../../native-models/engine/engine-client.ts'
import { openDataset } from '../../../native-models/data/open-dataset.ts'
import { THREADS_ENV } from '../../../native-models/runtime/index.ts'
import { writeSynthesizedResNet } from '../../../native-models/surgery/synth.ts'
import {
  FMNIST_64_FOLDER,
  FMNIST_PREPROCESSING,
  idxTestImages,
  writeSmallResNet,
} from '../../fixtures/data/fmnist.ts'
import { npyBytes, solidPng, writeTree } from '../../fixtures/data/builders.ts'

process.env[THREADS_ENV] ??= '1'

const PYTHON = '/usr/bin/python3'
const CLI = fileURLToPath(new URL('../../../bin/resnet-workbench.js', import.meta.url))
const SCRIPT = fileURLToPath(new URL('../../reference/cifar_c_fixture.py', import.meta.url))
const temp = mkdtempSync(join(tmpdir(), 'precomputed-sweep-'))
const setFolder = join(temp, 'fmnist-c')
const numpyMissing = spawnSync(PYTHON, ['-c', 'import numpy']).status !== 0
let numpySlices: Record<string, { sha256: string; labels: number[] }> = {}
let engine: EngineClient
let service: WorkbenchService
let checkpointId = 0

const clean = { ...idxTestImages(FMNIST_64_FOLDER, null), sample: { count: 40, seed: 7 } }

function sweepRequest(overrides: Partial<CorruptionSweepRequest> = {}): CorruptionSweepRequest {
  return {
    checkpointIds: [checkpointId],
    dataset: clean,
    preprocessing: FMNIST_PREPROCESSING,
    provider: 'cpu',
    corruptions: ['gaussian_noise', 'fog'],
    severities: [1, 3],
    seed: 0,
    jpegQuality: null,
    padding: 'before',
    referenceCheckpointId: null,
    precomputed: { path: setFolder, layout: 'cifar-10-c' },
    ...overrides,
  }
}

beforeAll(async () => {
  if (!numpyMissing) {
    const made = spawnSync(PYTHON, [SCRIPT, FMNIST_64_FOLDER, setFolder, 'fog', 'gaussian_noise'], {
      encoding: 'utf8',
    })
    if (made.status !== 0) throw new Error(made.stderr)
    numpySlices = JSON.parse(made.stdout) as typeof numpySlices
  }
  engine = new EngineClient()
  service = new WorkbenchService(join(temp, 'ws'), { engine: () => engine })
  const model = join(temp, 'small.onnx')
  await writeSmallResNet(model, 3)
  checkpointId = (await service.openCheckpoint(model)).id
}, 120_000)

afterAll(() => {
  service?.close()
  engine?.dispose()
  rmSync(temp, { recursive: true, force: true })
})

describe.skipIf(numpyMissing)('a sweep from a precomputed CIFAR-10-C folder', () => {
  it('reads each severity’s rows exactly as numpy slices them', async () => {
    for (const [key, expected] of Object.entries(numpySlices)) {
      const [corruption, severity] = key.split('-') as ['fog', '1']
      const dataset = await openDataset({
        ...idxTestImages(setFolder, null),
        format: 'auto',
        split: null,
        corrupted: { layout: 'cifar-10-c', corruption, severity: Number(severity) as 1 },
      })
      const hash = createHash('sha256')
      for (let i = 0; i < dataset.size; i += 1) {
        const source = dataset.source(i)
        if (source.kind !== 'pixels') throw new Error('arrays give pixels')
        hash.update(source.image.data as Uint8Array)
      }
      expect(hash.digest('hex'), key).toBe(expected.sha256)
      expect([...dataset.labels], key).toEqual(expected.labels)
    }
  })

  it('gives each cell the accuracy of its slice evaluated on its own, and reruns nothing', async () => {
    const sweep = await service.computeDerived(corruptionSweep, sweepRequest())
    const [entry] = sweep.checkpoints
    expect(entry.cells.map((c) => `${c.corruption}-${c.severity}`)).toEqual([
      'gaussian_noise-1',
      'gaussian_noise-3',
      'fog-1',
      'fog-3',
    ])
    expect(sweep.numImages).toBe(40)
    const direct: EvaluateRequest = {
      kind: 'evaluate',
      checkpointId,
      modelPath: null,
      dataset: { ...clean, path: join(`${setFolder}-slices`, 'fog-3'), format: 'npy', split: null },
      preprocessing: FMNIST_PREPROCESSING,
      batchSize: null,
      provider: 'cpu',
    }
    const own = (await service.runJob(direct)).payload as EvaluationResult
    const cell = entry.cells.find((c) => c.corruption === 'fog' && c.severity === 3)!
    expect(cell.resultId).not.toBe(entry.clean.resultId)
    expect(own.numImages).toBe(40)
    expect(cell.top1).toBe(own.top1)
    expect(cell.nll).toBeCloseTo(own.nll, 12)
    expect(cell.top1).not.toBe(
      entry.cells.find((c) => c.corruption === 'fog' && c.severity === 1)!.top1,
    )

    const runs = service.engineRuns('evaluate')
    const again = await service.computeDerived(corruptionSweep, sweepRequest())
    expect(service.engineRuns('evaluate')).toBe(runs)
    expect(again.checkpoints[0].cells.map((c) => c.resultId)).toEqual(
      entry.cells.map((c) => c.resultId),
    )
    expect(again.normalisation).toBe('none')
    expect(again.normalisationNote).toContain('a CIFAR-10-C set')
  })

  it('runs from the CLI with the corruptions the folder holds by default', () => {
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, [CLI, '--workspace', join(temp, 'cli-ws'), ...args], {
        encoding: 'utf8',
      })
    const run = cli(
      '--json',
      'corrupt',
      join(temp, 'small.onnx'),
      '--data',
      FMNIST_64_FOLDER,
      '--split',
      't10k',
      '--preprocessing',
      JSON.stringify(FMNIST_PREPROCESSING),
      '--precomputed',
      setFolder,
      '--severities',
      '2',
    )
    expect(run.status, run.stderr).toBe(0)
    const sweep = JSON.parse(run.stdout) as CorruptionSweep
    expect(sweep.checkpoints[0].cells.map((c) => `${c.corruption}-${c.severity}`)).toEqual([
      'gaussian_noise-2',
      'fog-2',
    ])
    expect(sweep.numImages).toBe(64)
    const lone = cli(
      'corrupt',
      join(temp, 'small.onnx'),
      '--data',
      FMNIST_64_FOLDER,
      '--layout',
      'cifar-10-c',
    )
    expect(lone.status).not.toBe(0)
    expect(lone.stderr).toContain('--layout describes --precomputed <folder>')
  })

  it('refuses a corruption the folder does not hold, listing those it does', async () => {
    await expect(
      service.computeDerived(corruptionSweep, sweepRequest({ corruptions: ['snow'] })),
    ).rejects.toThrow('holds no snow: it holds gaussian_noise, fog')
  })

  it('refuses a clean set whose labels are not the precomputed images’ labels', async () => {
    const other = await writeTree(join(temp, 'other-clean'), {
      'images.npy': npyBytes('|u1', [64, 28, 28], new Uint8Array(64 * 28 * 28)),
      'labels.npy': npyBytes(
        '|u1',
        [64],
        Uint8Array.from({ length: 64 }, (_, i) => i % 10),
      ),
    })
    const dataset = { ...clean, path: other, format: 'npy' as const, split: null }
    await expect(
      service.computeDerived(corruptionSweep, sweepRequest({ dataset })),
    ).rejects.toThrow(
      `'${join(setFolder, 'labels.npy')}#0' is labeled '9' but image 0 of the clean set`,
    )
  })
})

const RGB_32: Preprocessing = {
  resize: null,
  centerCrop: null,
  pad: 0,
  grayToRgb: false,
  mean: [0.5, 0.5, 0.5],
  std: [0.25, 0.25, 0.25],
  inputSize: [32, 32],
}

/** `<class>/imgI.png` of 32×32 PNGs; under a corruption, darker by 40 levels per severity. */
async function classImages(severity: number): Promise<Record<string, Uint8Array>> {
  const files: Record<string, Uint8Array> = {}
  for (const [c, name] of ['cat', 'dog'].entries())
    for (let i = 0; i < 3; i += 1)
      files[`${name}/img${i}.png`] = await solidPng(32, 32, 200 - 40 * severity + 20 * c + i)
  return files
}

describe('a sweep from a precomputed ImageNet-C folder', () => {
  let cleanFolder = ''
  let imagenetC = ''
  beforeAll(async () => {
    cleanFolder = await writeTree(join(temp, 'in-clean'), await classImages(0))
    const layout: Record<string, Uint8Array> = {}
    for (const corruption of ['contrast', 'pixelate'])
      for (const severity of [1, 2, 3, 4, 5])
        for (const [file, bytes] of Object.entries(await classImages(severity)))
          layout[`${corruption}/${severity}/${file}`] = bytes
    imagenetC = await writeTree(join(temp, 'in-c'), layout)
  })

  it('evaluates every cell of the folder and names why AlexNet’s errors do not apply', async () => {
    const request = sweepRequest({
      dataset: { ...idxTestImages(cleanFolder, null), format: 'auto', split: null },
      preprocessing: RGB_32,
      corruptions: ['contrast', 'pixelate'],
      severities: [1, 2, 3, 4, 5],
      referenceCheckpointId: checkpointId,
      precomputed: { path: imagenetC, layout: 'imagenet-c' },
    })
    const sweep = await service.computeDerived(corruptionSweep, request)
    expect(sweep.checkpoints[0].cells).toHaveLength(10)
    expect(sweep.numImages).toBe(6)
    expect(sweep.normalisation).toBe('reference')
    expect(sweep.normalisationNote).toContain('the images have 2 classes and the model 10 outputs')
    expect(sweep.checkpoints[0].mce).toBeCloseTo(1, 12)
    const runs = service.engineRuns('evaluate')
    await service.computeDerived(corruptionSweep, request)
    expect(service.engineRuns('evaluate')).toBe(runs)
  })

  it('divides by AlexNet’s published errors for a 1000-class model on 1000-class ImageNet-C', async () => {
    const model = join(temp, 'imagenet-classes.onnx')
    await writeSynthesizedResNet(model, {
      depth: 18,
      numClasses: 1000,
      inputSize: 32,
      cifarStem: false,
      bnFolded: true,
      opset: 17,
      seed: 5,
      batch: 'dynamic',
      externalData: false,
    })
    const imagenetModel = (await service.openCheckpoint(model)).id
    // Logit order of 1000 classes, two of which have images ('cat', 'dog').
    const classes = ['cat', 'dog', ...Array.from({ length: 998 }, (_, i) => `n${i}`)]
    const request = sweepRequest({
      checkpointIds: [imagenetModel],
      dataset: {
        ...idxTestImages(cleanFolder, null),
        format: 'auto',
        split: null,
        classes,
      },
      preprocessing: RGB_32,
      corruptions: ['contrast', 'pixelate'],
      severities: [1, 2, 3, 4, 5],
      precomputed: { path: imagenetC, layout: 'imagenet-c' },
    })
    const sweep = await service.computeDerived(corruptionSweep, request)
    expect(sweep.normalisation).toBe('alexnet')
    expect(sweep.normalisationNote).toContain('official 1000-class ImageNet-C images')
    const [entry] = sweep.checkpoints
    const ce = (name: string, alexnet: number) => {
      const errors = entry.cells.filter((c) => c.corruption === name).map((c) => 1 - c.top1)
      return errors.reduce((a, b) => a + b, 0) / (5 * alexnet)
    }
    const expected = [ce('contrast', 0.853204), ce('pixelate', 0.71784)]
    expect(entry.perCorruption.map((c) => c.corruption)).toEqual(['contrast', 'pixelate'])
    entry.perCorruption.forEach((c, i) => expect(c.ce).toBeCloseTo(expected[i], 12))
    expect(entry.mce).toBeCloseTo((expected[0] + expected[1]) / 2, 12)
  })
})
