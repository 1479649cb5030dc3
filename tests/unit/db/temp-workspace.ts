import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ModelSummary } from '../../../electron/api/contract/index.ts'
import { closeWorkspace, openWorkspace } from '../../../db/connection.ts'
import type { Workspace } from '../../../db/connection.ts'
import type { RunUpsert } from '../../../db/queries/runs.ts'

export async function makeTempFolder(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'rw-db-test-'))
}

export interface TempWorkspace {
  workspace: Workspace
  folder: string
  dispose: () => Promise<void>
}

/** A fresh workspace in its own temp folder; dispose closes it and deletes the folder. */
export async function createTempWorkspace(): Promise<TempWorkspace> {
  const folder = await makeTempFolder()
  const workspace = openWorkspace(join(folder, 'workspace'), { create: true })
  return {
    workspace,
    folder,
    dispose: async () => {
      closeWorkspace(workspace)
      await rm(folder, { recursive: true, force: true })
    },
  }
}

export function sha256Of(seed: string): string {
  return seed.repeat(64).slice(0, 64)
}

/** A ModelSummary with just enough in it for the workspace layer, which stores it as is. */
export function fakeSummary(sha256: string, overrides: Partial<ModelSummary> = {}): ModelSummary {
  return {
    fileName: 'epoch_1.onnx',
    sha256,
    sizeBytes: 1234,
    externalDataFiles: [],
    irVersion: 8,
    opset: 17,
    producer: 'pytorch',
    inputs: [{ name: 'input', dataType: 'float32', shape: ['batch', 3, 32, 32] }],
    outputs: [{ name: 'logits', dataType: 'float32', shape: ['batch', 10] }],
    inputLayout: 'NCHW',
    inputSize: { channels: 3, height: 32, width: 32, isAssumed: false },
    numClasses: 10,
    architecture: {
      name: 'resnet50',
      depth: 50,
      blockType: 'bottleneck',
      stages: [3, 4, 6, 3],
      stem: 'cifar',
    },
    batchNorm: { count: 0, isFolded: true },
    hasTrailingSoftmax: false,
    inputNormalization: null,
    params: 23_520_842,
    macs: 1_300_000_000,
    flops: 2_600_000_000,
    layers: [],
    pooledFeatures: { name: 'pooled', size: 2048 },
    warnings: [],
    ...overrides,
  }
}

export function runUpsert(folder: string, overrides: Partial<RunUpsert> = {}): RunUpsert {
  return {
    folder,
    defaultName: folder.split('/').at(-1) ?? folder,
    name: null,
    tags: null,
    notes: null,
    classes: null,
    preprocessing: null,
    meta: null,
    ...overrides,
  }
}
