// The compression job in a real workspace on synthesized ResNet18s and Fashion-MNIST images: the
// sweep of every width for all sites and for each site alone, AC-GC's widths from the backward
// graph's statistics, and the bookkeeping that ties them together; a BN-folded model has only
// conv inputs, and too few images for AC-GC's statistics is refused with the fix named.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type {
  CompressionRequest,
  CompressionResult,
  ResultInfo,
  SynthRequest,
} from '../../../electron/api/contract/index.ts'
import { WorkbenchService } from '../../../electron/api/service.ts'
import { EngineClient } from '../../../native-models/engine/engine-client.ts'
import { writeSynthesizedResNet } from '../../../native-models/surgery/synth.ts'
import {
  FMNIST_64_FOLDER,
  FMNIST_PREPROCESSING,
  idxTestImages,
} from '../../fixtures/data/fmnist.ts'

const temp = mkdtempSync(join(tmpdir(), 'compression-job-'))
const IMAGES = 24
const BATCH = 8
const BITS = [2, 8, 16]
const synth = (bnFolded: boolean): SynthRequest => ({
  depth: 18,
  numClasses: 10,
  inputSize: 32,
  cifarStem: false,
  bnFolded,
  opset: 17,
  seed: 5,
  batch: 'dynamic',
  externalData: false,
})
let engine: EngineClient
let service: WorkbenchService
let kept: ResultInfo<CompressionResult>
let keptId: number

const request = (checkpointId: number, fields: Partial<CompressionRequest> = {}) =>
  ({
    kind: 'compression',
    checkpointId,
    modelPath: null,
    dataset: idxTestImages(FMNIST_64_FOLDER, IMAGES),
    preprocessing: FMNIST_PREPROCESSING,
    batchSize: null,
    provider: 'cpu',
    bits: BITS,
    together: true,
    eachAlone: true,
    acgc: { tolerance: 1, gradientBatches: 2 },
    compressionBatch: BATCH,
    ...fields,
  }) satisfies CompressionRequest

beforeAll(async () => {
  const keptPath = join(temp, 'resnet18.bn.onnx')
  await writeSynthesizedResNet(keptPath, synth(false))
  engine = new EngineClient()
  service = new WorkbenchService(join(temp, 'ws'), { engine: () => engine })
  keptId = (await service.openCheckpoint(keptPath)).id
  kept = (await service.runJob(request(keptId))) as ResultInfo<CompressionResult>
}, 300_000)

afterAll(() => {
  service.close()
  engine.dispose()
  rmSync(temp, { recursive: true, force: true })
})

