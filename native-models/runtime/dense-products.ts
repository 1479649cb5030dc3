import { InferenceSession, Tensor } from 'onnxruntime-node'
import {
  assertMatrixLength,
  crossProductJs,
  mirrorUpperTriangle,
  multiplyJs,
  transposedProductJs,
} from '../analysis/linear-algebra/dense-products.ts'
import type { DenseProducts } from '../analysis/linear-algebra/dense-products.ts'
import {
  blockCrossProductModel,
  crossBlockName,
  multiplyModel,
  transposedProductModel,
  upperBlockPairs,
} from './dense-product-graphs.ts'
import { ortReason, RuntimeError } from './errors.ts'
import { defaultIntraOpThreads } from './threads.ts'

export interface OrtDenseProductsOptions {
  /** Threads per operator; default one per core. */
  intraOpNumThreads?: number
  /** Float32 values of the row-major input fed to one run (rows × width); default 8 Mi. */
  valuesPerRun?: number
  /** Products with fewer multiply-adds than this run in JS, where ORT's per-run cost dominates. */
  smallProductLimit?: number
}

/** DenseProducts on ONNX Runtime CPU sessions; release() frees them. */
export interface OrtDenseProducts extends DenseProducts {
  release(): Promise<void>
}

// Measured on the 2-core dev VM, xᵀx of 60,000×2048 in 4,096-row runs: one 2048-wide Gemm 6.2 s,
// 1024-wide blocks 4.4 s, 512-wide 2.8 s, 256-wide 2.6–4.2 s. Past 512 the saved work is small
// and each block is one more Gemm and one more output per run.
const CROSS_BLOCK_WIDTH = 512
const DEFAULT_VALUES_PER_RUN = 8 * 1024 * 1024
const DEFAULT_SMALL_PRODUCT_LIMIT = 64 ** 3

/**
 * Float64 products on ONNX Runtime: float32 inputs are cast to float64 inside the graph, so
 * crossProduct and transposedProduct match a NumPy float64 product of the same data; row chunks
 * are summed in float64. Sessions are created on first use and reused for every size.
 * @example const products = ortDenseProducts(); const gram = await products.crossProduct(x, n, 2048)
 */
export function ortDenseProducts(options: OrtDenseProductsOptions = {}): OrtDenseProducts {
  const sessions = new SessionPool(options.intraOpNumThreads ?? defaultIntraOpThreads())
  const valuesPerRun = options.valuesPerRun ?? DEFAULT_VALUES_PER_RUN
  const smallLimit = options.smallProductLimit ?? DEFAULT_SMALL_PRODUCT_LIMIT
  return {
    crossProduct: async (x, m, d) => {
      assertMatrixLength('x', x, m, d)
      if (m * d * d < smallLimit) return crossProductJs(x, m, d)
      return crossProductOrt(sessions, x, m, d, valuesPerRun)
    },
    transposedProduct: async (a, b, m, p, q) => {
      assertMatrixLength('a', a, m, p)
      assertMatrixLength('b', b, m, q)
      if (m * p * q < smallLimit) return transposedProductJs(a, b, m, p, q)
      return transposedProductOrt(sessions, a, b, m, p, q, valuesPerRun)
    },
    multiply: async (a, b, m, k, n) => {
      assertMatrixLength('a', a, m, k)
      assertMatrixLength('b', b, k, n)
      if (m * k * n < smallLimit) return multiplyJs(a, b, m, k, n)
      const session = await sessions.get('multiply', multiplyModel)
      const outputs = await session.run({
        a: new Tensor('float64', a, [m, k]),
        b: new Tensor('float64', b, [k, n]),
      })
      return float64Output(outputs, 'product')
    },
    release: () => sessions.release(),
  }
}

async function crossProductOrt(
  sessions: SessionPool,
  x: Float32Array,
  m: number,
  d: number,
  valuesPerRun: number,
): Promise<Float64Array> {
  const widths = blockWidths(d)
  const session = await sessions.get(`cross ${widths.length}`, () =>
    blockCrossProductModel(widths.length),
  )
  const offsets = widths.map((_, i) => widths.slice(0, i).reduce((sum, w) => sum + w, 0))
  const widthsTensor = new Tensor('int64', BigInt64Array.from(widths, BigInt), [widths.length])
  const result = new Float64Array(d * d)
  for (const chunk of rowChunks(m, d, valuesPerRun)) {
    const outputs = await session.run({
      x: new Tensor('float32', chunk.rows(x, d), [chunk.size, d]),
      widths: widthsTensor,
    })
    for (const [i, j] of upperBlockPairs(widths.length)) {
      const block = float64Output(outputs, crossBlockName(i, j))
      addUpperBlock(result, d, block, offsets[i], offsets[j], widths[i], widths[j])
    }
  }
  mirrorUpperTriangle(result, d)
  return result
}

