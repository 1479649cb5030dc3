// Writes a small synthetic per-image dataset and its bootstrap resamples (seed 7, 200 resamples)
// for tests/reference/uncertainty_goldens.py, which recomputes the statistics with NumPy.
// Regenerate the golden (the JSON written here is an intermediate; it is not committed):
//   node tests/reference/export-bootstrap-resamples.ts tests/.tmp/uncertainty-resamples.json
//   /usr/bin/python3 tests/reference/uncertainty_goldens.py tests/.tmp/uncertainty-resamples.json \
//     tests/fixtures/goldens/uncertainty.json
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { forEachBootstrapResample } from '../../native-models/analysis/uncertainty/index.ts'
import { createRandomStream } from '../../native-models/analysis/uncertainty/xoshiro128.ts'

const IMAGES = 200
const RESAMPLES = 200
const BOOTSTRAP_SEED = 7
const DATASET_SEED = 2024

/** Model A is overconfident; model B agrees with A on most images and fixes a few more. */
function syntheticDataset() {
  const random = createRandomStream(DATASET_SEED)
  const uniform = (): number => random.nextUint32() / 2 ** 32
  const confidence: number[] = []
  const correctA: number[] = []
  const correctB: number[] = []
  const nll: number[] = []
  for (let image = 0; image < IMAGES; image += 1) {
    // Every 25th image is fully confident, so the closed upper edge 1 of the last bin is used.
    const imageConfidence = image % 25 === 0 ? 1 : Math.fround(0.2 + 0.8 * uniform())
    const isCorrectA = uniform() < imageConfidence - 0.1
    const flip = uniform()
    const isCorrectB = isCorrectA ? flip >= 0.08 : flip < 0.3
    confidence.push(imageConfidence)
    correctA.push(isCorrectA ? 1 : 0)
    correctB.push(isCorrectB ? 1 : 0)
    nll.push(
      Math.fround(-Math.log(isCorrectA ? imageConfidence : (1 - imageConfidence) / 9 + 1e-3)),
    )
  }
  return { confidence, correctA, correctB, nll }
}

const [outPath] = process.argv.slice(2)
if (outPath === undefined) {
  console.error('usage: node tests/reference/export-bootstrap-resamples.ts OUT.json')
  process.exit(2)
}
const indices: number[][] = []
forEachBootstrapResample(IMAGES, RESAMPLES, BOOTSTRAP_SEED, (resample) => {
  indices.push(Array.from(resample))
})
const exported = {
  seed: BOOTSTRAP_SEED,
  resamples: RESAMPLES,
  dataset: syntheticDataset(),
  indices,
}
mkdirSync(dirname(outPath), { recursive: true })
writeFileSync(outPath, JSON.stringify(exported))
console.log(`wrote ${RESAMPLES} resamples of ${IMAGES} images to ${outPath}`)
