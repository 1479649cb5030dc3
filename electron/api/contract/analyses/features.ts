import type { CorruptionCell } from '../corruptions.ts'
import type { SpatialPooling } from './cka.ts'

/**
 * Which features a feature-space analysis reads: the pooled input of the final linear layer
 * ('penultimate', 2048-d for ResNet50), or any tap with a stated pooling.
 */
export interface FeatureLayer {
  /** null: the penultimate features (the input of the final Gemm/MatMul). */
  tap: string | null
  /** How a spatial tap becomes one vector per image; the penultimate features are already pooled. */
  pooling: SpatialPooling
}

/** How the features of one image set were obtained (the workspace's feature cache). */
export interface FeatureSource {
  /** 'hit': read from the cache with no forward pass; 'computed': forward passes, then cached. */
  cache: 'hit' | 'computed'
  /** Images passed through the model for this set (0 on a hit). */
  forwardPasses: number
  numImages: number
  dim: number
  corruption: CorruptionCell | null
}
