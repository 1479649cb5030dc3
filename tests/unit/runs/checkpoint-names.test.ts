import { describe, expect, it } from 'vitest'
import {
  compareCheckpointFiles,
  parseCheckpointName,
} from '../../../native-models/runs/checkpoint-names.ts'
import type { CheckpointFile } from '../../../native-models/runs/types.ts'

describe('parseCheckpointName', () => {
  it.each([
    ['epoch_3.onnx', { epoch: 3, variant: '' }],
    ['epoch_0.onnx', { epoch: 0, variant: '' }],
    ['epoch_007.onnx', { epoch: 7, variant: '' }],
    ['epoch_3.bn.onnx', { epoch: 3, variant: 'bn' }],
    ['epoch_12.bn.fp16.onnx', { epoch: 12, variant: 'bn.fp16' }],
    ['epoch_2.bn-kept_v2.onnx', { epoch: 2, variant: 'bn-kept_v2' }],
  ])('reads %s as %o', (fileName, expected) => {
    expect(parseCheckpointName(fileName)).toEqual(expected)
  })

  it.each([
    'best.onnx',
    'epoch_.onnx',
    'epoch_3.onnx.data',
    'Epoch_3.onnx',
    'epoch_3.ONNX',
    'epoch_-1.onnx',
    'epoch_3..onnx',
    'epoch_3.b n.onnx',
    'epoch_99999999999999999999.onnx',
  ])('does not take %s for a checkpoint', (fileName) => {
    expect(parseCheckpointName(fileName)).toBeNull()
  })
})

describe('compareCheckpointFiles', () => {
  it('orders epochs numerically and puts the plain export before its variants', () => {
    const files = [
      'epoch_10.onnx',
      'epoch_9.bn.onnx',
      'epoch_9.onnx',
      'epoch_011.onnx',
      'epoch_2.onnx',
    ]
    const parsed = files.map((fileName): CheckpointFile => ({
      path: `/run/${fileName}`,
      fileName,
      ...parseCheckpointName(fileName)!,
      sizeBytes: 1,
      mtimeMs: 1,
    }))
    expect(parsed.sort(compareCheckpointFiles).map((file) => file.fileName)).toEqual([
      'epoch_2.onnx',
      'epoch_9.onnx',
      'epoch_9.bn.onnx',
      'epoch_10.onnx',
      'epoch_011.onnx',
    ])
  })
})
