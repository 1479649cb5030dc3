import { AttributeType, DataType, encodeModelProto } from '../onnx/proto.ts'
import type { NodeProto, ValueInfoProto } from '../onnx/proto.ts'

// Every graph here has symbolic dims only, so one session serves every size.

/** a (m×p float32), b (m×q float32) → product = aᵀb (p×q float64). */
export function transposedProductModel(): Uint8Array {
  return denseModel(
    'transposed product',
    [castToDouble('a', 'a64'), castToDouble('b', 'b64'), gemmTransposedA('a64', 'b64', 'product')],
    [matrix('a', DataType.FLOAT, 'm', 'p'), matrix('b', DataType.FLOAT, 'm', 'q')],
    [matrix('product', DataType.DOUBLE, 'p', 'q')],
  )
}

/** a (m×k float64), b (k×n float64) → product = ab (m×n float64). */
export function multiplyModel(): Uint8Array {
  return denseModel(
    'multiply',
    [{ name: 'matmul', opType: 'MatMul', input: ['a', 'b'], output: ['product'] }],
    [matrix('a', DataType.DOUBLE, 'm', 'k'), matrix('b', DataType.DOUBLE, 'k', 'n')],
    [matrix('product', DataType.DOUBLE, 'm', 'n')],
  )
}

/**
 * x (m×d float32) and `widths` (int64, `blocks` column widths summing to d) → the upper block
 * triangle of xᵀx in float64: output `block_i_j` = x[:, Bᵢ]ᵀ x[:, Bⱼ] for i ≤ j. Skipping the
 * lower blocks saves (blocks − 1) / (2 · blocks) of the work.
 */
export function blockCrossProductModel(blocks: number): Uint8Array {
  const columns = Array.from({ length: blocks }, (_, i) => `columns_${i}`)
  const nodes: NodeProto[] = [
    castToDouble('x', 'x64'),
    {
      name: 'split',
      opType: 'Split',
      input: ['x64', 'widths'],
      output: columns,
      attribute: [{ name: 'axis', type: AttributeType.INT, i: 1 }],
    },
  ]
  const outputs: ValueInfoProto[] = []
  for (const [i, j] of upperBlockPairs(blocks)) {
    nodes.push(gemmTransposedA(columns[i], columns[j], crossBlockName(i, j)))
    outputs.push(matrix(crossBlockName(i, j), DataType.DOUBLE, `width_${i}`, `width_${j}`))
  }
  return denseModel(
    `block cross product ×${blocks}`,
    nodes,
    [matrix('x', DataType.FLOAT, 'm', 'd'), blockWidths(blocks)],
    outputs,
  )
}

/** Pairs (i, j) with i ≤ j < blocks, row by row. */
export function upperBlockPairs(blocks: number): [number, number][] {
  const pairs: [number, number][] = []
  for (let i = 0; i < blocks; i++) for (let j = i; j < blocks; j++) pairs.push([i, j])
  return pairs
}

export function crossBlockName(i: number, j: number): string {
  return `block_${i}_${j}`
}

function denseModel(
  name: string,
  node: NodeProto[],
  input: ValueInfoProto[],
  output: ValueInfoProto[],
): Uint8Array {
  return encodeModelProto({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    producerName: 'resnet-workbench dense products',
    graph: { name, node, input, output },
  })
}

function castToDouble(input: string, output: string): NodeProto {
  return {
    name: `cast_${input}`,
    opType: 'Cast',
    input: [input],
    output: [output],
    attribute: [{ name: 'to', type: AttributeType.INT, i: DataType.DOUBLE }],
  }
}

function gemmTransposedA(a: string, b: string, output: string): NodeProto {
  return {
    name: `gemm_${output}`,
    opType: 'Gemm',
    input: [a, b],
    output: [output],
    attribute: [{ name: 'transA', type: AttributeType.INT, i: 1 }],
  }
}

function matrix(name: string, elemType: number, rows: string, columns: string): ValueInfoProto {
  return {
    name,
    type: { tensorType: { elemType, shape: { dim: [{ dimParam: rows }, { dimParam: columns }] } } },
  }
}

function blockWidths(blocks: number): ValueInfoProto {
  const shape = { dim: [{ dimValue: blocks }] }
  return { name: 'widths', type: { tensorType: { elemType: DataType.INT64, shape } } }
}
