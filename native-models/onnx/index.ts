// Public surface of native-models/onnx: model intake (sniff, decode, external data), graph IR with
// shape inference, ResNet structure and the ModelSummary the app shows.

export { ModelError } from './errors.ts'
export type { ModelErrorCode } from './errors.ts'
export { findInitializer, loadModel, loadModelFromBytes, readInitializerFloat32 } from './load.ts'
export type { LoadedModel, LoadFromBytesOptions } from './load.ts'
export { sniffModelBytes } from './sniff.ts'
export type { SniffResult } from './sniff.ts'
export { buildGraphIR } from './graph.ts'
export type { GraphIR, GraphNode } from './graph.ts'
export { inferShapes, SUPPORTED_OPERATORS } from './shape-inference.ts'
export type { ShapeInference } from './shape-inference.ts'
export { analyzeModel } from './model-analysis.ts'
export type { ModelAnalysis } from './model-analysis.ts'
export type { BlockStructure, HeadStructure, ResNetStructure } from './resnet-structure.ts'
export {
  buildSummary,
  summarizeLoadedModel,
  summarizeModel,
  summarizeModelBytes,
} from './summary.ts'
export { dataTypeName, tensorToFloat32 } from './tensor-data.ts'
export { MAX_OPSET, MIN_OPSET } from './validate.ts'
export { readFinalClassifier } from './final-classifier.ts'
export type { FinalClassifier } from './final-classifier.ts'
