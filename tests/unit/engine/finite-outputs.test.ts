import { describe, expect, it } from 'vitest'
import { firstNonFiniteOutput } from '../../../native-models/engine/jobs/shared/finite-outputs.ts'

describe('firstNonFiniteOutput', () => {
  it('names the row and class of the first NaN or infinity', () => {
    const outputs = Float32Array.of(0, 1, 2, 3, Infinity, NaN)
    expect(firstNonFiniteOutput(outputs, 3)).toEqual({ row: 1, classIndex: 1, value: Infinity })
  })

  it('returns null when every output is finite', () => {
    expect(firstNonFiniteOutput(Float32Array.of(-3.4e38, 0, 3.4e38), 3)).toBeNull()
  })
})
