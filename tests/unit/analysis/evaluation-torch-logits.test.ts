import { describe, expect, it } from 'vitest'
import { evaluateOutputs } from '../../../native-models/analysis/evaluate/evaluation.ts'
import { expectMetricsClose } from './helpers/expect-metrics.ts'
import { FMNIST_CLASSES, readTorchLogitsGolden } from './helpers/torch-logits-golden.ts'

// Logits PyTorch computed on Fashion-MNIST test images (tests/reference/eval_torch_golden.py).
const goldens = [
  readTorchLogitsGolden('eval-synth18-logits.json'),
  readTorchLogitsGolden('eval-quick-epoch2-logits.json'),
  readTorchLogitsGolden('eval-seed0-epoch1-logits.json'),
]

describe.each(goldens)('metrics over the PyTorch logits in $fileName', (golden) => {
  it('decodes one row of 10 logits per labelled image', () => {
    expect(golden.logits32).toHaveLength(golden.labels.length * 10)
    expect(golden.logits64).toHaveLength(golden.labels.length * 10)
  })

  it('equal NumPy on the same float32 logits to 1e-9 (ECE, NLL, confusion, accuracies)', () => {
    const result = evaluateOutputs(golden.logits32, golden.labelArray, {
      classes: FMNIST_CLASSES,
      numOutputs: 10,
      hasTrailingSoftmax: false,
    })
    expectMetricsClose(result, golden.numpy, 1e-9)
  })
})
