import { describe, expect, expectTypeOf, it } from 'vitest'
import type { CheckpointInput, StoredCheckpointFile } from '../../../db/queries/checkpoints.ts'
import type { MetricRowInput } from '../../../db/queries/metrics.ts'
import type { RunFields } from '../../../db/queries/runs.ts'
import { planCheckpointImport } from '../../../native-models/runs/import-plan.ts'
import type { KnownCheckpointFile } from '../../../native-models/runs/import-plan.ts'
import type { CheckpointFile, MetricRow, RunJsonFields } from '../../../native-models/runs/types.ts'

function file(epoch: number, sizeBytes = 100, mtimeMs = 1000): CheckpointFile {
  const fileName = `epoch_${epoch}.onnx`
  return { path: `/run/${fileName}`, fileName, epoch, variant: '', sizeBytes, mtimeMs }
}

function known(...files: CheckpointFile[]): Map<string, KnownCheckpointFile> {
  return new Map(files.map((f) => [f.path, { sha256: 'a'.repeat(64), ...f }]))
}

describe('planCheckpointImport', () => {
  it('reads new files and files whose size or mtime changed, and trusts the others', () => {
    const stored = known(file(1), file(2), file(3))
    const scanned = [file(1), file(2, 120), file(3, 100, 2000), file(4)]
    const plan = planCheckpointImport(scanned, stored)
    expect(plan.toRead.map((f) => f.epoch)).toEqual([2, 3, 4])
    expect(plan.unchanged.map((f) => f.epoch)).toEqual([1])
  })

  it('reads everything on the first import', () => {
    const plan = planCheckpointImport([file(1), file(2)], new Map())
    expect(plan.toRead).toHaveLength(2)
    expect(plan.unchanged).toEqual([])
  })
})

describe('the reader and the workspace layer', () => {
  it('exchange rows, run fields and stored files without conversion', () => {
    expectTypeOf<MetricRow>().toExtend<MetricRowInput>()
    expectTypeOf<RunJsonFields>().toExtend<RunFields>()
    expectTypeOf<StoredCheckpointFile>().toExtend<KnownCheckpointFile>()
    expectTypeOf<
      Pick<CheckpointFile, 'path' | 'epoch' | 'variant' | 'sizeBytes' | 'mtimeMs'>
    >().toExtend<Partial<CheckpointInput>>()
  })
})
