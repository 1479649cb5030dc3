import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SynthRequest } from '../../../electron/api/contract/index.ts'
import { GraphBuilder } from '../../../native-models/surgery/graph-builder.ts'
import { synthesizeResNet, writeSynthesizedResNet } from '../../../native-models/surgery/synth.ts'
import { legacyClassifier, tinyClassifier } from '../../unit/surgery/helpers/tiny-classifier.ts'
import { addAnalysisOutputs, HISTOGRAM_BINS } from './helpers/analysis-graph.ts'
import { onnxCheckerUnavailableReason, runOnnxChecker } from './helpers/onnx-checker.ts'
import type { CheckResult } from './helpers/onnx-checker.ts'

/** onnx 1.12 (Debian) knows opsets up to 17; opset 18 graphs are covered by the ORT tests only. */
const NEWEST_CHECKED_OPSET = 17

const unavailable = onnxCheckerUnavailableReason()
if (unavailable !== null) console.warn(`onnx checker tests skipped: ${unavailable}`)

const BASE: SynthRequest = {
  depth: 18,
  numClasses: 10,
  inputSize: 32,
  cifarStem: false,
  bnFolded: false,
  opset: 17,
  seed: 5,
  batch: 2,
  externalData: false,
}

/** Every synthesized variant: each opset 13–18, both BN forms, both stems, both batch kinds. */
const SYNTH_CASES: [string, SynthRequest][] = [
  ['resnet18 kept opset 13', { ...BASE, opset: 13 }],
  [
    'resnet18 folded opset 13 dynamic external',
    { ...BASE, opset: 13, bnFolded: true, batch: 'dynamic', externalData: true },
  ],
  ['resnet18 kept opset 14 cifar', { ...BASE, opset: 14, cifarStem: true }],
  ['resnet18 folded opset 15', { ...BASE, opset: 15, bnFolded: true }],
  ['resnet18 kept opset 16 dynamic', { ...BASE, opset: 16, batch: 'dynamic' }],
  ['resnet18 kept opset 17 external', { ...BASE, externalData: true }],
  ['resnet18 folded opset 18', { ...BASE, opset: 18, bnFolded: true }],
  [
    'resnet34 folded opset 17 cifar dynamic',
    { ...BASE, depth: 34, bnFolded: true, cifarStem: true, batch: 'dynamic' },
  ],
  [
    'resnet50 kept opset 17 1000 classes 224',
    { ...BASE, depth: 50, numClasses: 1000, inputSize: 224 },
  ],
  [
    'resnet101 folded opset 13 external',
    { ...BASE, depth: 101, opset: 13, bnFolded: true, externalData: true },
  ],
]

const TINY_OPSETS = [11, 13, 16, 17, 18]
const UPGRADE_TARGETS = [13, 16, 17, 18]

describe.skipIf(unavailable !== null)(
  `emitted graphs pass onnx.checker + strict shape inference${unavailable === null ? '' : ` (skipped: ${unavailable})`}`,
  () => {
    let folder = ''
    const files = new Map<string, { path: string; opset: number }>()
    let results = new Map<string, CheckResult>()

    beforeAll(async () => {
      folder = await mkdtemp(join(tmpdir(), 'surgery-checker-'))
      for (const [label, request] of SYNTH_CASES) {
        const path = join(folder, `${label.replaceAll(' ', '-')}.onnx`)
        await writeSynthesizedResNet(path, request)
        files.set(label, { path, opset: request.opset })
      }
      for (const opset of TINY_OPSETS) {
        const { builder } = addAnalysisOutputs(tinyClassifier(opset), '/relu/Relu_output_0')
        await addFile(`tiny analysis graph opset ${opset}`, builder)
      }
      const legacy = new GraphBuilder(legacyClassifier({ absentBatchNormOutputs: true }))
      await addFile('legacy graph as written at opset 11', legacy)
      for (const target of UPGRADE_TARGETS) {
        const builder = new GraphBuilder(legacyClassifier({ absentBatchNormOutputs: true }))
        builder.ensureOpset(target, 'test')
        await addFile(`legacy graph upgraded 11 → ${target}`, builder)
      }
      const resnet = synthesizeResNet({ ...BASE, opset: 13 })
      await addFile(
        'resnet18 opset 13 analysis graph',
        addAnalysisOutputs(resnet, '/layer1/layer1.0/relu_1/Relu_output_0').builder,
      )
      results = runOnnxChecker([...files.values()].map((file) => file.path))
    }, 300_000)

    async function addFile(label: string, builder: GraphBuilder): Promise<void> {
      const path = join(folder, `${label.replaceAll(' ', '-')}.onnx`)
      await writeFile(path, builder.encode())
      files.set(label, { path, opset: builder.opset })
    }

    afterAll(async () => {
      await rm(folder, { recursive: true, force: true })
    })

    const cases: [string, number][] = [
      ...SYNTH_CASES.map(([label, request]): [string, number] => [label, request.opset]),
      ...TINY_OPSETS.map((opset): [string, number] => [
        `tiny analysis graph opset ${opset}`,
        opset,
      ]),
      ['legacy graph as written at opset 11', 11],
      ...UPGRADE_TARGETS.map((to): [string, number] => [`legacy graph upgraded 11 → ${to}`, to]),
      ['resnet18 opset 13 analysis graph', 13],
    ]
    for (const [label, opset] of cases) {
      if (opset > NEWEST_CHECKED_OPSET) {
        it(`skips the checker for the ${label}: onnx 1.12 knows opsets up to 17 (ORT tests cover it)`, () => {
          expect(results.get(files.get(label)?.path ?? '')?.status).toBe('skipped')
        })
        continue
      }
      it(`accepts the ${label}`, () => {
        const result = results.get(files.get(label)?.path ?? '')
        expect(result?.reason ?? '').toBe('')
        expect(result?.status).toBe('ok')
      })
    }

    it('infers the shapes of the logits and of every added output', () => {
      const at13 = results.get(files.get('resnet18 folded opset 13 dynamic external')?.path ?? '')
      expect(at13?.outputs).toEqual({ logits: ['batch', 10] })
      const analysis = results.get(files.get('resnet18 opset 13 analysis graph')?.path ?? '')
      expect(Object.values(analysis?.outputs ?? {})).toEqual([
        [2, 10],
        [2, 64, 8, 8],
        [2, 2],
        [2, 2],
        [64],
        [2, 64],
        [2, 10],
        [1, HISTOGRAM_BINS],
      ])
    })
  },
)
