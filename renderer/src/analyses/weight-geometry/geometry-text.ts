/** What the measures are, short, for the panel and the comparison. */
export const GEOMETRY_SEMANTICS =
  'Every conv and linear weight reshaped to W (n filters × m = in·k·k). Orthogonality: ' +
  '‖ŴŴᵀ − I‖²_F / n² with rows normalised to unit length; the regularizer: ‖WWᵀ − I‖²_F / n² ' +
  'unnormalised, diagonal kept, as the filter-bases paper (Kang & Kim 2021) penalises it. When ' +
  'n > m its floor is (n − m)/n² (rank ≤ m), drawn dashed. Singular values from the Gram ' +
  'matrix’s eigenvalues; stable rank ‖W‖²_F/σ²_max; effective rank exp(entropy of σ_i/Σσ).'

export const GEOMETRY_FOLDED =
  'BatchNorm is folded into this export: each conv weight is W·γ/σ, whose rows are rescaled, so ' +
  'the unnormalised regularizer, norms and spectra differ from the trained W (the row-normalised ' +
  'orthogonality and |cos| do not). Use the BN-kept export (epoch_N.bn.onnx) for the trained weights.'
