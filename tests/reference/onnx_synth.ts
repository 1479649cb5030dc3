// Writes a synthesized ResNet for the reference scripts:
//   node tests/reference/onnx_synth.ts OUT.onnx '{"depth":18,"numClasses":10,...}'
// The JSON is a complete SynthRequest (electron/api/contract/models.ts).
import type { SynthRequest } from '../../electron/api/contract/index.ts'
import { writeSynthesizedResNet } from '../../native-models/surgery/synth.ts'

const [outPath, requestJson] = process.argv.slice(2)
if (outPath === undefined || requestJson === undefined) {
  console.error("usage: node tests/reference/onnx_synth.ts OUT.onnx '<SynthRequest JSON>'")
  process.exit(2)
}
const written = await writeSynthesizedResNet(outPath, JSON.parse(requestJson) as SynthRequest)
console.log(JSON.stringify(written))
