// Hand-run timing of runRidgeProbes with the plain-JS float64 products (not a test):
//   nice node tests/reference/probes-timing.ts [train=6000] [test=1000] [dim=256] [classes=10] [pca=1]
// Features are seeded, non-negative like pooled ReLU outputs, around one mean per class; the
// paper's 15 fractions × 5 seeds, the default λ grid, both baselines (PCA optional).
import { DEFAULT_PROBE_FRACTIONS } from '../../electron/api/contract/analyses/probes.ts'
import { javascriptProducts } from '../../native-models/analysis/linear-algebra/dense-products.ts'
import { runRidgeProbes } from '../../native-models/analysis/probes/run-ridge-probes.ts'
import { SeededRandom } from '../../native-models/surgery/prng.ts'

const [numTrain, numTest, dim, classes, pca] = [6000, 1000, 256, 10, 1].map((fallback, i) =>
  Number(process.argv[2 + i] ?? fallback),
)
const random = new SeededRandom(1, 'probes-timing')
const means = Float32Array.from({ length: classes * dim }, () => random.nextFloat64())

function features(n: number): { features: Float32Array; labels: Int32Array; n: number } {
  const labels = Int32Array.from({ length: n }, () => Math.floor(random.nextFloat64() * classes))
  const values = new Float32Array(n * dim)
  for (let i = 0; i < n; i++)
    for (let j = 0; j < dim; j++)
      values[i * dim + j] = Math.max(
        0,
        means[labels[i] * dim + j] + 6 * (random.nextFloat64() - 0.5),
      )
  return { features: values, labels, n }
}

const started = performance.now()
const result = await runRidgeProbes(
  {
    train: features(numTrain),
    test: features(numTest),
    dim,
    classes,
    fractions: DEFAULT_PROBE_FRACTIONS,
    seeds: 5,
    validation: { fraction: 0.1, seed: 0 },
    ridgeGrid: null,
    baselines: { pca: pca === 1, randomProjection: true },
  },
  javascriptProducts,
)
const total = performance.now() - started
const ms = (value: number): string => `${value.toFixed(0)} ms`
console.log(
  `${numTrain} train + ${numTest} test × ${dim}, C = ${classes}, ${result.points.length} points`,
)
console.log(
  `moments ${ms(result.timings.moments)}, neuron ridge ${ms(result.timings.ridge)}, ` +
    `PCA ${ms(result.timings.pca)}, random projection ${ms(result.timings.randomProjection)}, ` +
    `total ${ms(total)}`,
)
console.log(
  `full layer ${result.fullLayer.accuracy.toFixed(4)}, DR ${JSON.stringify(result.diffusedRedundancy)}, ` +
    `within 5 points ${result.within5Points}`,
)
