// Driver of gradients_full_check.py: the backward graph's per-parameter gradient norms on a
// full-size checkpoint, and the time of forward + backward against the forward pass alone.
//
// Usage: node tests/reference/gradients-full-check.ts MODEL.onnx IMAGES.f32 LABELS.json REPEATS
// IMAGES.f32 holds [N, 3, H, W] little-endian float32 (H = W given by the model's input); prints JSON.
import { readFileSync } from 'node:fs'
import { loadModel } from '../../native-models/onnx/load.ts'
import { analyzeModel } from '../../native-models/onnx/model-analysis.ts'
import { createSession } from '../../native-models/runtime/session.ts'
import { openGradientSession } from '../../native-models/runtime/gradient-session.ts'
import { buildBackwardGraph } from '../../native-models/surgery/backward/backward-graph.ts'

const [modelPath = '', imagesPath = '', labelsPath = '', repeatsText = '3'] = process.argv.slice(2)
const labels = JSON.parse(readFileSync(labelsPath, 'utf8')) as number[]
const bytes = readFileSync(imagesPath)
const images = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4)
const analysis = analyzeModel(await loadModel(modelPath))
const size = images.length / labels.length / 3
const side = Math.round(Math.sqrt(size))
const dims = [labels.length, 3, side, side]
const repeats = Number(repeatsText)

const buildStart = performance.now()
const graph = buildBackwardGraph(analysis, { parameterOutput: 'norm', blockOutputNorms: true })
const buildMs = performance.now() - buildStart
const backward = await openGradientSession(graph)
const first = await backward.run(images, dims, labels)
const backwardMs = await timeRuns(repeats, () => backward.run(images, dims, labels))
await backward.release()

const forward = await createSession(modelPath)
const feeds = { [graph.imageInput]: { data: images, dims } }
await forward.run(feeds)
const forwardMs = await timeRuns(repeats, () => forward.run(feeds))
await forward.release()

console.log(
  JSON.stringify({
    loss: first.loss,
    parameters: Object.fromEntries(
      graph.parameters.map((p, i) => [p.initializer, first.parameterNorms[i]]),
    ),
    blocks: Object.fromEntries(graph.blockOutputs.map((b, i) => [b.layerKey, first.blockNorms[i]])),
    batch: labels.length,
    buildMs,
    forwardMsPerImage: (forwardMs[0] ?? Number.NaN) / labels.length,
    forwardBackwardMsPerImage: (backwardMs[0] ?? Number.NaN) / labels.length,
    forwardRunsMs: forwardMs,
    forwardBackwardRunsMs: backwardMs,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  }),
)

/** Milliseconds of each of `count` runs, sorted (the machine is shared: read the minimum). */
async function timeRuns(count: number, run: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = []
  for (let i = 0; i < count; i += 1) {
    const start = performance.now()
    await run()
    times.push(performance.now() - start)
  }
  return times.toSorted((a, b) => a - b)
}
