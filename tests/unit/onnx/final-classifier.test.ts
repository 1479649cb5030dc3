// readFinalClassifier on every classifier form exporters write: features · Wᵀ + b, with W and b
// as it reads them, must equal the logits ONNX Runtime computes from the same graph.
import { afterAll, describe, expect, it } from 'vitest'
import {
  analyzeModel,
  loadModelFromBytes,
  ModelError,
  readFinalClassifier,
} from '../../../native-models/onnx/index.ts'
import type { FinalClassifier } from '../../../native-models/onnx/index.ts'
import { DataType, encodeModelProto } from '../../../native-models/onnx/proto.ts'
import type { ModelProto, NodeProto, TensorProto } from '../../../native-models/onnx/proto.ts'
import { createSession } from '../../../native-models/runtime/index.ts'
import type { RuntimeSession } from '../../../native-models/runtime/index.ts'
import { floatAttribute, intAttribute } from '../../../native-models/surgery/attributes.ts'
import { GraphBuilder } from '../../../native-models/surgery/graph-builder.ts'
import { buildTinyResNet } from '../../fixtures/models/tiny-resnet.ts'
import { tensorType } from '../../fixtures/models/tiny-graph.ts'

const CLASSES = 5
const BATCH = 3
const INPUT_SIZE = 16
const FILE_NAME = 'edited-head.onnx'

/** The tiny ResNet's features tensor (the Gemm's input), its d and the logits' name. */
interface Head {
  model: ModelProto
  features: string
  dim: number
  logits: string
}

/** Seeded values in [-1, 1), away from round numbers so a wrong scale cannot pass by luck. */
function seeded(count: number, seed: number): Float32Array {
  let state = seed
  return Float32Array.from({ length: count }, () => {
    state = (state * 1103515245 + 12345) % 2 ** 31
    return (state / 2 ** 31) * 2 - 1
  })
}

function float32(name: string, dims: number[], values: Float32Array): TensorProto {
  return { name, dims, dataType: DataType.FLOAT, rawData: new Uint8Array(values.slice().buffer) }
}

function transposed(values: Float32Array, rows: number, columns: number): Float32Array {
  const out = new Float32Array(values.length)
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < columns; j++) out[j * rows + i] = values[i * columns + j]
  return out
}

/** A tiny ResNet whose final Gemm (and its weight and bias) is replaced by `nodes` and `tensors`. */
function withHead(
  build: (head: Head) => { nodes: NodeProto[]; tensors: TensorProto[] },
): ModelProto {
  const { model } = buildTinyResNet({ batch: 'N', numClasses: CLASSES, inputSize: INPUT_SIZE })
  const graph = model.graph!
  const gemm = graph.node!.find((node) => node.opType === 'Gemm')!
  const [features, weightName, biasName] = gemm.input!
  const weight = graph.initializer!.find((t) => t.name === weightName)!
  const head: Head = { model, features, dim: Number(weight.dims![1]), logits: gemm.output![0] }
  const { nodes, tensors } = build(head)
  graph.node = [...graph.node!.filter((node) => node !== gemm), ...nodes]
  graph.initializer = [
    ...graph.initializer!.filter((t) => t.name !== weightName && t.name !== biasName),
    ...tensors,
  ]
  return model
}

const W_SEED = 11
const B_SEED = 23

/** W as C × d and b as C, the values every head below stores in its own layout. */
function classMajor(dim: number) {
  return { weights: seeded(CLASSES * dim, W_SEED), bias: seeded(CLASSES, B_SEED) }
}

function gemm(inputs: string[], logits: string, attributes = [intAttribute('transB', 1)]) {
  return {
    opType: 'Gemm',
    name: '/fc/Gemm',
    input: inputs,
    output: [logits],
    attribute: attributes,
  }
}

async function readClassifier(model: ModelProto): Promise<FinalClassifier> {
  const loaded = await loadModelFromBytes(encodeModelProto(model), { fileName: FILE_NAME })
  return readFinalClassifier(analyzeModel(loaded))
}

