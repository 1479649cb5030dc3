import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { analyzeModel, loadModel } from '../../../native-models/onnx/index.ts'
import {
  layerKeyOfParameterName,
  modelParameters,
} from '../../../native-models/onnx/parameter-keys.ts'

// The reference run exists only where tests/reference/train_fmnist.py has run (locally, or in CI
// after training); elsewhere this file is skipped.
const RUN = path.resolve('tests/.tmp/trained-runs/plain-seed0')
const FOLDED = path.join(RUN, 'epoch_1.onnx')
const KEPT = path.join(RUN, 'epoch_1.bn.onnx')

const torchvisionNames = (
  JSON.parse(
    readFileSync(
      new URL(
        '../../fixtures/goldens/parameter-keys/torchvision-resnet50-named-parameters.json',
        import.meta.url,
      ),
      'utf8',
    ),
  ) as { parameters: { name: string }[] }
).parameters.map((p) => p.name)

describe.skipIf(!existsSync(FOLDED) || !existsSync(KEPT))(
  'parameter keys of the trained reference ResNet50',
  () => {
    it('names all 161 parameters of the BN-kept export as training logs them, aliases included', async () => {
      const { parameters, unmapped } = modelParameters(analyzeModel(await loadModel(KEPT)))
      expect(unmapped).toEqual([])
      expect(parameters.map((p) => p.parameterKey).sort()).toEqual([...torchvisionNames].sort())
      for (const parameter of parameters) {
        expect(parameter.layerKey).toBe(layerKeyOfParameterName(parameter.parameterKey ?? ''))
      }
      // bn3.bias and downsample.1.bias get the same gradient through the residual Add, so they
      // stay equal and torch writes the second as an Identity of the first.
      const aliases = parameters.filter((p) => p.valuesFrom !== p.initializer)
      expect(aliases.map((p) => [p.parameterKey, p.valuesFrom]).sort()).toEqual(
        [1, 2, 3, 4].map((s) => [`layer${s}.0.downsample.1.bias`, `layer${s}.0.bn3.bias`]),
      )
    })

    it('maps the folded export’s onnx::Conv_* tensors to the same conv names and layer keys', async () => {
      const { parameters, unmapped } = modelParameters(analyzeModel(await loadModel(FOLDED)))
      expect(unmapped).toEqual([])
      expect(parameters).toHaveLength(53 * 2 + 2)
      const convWeights = parameters.filter((p) => p.opType === 'Conv' && p.role === 'weight')
      expect(convWeights.every((p) => p.initializer.startsWith('onnx::Conv_'))).toBe(true)
      const keptConvNames = torchvisionNames.filter((name) =>
        /(conv\d|downsample\.0)\.weight$/.test(name),
      )
      expect(convWeights.map((p) => p.parameterKey).sort()).toEqual(keptConvNames.sort())
      for (const parameter of parameters) {
        expect(parameter.layerKey).toBe(layerKeyOfParameterName(parameter.parameterKey ?? ''))
      }
    })
  },
)
