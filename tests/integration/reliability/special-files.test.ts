// Special files where a model, an image, a dataset file or external data is expected: refused at
// once with a coded error, never read without end (/dev/zero) or waited on (a FIFO).
import { execFileSync } from 'node:child_process'
import {
  createWriteStream,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  unlinkSync,
} from 'node:fs'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { createGzip } from 'node:zlib'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openDataset } from '../../../native-models/data/index.ts'
import { loadModel, summarizeModel } from '../../../native-models/onnx/index.ts'
import { writeSynthesizedResNet } from '../../../native-models/surgery/synth.ts'

const temp = mkdtempSync(join(tmpdir(), 'special-files-'))
afterAll(() => rmSync(temp, { recursive: true, force: true }))

/** A gzip file of `header` then `zeros` zero bytes, written without holding them in memory. */
async function writeGzip(path: string, header: Buffer, zeros: number): Promise<void> {
  const chunk = Buffer.alloc(2 ** 20)
  function* content(): Generator<Buffer> {
    yield header
    for (let left = zeros; left > 0; left -= chunk.length)
      yield chunk.subarray(0, Math.min(left, chunk.length))
  }
  await pipeline(Readable.from(content()), createGzip(), createWriteStream(path))
}

function fifo(path: string): string {
  execFileSync('mkfifo', [path])
  return path
}

async function failureOf(work: Promise<unknown>): Promise<{ code: string; message: string }> {
  const started = performance.now()
  const error = await work.then(
    () => null,
    (e: unknown) => e as { code: string; message: string },
  )
  expect(performance.now() - started).toBeLessThan(5000)
  expect(error).not.toBeNull()
  return error!
}

describe('a special file given as a model', () => {
  it('is refused at once when it is a named pipe', async () => {
    const error = await failureOf(summarizeModel(fifo(join(temp, 'pipe.onnx'))))
    expect(error.code).toBe('NOT_ONNX')
    expect(error.message).toMatch(/is a named pipe \(FIFO\), not a file that can be read/)
  })

  it('is refused at once when it links to /dev/zero', async () => {
    const link = join(temp, 'zero.onnx')
    symlinkSync('/dev/zero', link)
    expect((await failureOf(summarizeModel(link))).message).toMatch(/is a device/)
  })
})

describe('external data that is not a file beside the model', () => {
  it('is refused when it links to a file elsewhere', async () => {
    const folder = join(temp, 'external')
    mkdirSync(folder)
    const model = join(folder, 'model.onnx')
    await writeSynthesizedResNet(model, {
      depth: 18,
      numClasses: 10,
      inputSize: 32,
      cifarStem: true,
      bnFolded: true,
      opset: 17,
      seed: 1,
      batch: 'dynamic',
      externalData: true,
    })
    const data = readdirSync(folder).find((name) => name !== 'model.onnx')!
    unlinkSync(join(folder, data))
    symlinkSync('/etc/passwd', join(folder, data))
    const error = await failureOf(loadModel(model))
    expect(error.code).toBe('EXTERNAL_DATA_MISSING')
    expect(error.message).toMatch(/points outside the model's folder/)
  })
})

describe('dataset files that are not files', () => {
  it('refuses an IDX file that links to /dev/zero', async () => {
    const folder = join(temp, 'idx')
    mkdirSync(folder)
    symlinkSync('/dev/zero', join(folder, 't10k-images-idx3-ubyte'))
    symlinkSync('/dev/zero', join(folder, 't10k-labels-idx1-ubyte'))
    const request = {
      path: folder,
      format: 'idx' as const,
      split: 't10k',
      holdout: null,
      classes: null,
      sample: null,
      limit: 4,
    }
    const error = await failureOf(openDataset(request))
    expect(error.message).toMatch(/is a device, not a file that can be read/)
  })

  it('refuses a gzipped IDX file that would expand to far more than image data', async () => {
    const folder = join(temp, 'idx-bomb')
    mkdirSync(folder)
    const count = 1_000_000
    const header = Buffer.alloc(16)
    header.writeUInt32BE(0x00000803, 0)
    header.writeUInt32BE(count, 4)
    header.writeUInt32BE(28, 8)
    header.writeUInt32BE(28, 12)
    await writeGzip(join(folder, 't10k-images-idx3-ubyte.gz'), header, count * 28 * 28)
    const labels = Buffer.alloc(8)
    labels.writeUInt32BE(0x00000801, 0)
    labels.writeUInt32BE(count, 4)
    await writeGzip(join(folder, 't10k-labels-idx1-ubyte.gz'), labels, count)
    const request = {
      path: folder,
      format: 'idx' as const,
      split: 't10k',
      holdout: null,
      classes: null,
      sample: null,
      limit: 16,
    }
    const error = await failureOf(openDataset(request))
    expect(error.code).toBe('DATASET_MALFORMED')
    expect(error.message).toMatch(
      /t10k-images-idx3-ubyte.gz' expands from 0\.\d MiB to more than 64\.0 MiB/,
    )
  })

  it('refuses an image that is a named pipe', async () => {
    const folder = join(temp, 'images', 'cat')
    mkdirSync(folder, { recursive: true })
    fifo(join(folder, 'a.png'))
    const request = {
      path: join(temp, 'images'),
      format: 'imagefolder' as const,
      split: null,
      holdout: null,
      classes: null,
      sample: null,
      limit: null,
    }
    const error = await failureOf(openDataset(request))
    expect(error.message).toMatch(/named pipe/)
  })
})