const sessions: RuntimeSession[] = []
afterAll(async () => {
  for (const session of sessions) await session.release()
})

/** The largest |features · Wᵀ + b − logits| over a batch of seeded images run by ORT. */
async function worstLogitError(model: ModelProto, classifier: FinalClassifier): Promise<number> {
  const builder = new GraphBuilder(model)
  const features = builder.addOutput(classifier.input)
  const logits = model.graph!.output![0].name!
  const session = await createSession(builder.encode(), { intraOpNumThreads: 1 })
  sessions.push(session)
  const image = seeded(BATCH * 3 * INPUT_SIZE * INPUT_SIZE, 5)
  const outputs = await session.run({
    input: { data: image, dims: [BATCH, 3, INPUT_SIZE, INPUT_SIZE] },
  })
  const z = outputs[features].data
  const expected = outputs[logits].data
  const { weights, bias, classes, dim } = classifier
  let worst = 0
  for (let n = 0; n < BATCH; n++)
    for (let c = 0; c < classes; c++) {
      let sum = bias[c]
      for (let j = 0; j < dim; j++) sum += z[n * dim + j] * weights[c * dim + j]
      worst = Math.max(worst, Math.abs(sum - expected[n * classes + c]))
    }
  return worst
}

async function expectLogitsReproduced(model: ModelProto): Promise<FinalClassifier> {
  const classifier = await readClassifier(model)
  expect(classifier.classes).toBe(CLASSES)
  expect(await worstLogitError(model, classifier)).toBeLessThan(1e-5)
  return classifier
}

