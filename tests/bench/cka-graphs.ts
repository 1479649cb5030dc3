// The graphs the CKA benchmark times besides the jobs: the Gram job's own graph, the model with
// the 18 taps as outputs (the copy-out approach), and a graph that is only a centered Gram.
import { resolveCkaTaps } from '../../native-models/engine/jobs/cka/settings.ts'
import { loadModel, summarizeLoadedModel } from '../../native-models/onnx/index.ts'
import { DataType, encodeModelProto } from '../../native-models/onnx/proto.ts'
import type { ModelProto } from '../../native-models/onnx/proto.ts'
import type { ActivationTap } from '../../native-models/surgery/activation-graph.ts'
import { buildGramGraph } from '../../native-models/surgery/gram-graph.ts'
import type { GramTapOutput } from '../../native-models/surgery/gram-graph.ts'
import { GraphBuilder } from '../../native-models/surgery/graph-builder.ts'
import { emitCenteredGram } from '../../native-models/surgery/reductions.ts'
import { tensorTypeProto } from '../../native-models/surgery/value-types.ts'

export interface BenchGraphs {
  /** The model's image input. */
  input: string
  taps: ActivationTap[]
  /** What the cka-grams job runs: the model plus every tap's centered Gram and shape. */
  gramGraph: { bytes: Uint8Array; taps: GramTapOutput[] }
  /** The model with every tap tensor as an output (nothing else computed on it). */
  tapGraph: { bytes: Uint8Array; outputs: string[] }
}

export async function benchGraphs(modelPath: string): Promise<BenchGraphs> {
  const loaded = await loadModel(modelPath)
  const summary = summarizeLoadedModel(loaded)
  const taps = resolveCkaTaps(summary, null)
  const gram = buildGramGraph(loaded.model, taps, { pooling: 'none' })
  const builder = new GraphBuilder(loaded.model)
  const outputs = taps.map((tap) => builder.addOutput(tap.tensor))
  return {
    input: summary.inputs[0].name,
    taps,
    gramGraph: { bytes: encodeModelProto(gram.model), taps: gram.taps },
    tapGraph: { bytes: encodeModelProto(builder.toModel()), outputs },
  }
}

export const GRAM_ONLY_INPUT = 'features'

/** Every standard ResNet50 tap has C·H·W divisible by 16, the chunks the job's graph uses. */
const GRAM_ONLY_CHUNKS = 16

/**
 * features [n, p] → (features − mean over n)·(…)ᵀ [n, n]: the same nodes the Gram job adds per
 * tap (emitCenteredGram in 16 chunks: Reshape, ReduceMean, Sub, two Transposes that ORT fuses into
 * a batched MatMul, ReduceSum), without the model.
 */
export function gramOnlyModel(): Uint8Array {
  const model: ModelProto = {
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    producerName: 'resnet-workbench bench',
    graph: {
      name: 'centered-gram',
      input: [{ name: GRAM_ONLY_INPUT, type: tensorTypeProto(DataType.FLOAT, ['n', 'p']) }],
    },
  }
  const builder = new GraphBuilder(model)
  const gram = emitCenteredGram(builder, GRAM_ONLY_INPUT, 'gram', GRAM_ONLY_CHUNKS)
  builder.addOutput(gram, { elemType: DataType.FLOAT, shape: ['n', 'n'] })
  return encodeModelProto(builder.toModel())
}
