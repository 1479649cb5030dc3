import type { SynthRequest } from '../../electron/api/contract/index.ts'
import { DataType } from '../onnx/proto.ts'
import type { ModelProto } from '../onnx/proto.ts'
import { SurgeryError } from './errors.ts'
import { GraphBuilder } from './graph-builder.ts'
import { writeModelFile } from './model-file.ts'
import type { WrittenModel } from './model-file.ts'
import { HIGHEST_UPGRADE_TARGET, LOWEST_SUPPORTED_OPSET } from './opset.ts'
import { firstFoldedInitializerId, RESNET_SPECS, STAGE_PLANES } from './resnet-spec.ts'
import { addClassifierWeights, emitBlocks, emitHead, emitStem } from './synth-layers.ts'
import type { SynthContext } from './synth-layers.ts'
import { tensorTypeProto } from './value-types.ts'

export const SYNTH_PRODUCER_NAME = 'resnet-workbench synth'
/** Bumped whenever the same request would give different bytes. */
export const SYNTH_FORMAT_VERSION = '1'
/** torch 1.13 writes IR 8 at every opset it exports. */
const SYNTH_IR_VERSION = 8

/**
 * A torchvision ResNet as torch 1.13 would export it (node, tensor and initializer names included),
 * with seeded He-initialised weights. The same request gives byte-identical encodings, and each
 * weight tensor has its own stream, so BN-kept and folded variants share the same convolutions.
 */
export function synthesizeResNet(request: SynthRequest): ModelProto {
  assertValidRequest(request)
  const spec = RESNET_SPECS[request.depth]
  const builder = new GraphBuilder(modelSkeleton(request))
  const context: SynthContext = {
    builder,
    seed: request.seed,
    opset: request.opset,
    bnFolded: request.bnFolded,
    nextFoldedId: firstFoldedInitializerId(spec, request.cifarStem),
  }
  const features = (STAGE_PLANES.at(-1) as number) * spec.expansion
  // torch lists the classifier first in a folded export and last in a BN-kept one.
  const early = request.bnFolded
    ? addClassifierWeights(context, features, request.numClasses)
    : null
  const trunk = emitBlocks(context, spec, emitStem(context, 'input', request.cifarStem))
  const classifier = early ?? addClassifierWeights(context, features, request.numClasses)
  const logits = emitHead(context, trunk, classifier)
  builder.addOutput(logits, {
    elemType: DataType.FLOAT,
    shape: [batchDim(request), request.numClasses],
  })
  return builder.toModel()
}

/** Synthesizes and writes `path` (plus `<path>.data` when `request.externalData`). */
export async function writeSynthesizedResNet(
  path: string,
  request: SynthRequest,
): Promise<WrittenModel> {
  return writeModelFile(path, synthesizeResNet(request), { externalData: request.externalData })
}

function batchDim(request: SynthRequest): number | string {
  return request.batch === 'dynamic' ? 'batch' : request.batch
}

function modelSkeleton(request: SynthRequest): ModelProto {
  const shape = [batchDim(request), 3, request.inputSize, request.inputSize]
  return {
    irVersion: SYNTH_IR_VERSION,
    opsetImport: [{ domain: '', version: request.opset }],
    producerName: SYNTH_PRODUCER_NAME,
    producerVersion: SYNTH_FORMAT_VERSION,
    graph: {
      name: 'torch_jit',
      node: [],
      initializer: [],
      input: [{ name: 'input', type: tensorTypeProto(DataType.FLOAT, shape) }],
      output: [],
    },
    metadataProps: [{ key: 'synth_request', value: canonicalRequest(request) }],
  }
}

/** Fixed key order, so two equal requests written in different key orders encode identically. */
function canonicalRequest(request: SynthRequest): string {
  const { depth, numClasses, inputSize, cifarStem, bnFolded, opset, seed, batch, externalData } =
    request
  return JSON.stringify({
    depth,
    numClasses,
    inputSize,
    cifarStem,
    bnFolded,
    opset,
    seed,
    batch,
    externalData,
  })
}

function assertValidRequest(request: SynthRequest): void {
  const problems = [
    !(request.depth in RESNET_SPECS) && `depth ${request.depth} is not 18, 34, 50 or 101`,
    !isIntegerIn(request.numClasses, 1, 1_000_000) &&
      `numClasses ${request.numClasses} is not a positive integer`,
    !isIntegerIn(request.inputSize, 1, 4096) &&
      `inputSize ${request.inputSize} is not an integer in 1–4096`,
    !isIntegerIn(request.opset, LOWEST_SUPPORTED_OPSET, HIGHEST_UPGRADE_TARGET) &&
      `opset ${request.opset} is outside ${LOWEST_SUPPORTED_OPSET}–${HIGHEST_UPGRADE_TARGET}`,
    !Number.isSafeInteger(request.seed) && `seed ${request.seed} is not a safe integer`,
    request.batch !== 'dynamic' &&
      !isIntegerIn(request.batch, 1, 1_000_000) &&
      `batch ${request.batch} is neither 'dynamic' nor a positive integer`,
  ].filter((problem): problem is string => typeof problem === 'string')
  if (problems.length > 0) {
    throw new SurgeryError(
      'INVALID_ARGUMENT',
      `Cannot synthesize this ResNet: ${problems.join('; ')}.`,
    )
  }
}

function isIntegerIn(value: unknown, low: number, high: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= low && value <= high
}
