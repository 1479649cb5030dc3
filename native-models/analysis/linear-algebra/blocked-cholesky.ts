import type { DenseProducts } from './dense-products.ts'
import { factorLowerInPlace, invertLower } from './triangular.ts'
import { transpose } from './transpose.ts'

/** One block column of L: inv(L₁₁) of its diagonal block and the panel L₂₁ below it. */
interface BlockColumn {
  start: number
  size: number
  /** inv(L₁₁), size×size lower triangular. */
  inverse: Float64Array
  /** inv(L₁₁)ᵀ, size×size upper triangular. */
  inverseTransposed: Float64Array
  /** L₂₁, rows×size with rows = k − start − size. */
  panel: Float64Array
}

/**
 * Right-looking blocked Cholesky solve: diagonal blocks are factored and inverted in JS, while the
 * panel solve L₂₁ = A₂₁·inv(L₁₁)ᵀ, the trailing update A₂₂ −= L₂₁·L₂₁ᵀ and both block
 * substitutions are `products.multiply` calls, so all O(k³) work runs there. The trailing update
 * goes one block column at a time from the diagonal down: only the lower triangle is ever read,
 * so this halves its work and the memory its products return.
 */
export async function blockedCholeskySolve(
  a: Float64Array,
  k: number,
  b: Float64Array,
  columns: number,
  products: DenseProducts,
  blockSize: number,
): Promise<Float64Array> {
  const blocks = await blockedFactor(a, k, products, blockSize)
  const y = await forwardSubstituteBlocked(blocks, k, b, columns, products)
  return backSubstituteBlocked(blocks, k, y, columns, products)
}

async function blockedFactor(
  a: Float64Array,
  k: number,
  products: DenseProducts,
  blockSize: number,
): Promise<BlockColumn[]> {
  const columns = lowerBlockColumns(a, k, blockSize)
  const blocks: BlockColumn[] = []
  for (const [index, { start, size, values }] of columns.entries()) {
    const rows = k - start - size
    const diagonal = values.subarray(0, size * size)
    factorLowerInPlace(diagonal, size, start)
    const inverse = invertLower(diagonal, size)
    const inverseTransposed = transpose(inverse, size, size)
    let panel: Float64Array = new Float64Array(0)
    if (rows > 0) {
      const below = values.subarray(size * size)
      panel = await products.multiply(below, inverseTransposed, rows, size, size)
      await updateTrailingColumns(columns.slice(index + 1), start + size, panel, size, products)
    }
    blocks.push({ start, size, inverse, inverseTransposed, panel })
  }
  return blocks
}

/** The part of a block column of A on and below the diagonal, rows × size row-major. */
interface LowerBlockColumn {
  start: number
  size: number
  values: Float64Array
}

/**
 * A's lower triangle as block columns, each contiguous: the diagonal block, then the rows below.
 * The factorization reads only these, and no buffer is as large as A (a fresh k×k buffer costs
 * more in page faults than the arithmetic on it at k = 2048 on the 2-core VM).
 */
function lowerBlockColumns(a: Float64Array, k: number, blockSize: number): LowerBlockColumn[] {
  const columns: LowerBlockColumn[] = []
  for (let start = 0; start < k; start += blockSize) {
    const size = Math.min(blockSize, k - start)
    const values = new Float64Array((k - start) * size)
    for (let r = start; r < k; r++) {
      values.set(a.subarray(r * k + start, r * k + start + size), (r - start) * size)
    }
    columns.push({ start, size, values })
  }
  return columns
}

/**
 * A₂₂ −= L₂₁·L₂₁ᵀ, one block column of A₂₂ at a time from its diagonal down, where L₂₁ = panel
 * covers rows [offset, k). The strict upper triangle of each diagonal block is updated too but
 * never read.
 */
async function updateTrailingColumns(
  trailing: readonly LowerBlockColumn[],
  offset: number,
  panel: Float64Array,
  size: number,
  products: DenseProducts,
): Promise<void> {
  for (const column of trailing) {
    const first = column.start - offset
    const rows = column.values.length / column.size
    const update = await products.multiply(
      panel.subarray(first * size),
      transpose(panel.subarray(first * size, (first + column.size) * size), column.size, size),
      rows,
      size,
      column.size,
    )
    const values = column.values
    for (let i = 0; i < values.length; i++) values[i] -= update[i]
  }
}

/** Y = L⁻¹ B, one block row at a time, pushing each solved block into the rows below. */
async function forwardSubstituteBlocked(
  blocks: readonly BlockColumn[],
  k: number,
  b: Float64Array,
  columns: number,
  products: DenseProducts,
): Promise<Float64Array> {
  const y = b.slice()
  for (const { start, size, inverse, panel } of blocks) {
    const rows = k - start - size
    const solved = await products.multiply(
      inverse,
      y.subarray(start * columns, (start + size) * columns),
      size,
      size,
      columns,
    )
    y.set(solved, start * columns)
    if (rows === 0) continue
    const pushed = await products.multiply(panel, solved, rows, size, columns)
    const tail = y.subarray((start + size) * columns)
    for (let i = 0; i < tail.length; i++) tail[i] -= pushed[i]
  }
  return y
}

/** X = L⁻ᵀ Y, from the last block row up; L₂₁ᵀ·X₂ is formed as (X₂ᵀ·L₂₁)ᵀ, small when few columns. */
async function backSubstituteBlocked(
  blocks: readonly BlockColumn[],
  k: number,
  y: Float64Array,
  columns: number,
  products: DenseProducts,
): Promise<Float64Array> {
  const x = y
  for (let index = blocks.length - 1; index >= 0; index--) {
    const { start, size, inverseTransposed, panel } = blocks[index]
    const rows = k - start - size
    const right = x.slice(start * columns, (start + size) * columns)
    if (rows > 0) {
      const below = transpose(x.subarray((start + size) * columns), rows, columns)
      const pulled = await products.multiply(below, panel, columns, rows, size)
      for (let i = 0; i < size; i++) {
        for (let c = 0; c < columns; c++) right[i * columns + c] -= pulled[c * size + i]
      }
    }
    x.set(await products.multiply(inverseTransposed, right, size, size, columns), start * columns)
  }
  return x
}
