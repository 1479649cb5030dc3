// Hand-run timing of native-models/analysis/t3a on cached-feature-sized input (not a test):
//   nice node tests/reference/t3a-timing.ts [classes=10] [images=10000] [dim=2048]
// Features are seeded, non-negative like pooled ReLU outputs, around one mean per class.
import { prepareT3aStream, runT3a } from '../../native-models/analysis/t3a/index.ts'
import type { T3aOptions } from '../../native-models/analysis/t3a/index.ts'
import { SeededRandom } from '../../native-models/surgery/prng.ts'

const [classes, images, dim] = [10, 10_000, 2048].map((fallback, i) =>
  Number(process.argv[2 + i] ?? fallback),
)
const random = new SeededRandom(1, 't3a-timing')
const means = Float32Array.from({ length: classes * dim }, () => random.nextFloat64())
const labels = Int32Array.from({ length: images }, () => Math.floor(random.nextFloat64() * classes))
const features = new Float32Array(images * dim)
for (let i = 0; i < images; i++)
  for (let j = 0; j < dim; j++)
    features[i * dim + j] = Math.max(
      0,
      means[labels[i] * dim + j] + 12 * (random.nextFloat64() - 0.5),
    )
const weights = Float32Array.from(
  means,
  (m) => (m - 0.5) * 0.05 + (random.nextFloat64() - 0.5) * 0.05,
)
const classifier = { weights, bias: new Float32Array(classes), classes, dim }

const runs: T3aOptions[] = [
  ...[1, 5, 20, 50, 100].map((filter) => ({ filter })),
  { filter: 'all', allBehaviour: 'keep-every-support' },
  { filter: 'all', allBehaviour: 'reference-drops-highest-entropy' },
]
const started = performance.now()
const stream = prepareT3aStream(features, classifier, labels)
const prepared = performance.now()
console.log(
  `${images} × ${dim}, C = ${classes}: base classifier ${(prepared - started).toFixed(0)} ms`,
)
for (const options of runs) {
  const t0 = performance.now()
  const result = runT3a(stream, options)
  const label = `M=${String(options.filter)}${options.allBehaviour ? ` (${options.allBehaviour})` : ''}`
  console.log(
    `${label}: ${(performance.now() - t0).toFixed(0)} ms, base ${result.baseAccuracy?.toFixed(4)} → T3A ${result.t3aAccuracy?.toFixed(4)}`,
  )
}
console.log(`total ${(performance.now() - started).toFixed(0)} ms`)
