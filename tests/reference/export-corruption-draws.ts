// Runs every corruption on the test image of tests/fixtures/data/corruption-source.ts with a
// recording random source and writes, per case, the draws it made and its output, for
// tests/reference/corruption_goldens.py, which replays the same draws through the original
// ImageNet-C code. The JSON written here is an intermediate; it is not committed. Regenerate:
//   node tests/reference/export-corruption-draws.ts tests/.tmp/corruption-draws.json [names...]
//   /usr/bin/python3 tests/reference/corruption_goldens.py <hendrycks/robustness checkout> \
//     tests/.tmp/corruption-draws.json tests/fixtures/goldens/corruptions
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import {
  CORRUPTIONS,
  recordingRandom,
  seededRandom,
} from '../../native-models/analysis/robustness/corruptions/index.ts'
import { jpegRoundTrip } from '../../native-models/data/jpeg-round-trip.ts'
import { corruptionSource } from '../fixtures/data/corruption-source.ts'
import { GOLDEN_CASES, goldenSeed } from '../fixtures/goldens/corruptions/cases.ts'

const [out, ...names] = process.argv.slice(2)
if (!out) {
  throw new Error('usage: node tests/reference/export-corruption-draws.ts <out.json> [names...]')
}
const chosen = CORRUPTIONS.filter((c) => names.length === 0 || names.includes(c.name))

const cases = []
for (const corruption of chosen) {
  for (const { table, severity } of GOLDEN_CASES) {
    const image = corruptionSource(table)
    const seed = goldenSeed(corruption.name, table, severity)
    const { random, draws } = recordingRandom(seededRandom(seed))
    const output = await corruption.apply(image, { severity, table, random, jpeg: jpegRoundTrip })
    cases.push({
      name: corruption.name,
      table,
      severity,
      seed,
      size: table,
      input: Buffer.from(image.data).toString('base64'),
      draws,
      output: Buffer.from(output.data).toString('base64'),
    })
  }
}
mkdirSync(dirname(out), { recursive: true })
writeFileSync(out, JSON.stringify({ cases }))
console.log(`${cases.length} cases -> ${out}`)