async function transposedProductOrt(
  sessions: SessionPool,
  a: Float32Array,
  b: Float32Array,
  m: number,
  p: number,
  q: number,
  valuesPerRun: number,
): Promise<Float64Array> {
  const session = await sessions.get('transposed product', transposedProductModel)
  const result = new Float64Array(p * q)
  for (const chunk of rowChunks(m, p + q, valuesPerRun)) {
    const outputs = await session.run({
      a: new Tensor('float32', chunk.rows(a, p), [chunk.size, p]),
      b: new Tensor('float32', chunk.rows(b, q), [chunk.size, q]),
    })
    const product = float64Output(outputs, 'product')
    for (let i = 0; i < product.length; i++) result[i] += product[i]
  }
  return result
}

interface RowChunk {
  size: number
  /** This chunk's rows of a row-major matrix `width` wide, as a view. */
  rows(matrix: Float32Array, width: number): Float32Array
}

/** Near-equal row chunks of at most about `valuesPerRun` values each. */
function rowChunks(m: number, width: number, valuesPerRun: number): RowChunk[] {
  const count = Math.max(1, Math.ceil((m * width) / valuesPerRun))
  return Array.from({ length: count }, (_, index) => {
    const start = Math.floor((index * m) / count)
    const end = Math.floor(((index + 1) * m) / count)
    return {
      size: end - start,
      rows: (matrix, columns) => matrix.subarray(start * columns, end * columns),
    }
  })
}

/** Near-equal column blocks of about CROSS_BLOCK_WIDTH summing to d. */
function blockWidths(d: number): number[] {
  const blocks = Math.max(1, Math.round(d / CROSS_BLOCK_WIDTH))
  return Array.from(
    { length: blocks },
    (_, i) => Math.floor(((i + 1) * d) / blocks) - Math.floor((i * d) / blocks),
  )
}

/** result[rowStart + i, columnStart + j] += block[i, j] for the entries on or above the diagonal. */
function addUpperBlock(
  result: Float64Array,
  d: number,
  block: Float64Array,
  rowStart: number,
  columnStart: number,
  rows: number,
  columns: number,
): void {
  for (let i = 0; i < rows; i++) {
    const base = (rowStart + i) * d + columnStart
    const first = Math.max(0, rowStart + i - columnStart)
    for (let j = first; j < columns; j++) result[base + j] += block[i * columns + j]
  }
}

function float64Output(outputs: InferenceSession.ReturnType, name: string): Float64Array {
  const tensor = outputs[name]
  if (tensor?.type !== 'float64') {
    throw new TypeError(`Dense product output '${name}' should be float64, got ${tensor?.type}.`)
  }
  return tensor.data as Float64Array
}

/** One lazily created session per graph, shared by every call. */
class SessionPool {
  readonly #threads: number
  readonly #sessions = new Map<string, Promise<InferenceSession>>()

  constructor(threads: number) {
    this.#threads = threads
  }

  get(key: string, model: () => Uint8Array): Promise<InferenceSession> {
    let session = this.#sessions.get(key)
    if (session === undefined) {
      session = this.#create(key, model())
      this.#sessions.set(key, session)
    }
    return session
  }

  async #create(key: string, model: Uint8Array): Promise<InferenceSession> {
    const options: InferenceSession.SessionOptions = {
      executionProviders: ['cpu'],
      intraOpNumThreads: this.#threads,
      interOpNumThreads: 1,
      // Shapes change from call to call. With the memory pattern on, the second run of a shape
      // allocates one fresh block for its plan; off, it reuses the arena the first run grew.
      // Fresh memory is what costs here (≈5 ms per MB in page faults on the dev VM): the second
      // 4,096×2048 xᵀx run took 1.1 s of CPU with it and 0.8 s without.
      enableMemPattern: false,
    }
    try {
      return await InferenceSession.create(model, options)
    } catch (error) {
      this.#sessions.delete(key)
      const message = `ONNX Runtime could not create the '${key}' product session: ${ortReason(error)}.`
      throw new RuntimeError('INTERNAL', message, { cause: error })
    }
  }

  async release(): Promise<void> {
    const sessions = [...this.#sessions.values()]
    this.#sessions.clear()
    for (const session of sessions) await (await session).release()
  }
}
