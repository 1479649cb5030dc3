export { filterGramMeasures, regularizerFloor } from './filter-gram.ts'
export type { FilterGramMeasures } from './filter-gram.ts'
export { spectrumMeasures } from './spectrum.ts'
export type { SpectrumMeasures } from './spectrum.ts'
export {
  geometryFromGrams,
  geometryFromMeasures,
  layerGrams,
  matrixShape,
  weightGeometry,
} from './weight-geometry.ts'
export type { LayerGeometry, LayerGrams } from './weight-geometry.ts'
