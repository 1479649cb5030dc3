import { buildGraphIR } from './graph.ts'
import type { GraphIR } from './graph.ts'
import { concreteInputs } from './input-shape.ts'
import type { ConcreteInputs } from './input-shape.ts'
import { findInputPreamble } from './input-preamble.ts'
import type { InputPreamble } from './input-preamble.ts'
import { assignBlockKeys } from './layer-keys.ts'
import type { BlockKeys } from './layer-keys.ts'
import type { LoadedModel } from './load.ts'
import type { ValueInfoProto } from './proto.ts'
import { findResNetStructure } from './resnet-structure.ts'
import type { BlockStructure, ResNetStructure } from './resnet-structure.ts'
import { inferShapes } from './shape-inference.ts'
import type { ShapeInference } from './shape-inference.ts'
import {
  assertFloat32,
  assertSupportedOpset,
  assertSupportedOperators,
  findImageInput,
} from './validate.ts'

/** Everything learned about a model's graph; the summary and later graph surgery read from it. */
export interface ModelAnalysis {
  loaded: LoadedModel
  ir: GraphIR
  image: ValueInfoProto
  preamble: InputPreamble
  inputs: ConcreteInputs
  inference: ShapeInference
  structure: ResNetStructure
  /** Blocks grouped by stage: a stage starts at every block that changes the feature map. */
  stages: BlockStructure[][]
  keys: BlockKeys
}

function startsStage(block: BlockStructure, inference: ShapeInference): boolean {
  const input = inference.shapes.get(block.input) ?? []
  const output = inference.shapes.get(block.output) ?? []
  return block.downsample.length > 0 || input.join() !== output.join()
}

export function groupStages(
  blocks: readonly BlockStructure[],
  inference: ShapeInference,
): BlockStructure[][] {
  const stages: BlockStructure[][] = []
  blocks.forEach((block, i) => {
    const current = stages.at(-1)
    if (i === 0 || !current || startsStage(block, inference)) stages.push([block])
    else current.push(block)
  })
  return stages
}

/**
 * Validates a loaded model (opset, image input, dtypes, operators), infers its shapes at batch 1
 * and finds its ResNet structure. Throws ModelError with the reason for anything it cannot read.
 */
export function analyzeModel(loaded: LoadedModel): ModelAnalysis {
  const { fileName } = loaded
  const ir = buildGraphIR(loaded.model)
  assertSupportedOpset(ir, fileName)
  const image = findImageInput(ir, fileName)
  assertFloat32(ir, image, fileName)
  assertSupportedOperators(ir, fileName)
  const preamble = findInputPreamble(ir, image.name ?? '')
  const inputs = concreteInputs(ir, image, preamble.layout, fileName)
  const external = (tensor: { name?: string }): Uint8Array | undefined =>
    loaded.externalTensors.get(tensor.name ?? '')
  const inference = inferShapes(ir, inputs.shapes, external)
  const structure = findResNetStructure(ir, preamble.stemInput, inference.constants, fileName)
  const stages = groupStages(structure.blocks, inference)
  const keys = assignBlockKeys(stages.map((blocks) => blocks.map((block) => block.nodes)))
  return { loaded, ir, image, preamble, inputs, inference, structure, stages, keys }
}