describe('the compression job on a BN-kept ResNet18', () => {
  it('quantizes every conv input and every BatchNorm input, with statistics per channel', () => {
    const { sites, statistics, isBnFolded } = kept.payload
    const batchNorms = sites.filter((site) => site.kind === 'bn-input')
    expect(isBnFolded).toBe(false)
    expect(batchNorms).toHaveLength(20)
    expect(sites.length).toBeGreaterThan(batchNorms.length)
    expect(statistics.map((s) => s.siteId)).toEqual(sites.map((s) => s.id))
    for (const [i, site] of sites.entries()) {
      expect(statistics[i].maxAbs).toHaveLength(site.channels)
      expect(statistics[i].zeroFraction.every((z) => z >= 0 && z <= 1)).toBe(true)
    }
    // Conv inputs of a ResNet are ReLU outputs: zeros to compress and no sign; conv outputs are signed.
    const convInputs = statistics.filter((_, i) => sites[i].kind === 'conv-input')
    expect(convInputs.every((s) => !s.signed)).toBe(true)
    expect(convInputs.some((s) => s.zeroFraction.some((z) => z > 0.2))).toBe(true)
    expect(statistics.filter((_, i) => sites[i].kind === 'bn-input').every((s) => s.signed)).toBe(
      true,
    )
  })

  it('sweeps every width for all sites together and for each site alone', () => {
    const { sweep, sites } = kept.payload
    expect(sweep).toHaveLength(BITS.length * (1 + sites.length))
    const together = sweep.filter((p) => p.siteId === null)
    expect(together.map((p) => p.bits)).toEqual(BITS)
    const alone = new Set(sweep.flatMap((p) => (p.siteId === null ? [] : [p.siteId])))
    expect(alone).toEqual(new Set(sites.map((s) => s.id)))
  })

  it('keeps the unquantized top-1 at 16 bits and loses more at 2 bits than at 8', () => {
    const { sweep, top1 } = kept.payload
    const at = (bits: number) => sweep.find((p) => p.siteId === null && p.bits === bits)!
    expect(at(16).divergence.top1).toBe(top1.estimate)
    expect(at(16).divergence.changedPredictions).toBe(0)
    expect(at(16).divergence.kl.estimate).toBeLessThan(1e-6)
    expect(at(2).divergence.kl.estimate).toBeGreaterThan(at(8).divergence.kl.estimate)
    expect(at(2).divergence.maxAbsLogitDelta.mean).toBeGreaterThan(
      at(8).divergence.maxAbsLogitDelta.mean,
    )
  })

  it('reports monotonicity from the sweep it stored, never forcing it', () => {
    const { sweep, monotonicity } = kept.payload
    for (const report of monotonicity) {
      const errors = sweep
        .filter((p) => p.siteId === report.siteId)
        .map((p) => (report.measure === 'kl' ? p.divergence.kl.estimate : 1 - p.divergence.top1))
      const rises = errors.slice(1).filter((error, i) => error > errors[i]).length
      expect(report.violations).toHaveLength(rises)
      expect(report.isMonotonic).toBe(rises === 0)
    }
  })

  it("chooses AC-GC's widths per channel within 2 … 16 bits and accounts the ratio as 32 / mean bits", () => {
    const acgc = kept.payload.acgc!
    expect(acgc.batches).toBe(2)
    expect(acgc.sites).toHaveLength(kept.payload.sites.length)
    for (const site of acgc.sites) {
      expect(site.bits.every((b) => b >= 2 && b <= 16)).toBe(true)
      expect(site.allowedSquaredError.every((e) => e === null || e > 0)).toBe(true)
    }
    const { accounting } = acgc
    expect(accounting.ratio).toBeCloseTo(32 / accounting.meanBits, 12)
    expect(accounting.ratioZeroValue).toBeCloseTo(32 / accounting.meanBitsZeroValue, 12)
    expect(acgc.byKind['conv-input']).not.toBeNull()
    expect(acgc.byKind['bn-input']).not.toBeNull()
    // The overall mean lies between the two kinds' means, weighted by the values stored.
    const means = [acgc.byKind['conv-input']!.meanBits, acgc.byKind['bn-input']!.meanBits]
    expect(accounting.meanBits).toBeGreaterThanOrEqual(Math.min(...means) - 1e-12)
    expect(accounting.meanBits).toBeLessThanOrEqual(Math.max(...means) + 1e-12)
  })

  it('compares the gradients with exact and with quantized activations on the same batches', () => {
    const { gradients, totalGradient } = kept.payload.acgc!
    expect(gradients.map((g) => g.layerKey)).toContain('fc')
    for (const layer of gradients) {
      const change = (layer.quantized.mean - layer.exact.mean) / layer.exact.mean
      expect(Math.abs(change - layer.relativeChange.mean)).toBeLessThan(
        0.5 * Math.abs(change) + 0.05,
      )
    }
    expect(totalGradient.exact.mean).toBeGreaterThan(0)
    // The classifier's weight gradient reads the pooled features, which are not compressed.
    const fc = gradients.find((g) => g.layerKey === 'fc')!
    expect(Math.abs(fc.relativeChange.mean)).toBeLessThan(1e-5)
  })

  it('answers the same request again from the workspace', async () => {
    const again = await service.runJob(request(keptId))
    expect(again.id).toBe(kept.id)
  })

  it("refuses AC-GC's statistics on fewer images than its batches need, naming the fix", async () => {
    await expect(
      service.runJob(request(keptId, { acgc: { tolerance: 1, gradientBatches: 4 } })),
    ).rejects.toThrow(/need 4 batches of 8 images.*lower gradientBatches/)
  })
})

describe('the compression job on a BN-folded ResNet18', () => {
  it('has conv inputs only, and answers without AC-GC when it is not asked for', async () => {
    const foldedPath = join(temp, 'resnet18.onnx')
    await writeSynthesizedResNet(foldedPath, synth(true))
    const checkpointId = (await service.openCheckpoint(foldedPath)).id
    const folded = (await service.runJob(
      request(checkpointId, { acgc: null, eachAlone: false, bits: [4] }),
    )) as ResultInfo<CompressionResult>
    expect(folded.payload.isBnFolded).toBe(true)
    expect(folded.payload.sites.every((site) => site.kind === 'conv-input')).toBe(true)
    expect(folded.payload.acgc).toBeNull()
    expect(folded.payload.sweep).toHaveLength(1)
  })
})