describe('readFinalClassifier', () => {
  it('reads a Gemm with transB = 1 (W stored C × d, as torch exports it)', async () => {
    const model = withHead(({ features, dim, logits }) => {
      const { weights, bias } = classMajor(dim)
      return {
        nodes: [gemm([features, 'fc.weight', 'fc.bias'], logits)],
        tensors: [
          float32('fc.weight', [CLASSES, dim], weights),
          float32('fc.bias', [CLASSES], bias),
        ],
      }
    })
    const classifier = await expectLogitsReproduced(model)
    expect(classifier.weights).toEqual(classMajor(classifier.dim).weights)
  })

  it('reads a Gemm with transB = 0, its W stored d × C, as C × d rows', async () => {
    const model = withHead(({ features, dim, logits }) => {
      const { weights, bias } = classMajor(dim)
      return {
        nodes: [gemm([features, 'fc.weight', 'fc.bias'], logits, [])],
        tensors: [
          float32('fc.weight', [dim, CLASSES], transposed(weights, CLASSES, dim)),
          float32('fc.bias', [CLASSES], bias),
        ],
      }
    })
    const classifier = await expectLogitsReproduced(model)
    expect(classifier.weights).toEqual(classMajor(classifier.dim).weights)
  })

  it('applies a Gemm alpha ≠ 1 to W and beta ≠ 1 to b', async () => {
    const model = withHead(({ features, dim, logits }) => {
      const { weights, bias } = classMajor(dim)
      const attributes = [
        intAttribute('transB', 1),
        floatAttribute('alpha', 0.375),
        floatAttribute('beta', 2.5),
      ]
      return {
        nodes: [gemm([features, 'fc.weight', 'fc.bias'], logits, attributes)],
        tensors: [
          float32('fc.weight', [CLASSES, dim], weights),
          float32('fc.bias', [CLASSES], bias),
        ],
      }
    })
    const classifier = await expectLogitsReproduced(model)
    const stored = classMajor(classifier.dim)
    expect(classifier.bias[1]).toBeCloseTo(stored.bias[1] * 2.5, 6)
    expect(classifier.weights[7]).toBeCloseTo(stored.weights[7] * 0.375, 6)
  })

  it('gives a zero bias to a Gemm without one', async () => {
    const model = withHead(({ features, dim, logits }) => ({
      nodes: [gemm([features, 'fc.weight'], logits)],
      tensors: [float32('fc.weight', [CLASSES, dim], classMajor(dim).weights)],
    }))
    const classifier = await expectLogitsReproduced(model)
    expect([...classifier.bias]).toEqual(new Array(CLASSES).fill(0))
  })

  it('broadcasts a one-value Gemm bias to every class', async () => {
    const model = withHead(({ features, dim, logits }) => ({
      nodes: [gemm([features, 'fc.weight', 'fc.bias'], logits)],
      tensors: [
        float32('fc.weight', [CLASSES, dim], classMajor(dim).weights),
        float32('fc.bias', [1], Float32Array.of(0.8125)),
      ],
    }))
    const classifier = await expectLogitsReproduced(model)
    expect([...classifier.bias]).toEqual(new Array(CLASSES).fill(0.8125))
  })

  it('reads a MatMul (W stored d × C) followed by an Add of the bias', async () => {
    const model = withHead(({ features, dim, logits }) => {
      const { weights, bias } = classMajor(dim)
      return {
        nodes: [
          {
            opType: 'MatMul',
            name: '/fc/MatMul',
            input: [features, 'fc.weight'],
            output: ['fc.product'],
          },
          { opType: 'Add', name: '/fc/Add', input: ['fc.product', 'fc.bias'], output: [logits] },
        ],
        tensors: [
          float32('fc.weight', [dim, CLASSES], transposed(weights, CLASSES, dim)),
          float32('fc.bias', [CLASSES], bias),
        ],
      }
    })
    const classifier = await expectLogitsReproduced(model)
    expect(classifier.bias).toEqual(classMajor(classifier.dim).bias)
  })

  it('finds the bias of a MatMul when the Add takes it as its first input', async () => {
    const model = withHead(({ features, dim, logits }) => {
      const { weights, bias } = classMajor(dim)
      return {
        nodes: [
          {
            opType: 'MatMul',
            name: '/fc/MatMul',
            input: [features, 'fc.weight'],
            output: ['fc.product'],
          },
          { opType: 'Add', name: '/fc/Add', input: ['fc.bias', 'fc.product'], output: [logits] },
        ],
        tensors: [
          float32('fc.weight', [dim, CLASSES], transposed(weights, CLASSES, dim)),
          float32('fc.bias', [CLASSES], bias),
        ],
      }
    })
    await expectLogitsReproduced(model)
  })

  it('looks through Identity nodes in front of the weight and the bias', async () => {
    const model = withHead(({ features, dim, logits }) => {
      const { weights, bias } = classMajor(dim)
      return {
        nodes: [
          { opType: 'Identity', name: 'w1', input: ['fc.weight'], output: ['fc.weight.1'] },
          { opType: 'Identity', name: 'w2', input: ['fc.weight.1'], output: ['fc.weight.2'] },
          { opType: 'Identity', name: 'b1', input: ['fc.bias'], output: ['fc.bias.1'] },
          gemm([features, 'fc.weight.2', 'fc.bias.1'], logits),
        ],
        tensors: [
          float32('fc.weight', [CLASSES, dim], weights),
          float32('fc.bias', [CLASSES], bias),
        ],
      }
    })
    await expectLogitsReproduced(model)
  })

  it('refuses a weight that is a graph input, naming the file and the fix', async () => {
    const model = withHead(({ model, features, dim, logits }) => {
      model.graph!.input!.push({
        name: 'fc.weight',
        type: tensorType(DataType.FLOAT, [CLASSES, dim]),
      })
      return {
        nodes: [gemm([features, 'fc.weight', 'fc.bias'], logits)],
        tensors: [float32('fc.bias', [CLASSES], classMajor(dim).bias)],
      }
    })
    const error = await readClassifier(model).then(
      () => null,
      (reason: unknown) => reason,
    )
    expect(error).toBeInstanceOf(ModelError)
    expect((error as ModelError).code).toBe('NOT_IMAGE_CLASSIFIER')
    expect((error as ModelError).message).toContain(FILE_NAME)
    expect((error as ModelError).message).toContain("'fc.weight' is not an initializer")
    expect((error as ModelError).message).toContain('re-export with constant folding on')
  })
})
