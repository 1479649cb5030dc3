export { multiplicativeNoise, weightNoiseSeed } from './multiplicative-noise.ts'
export { meanStd, summariseNoiseLevels } from './level-summary.ts'
export type { MeanStd, NoiseLevelSummary, NoiseSampleScore } from './level-summary.ts'
