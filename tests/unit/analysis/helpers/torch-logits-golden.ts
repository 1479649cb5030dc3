import { readFileSync } from 'node:fs'
import { isAbsolute } from 'node:path'
import type { Preprocessing } from '../../../../electron/api/contract/index.ts'
import type { NumpyMetrics } from './expect-metrics.ts'

interface EncodedArray {
  dims: number[]
  dtype: 'float32' | 'float64'
  littleEndianBase64: string
}

interface TorchLogitsFile {
  command: string
  arch: string
  /** Where the exports were when the golden was made. */
  modelFolder: string
  /** File name → sha256 of the exports the logits belong to. */
  models: Record<string, string>
  dataset: { split: string; limit: number }
  preprocessing: Preprocessing
  labels: number[]
  logits: EncodedArray
  logitsFloat64: EncodedArray
  float32VsFloat64MaxDifference: number
  numpy: NumpyMetrics
}

/** A golden written by tests/reference/eval_torch_golden.py, with its logits decoded. */
export interface TorchLogitsGolden extends TorchLogitsFile {
  fileName: string
  labelArray: Int32Array
  logits32: Float32Array
  logits64: Float64Array
}

function decode(base64: string): ArrayBuffer {
  const bytes = Buffer.from(base64, 'base64')
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)
}

/** Reads a committed golden by file name, or any golden by absolute path. */
export function readTorchLogitsGolden(fileName: string): TorchLogitsGolden {
  const location = isAbsolute(fileName)
    ? fileName
    : new URL(`../../../fixtures/goldens/${fileName}`, import.meta.url)
  const file = JSON.parse(readFileSync(location, 'utf8')) as TorchLogitsFile
  return {
    ...file,
    fileName,
    labelArray: Int32Array.from(file.labels),
    logits32: new Float32Array(decode(file.logits.littleEndianBase64)),
    logits64: new Float64Array(decode(file.logitsFloat64.littleEndianBase64)),
  }
}

export const FMNIST_CLASSES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
]
