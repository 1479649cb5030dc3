// Hand-run check of the fake-quantization graphs on real checkpoints (not a test): the sites found,
// the time to splice each graph into the checkpoint's bytes against a full encode, one run of the
// spliced graph in ORT, and Debian's onnx checker (python3-onnx) on the spliced files.
//   nice node tests/reference/fake-quant-splice-check.ts \
//     tests/.tmp/trained-runs/plain-seed0/epoch_3.bn.onnx tests/.tmp/trained-runs/plain-seed0/epoch_3.onnx
import { spawnSync } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { analyzeModel, loadModel } from '../../native-models/onnx/index.ts'
import { decodeModelProto, encodeModelProto } from '../../native-models/onnx/proto.ts'
import { createSession } from '../../native-models/runtime/session.ts'
import type { FeedTensor } from '../../native-models/runtime/session.ts'
import {
  buildFakeQuantGraph,
  findCompressionSites,
} from '../../native-models/surgery/fake-quant/index.ts'
import type { BitSource, FakeQuantGraph } from '../../native-models/surgery/fake-quant/index.ts'

const CHECK_SCRIPT = fileURLToPath(new URL('./onnx_check.py', import.meta.url))
const paths = process.argv.slice(2)
if (paths.length === 0)
  throw new Error('usage: fake-quant-splice-check.ts MODEL.onnx [MODEL.onnx …]')

const folder = await mkdtemp(join(tmpdir(), 'fake-quant-check-'))
const written: string[] = []
try {
  for (const path of paths) {
    const analysis = analyzeModel(await loadModel(path))
    const sites = findCompressionSites(analysis)
    const kinds = sites.reduce<Record<string, number>>(
      (counts, site) => ({ ...counts, [site.kind]: (counts[site.kind] ?? 0) + 1 }),
      {},
    )
    console.log(`${path}: ${sites.length} sites ${JSON.stringify(kinds)}, first ${sites[0]?.id}`)
    for (const bitSource of ['levels', 'error-bound'] as BitSource[]) {
      const graph = buildFakeQuantGraph(analysis, { sites, bitSource })
      const started = performance.now()
      const spliced = graph.encodeSplicedInto(analysis.loaded.bytes)
      const spliceMs = performance.now() - started
      const encodeStarted = performance.now()
      const encoded = encodeModelProto(graph.model)
      const encodeMs = performance.now() - encodeStarted
      console.log(
        `  ${bitSource}: splice ${spliceMs.toFixed(0)} ms (${(spliced.byteLength / 1e6).toFixed(1)} MB), full encode ${encodeMs.toFixed(0)} ms, same model as the full encode: ${sameModel(spliced, encoded)}`,
      )
      await runOnce(spliced, graph, analysis.inputs.shapes.get(graph.imageInput) ?? [])
      const file = join(folder, `${basename(path, '.onnx')}.${bitSource}.onnx`)
      await writeFile(file, spliced)
      written.push(file)
    }
  }
  const check = spawnSync('/usr/bin/python3', [CHECK_SCRIPT, ...written], { encoding: 'utf8' })
  for (const line of check.stdout.split('\n').filter((text) => text.trim() !== '')) {
    const result = JSON.parse(line) as { path: string; status: string; reason?: string }
    console.log(`onnx checker: ${basename(result.path)} ${result.status} ${result.reason ?? ''}`)
  }
  if (check.stderr !== '') console.log(check.stderr)
} finally {
  await rm(folder, { recursive: true, force: true })
}

function sameModel(spliced: Uint8Array, encoded: Uint8Array): boolean {
  return Buffer.from(encodeModelProto(decodeModelProto(spliced))).equals(Buffer.from(encoded))
}

async function runOnce(
  bytes: Uint8Array,
  graph: FakeQuantGraph,
  imageShape: readonly number[],
): Promise<void> {
  const dims = [4, ...imageShape.slice(1)]
  const size = dims.reduce((a, b) => a * b, 1)
  const feeds: Record<string, FeedTensor> = {
    [graph.imageInput]: { data: Float32Array.from({ length: size }, (_, i) => Math.sin(i)), dims },
  }
  for (const { site, input } of graph.sites) {
    feeds[input] = { data: new Float32Array(site.channels).fill(2 ** 6), dims: [site.channels] }
  }
  const session = await createSession(bytes)
  try {
    const started = performance.now()
    const outputs = await session.run(feeds)
    const bits = outputs[graph.sites[0]?.outputs.bits ?? '']?.data.slice(0, 4)
    console.log(
      `    ran batch ${dims[0]} in ${(performance.now() - started).toFixed(0)} ms; first site bits ${Array.from(bits ?? []).join(', ')}`,
    )
  } finally {
    await session.release()
  }
}
