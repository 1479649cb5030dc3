// PyTorch (Debian's python3-torch) on the same tensors, when it is installed.
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import type { Measurement } from './bare-ort.ts'
import { BATCH_SIZE, NUM_CLASSES } from './fixtures.ts'

const run = promisify(execFile)
const PYTHON = '/usr/bin/python3'
const SCRIPT = fileURLToPath(new URL('./torch_bench.py', import.meta.url))

export interface TorchInput {
  file: string
  dataOffset: number
  size: number
  itemDims: [number, number, number]
}

export interface TorchMeasurement extends Measurement {
  versions: string
}

/** null when `python3 -c 'import torch'` fails. */
export async function torchVersion(): Promise<string | null> {
  try {
    const { stdout } = await run(PYTHON, ['-c', 'import torch; print(torch.__version__)'])
    return stdout.trim()
  } catch {
    return null
  }
}

export async function measureTorch(input: TorchInput, threads: number): Promise<TorchMeasurement> {
  const args = [
    ...[SCRIPT, '--tensors', input.file, '--offset', String(input.dataOffset)],
    ...['--count', String(input.size), '--dims', ...input.itemDims.map(String)],
    ...['--batch', String(BATCH_SIZE), '--threads', String(threads)],
    ...['--classes', String(NUM_CLASSES)],
  ]
  const { stdout } = await run(PYTHON, args, { maxBuffer: 1 << 20 })
  const out = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as {
    imagesPerSecond: number
    peakRssBytes: number
    torch: string
    torchvision: string
    threads: number
  }
  return {
    images: input.size,
    loopImagesPerSecond: out.imagesPerSecond,
    jobImagesPerSecond: null,
    peakRssBytes: out.peakRssBytes,
    note: `python process; torch.set_num_threads(${out.threads}), eval, no_grad; 3 warm-up batches`,
    versions: `torch ${out.torch}, torchvision ${out.torchvision}`,
  }
}
