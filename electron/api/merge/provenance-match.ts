import type { Provenance } from '../contract/index.ts'
import { canonicalJson } from '../request-hash.ts'

const short = (text: string | null): string =>
  text === null ? 'none' : text.length > 16 ? `${text.slice(0, 12)}…` : text

const IMAGE_READING = /Cache(Error)?$/

function computedParameters(parameters: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(parameters).filter(([key]) => !IMAGE_READING.test(key)))
}

// What makes two results of the same request identity different computations. The request hash
// already covers the model's sha256, the dataset request and its files' names, sizes and times,
// the preprocessing, the parameters, the requested provider and the app version; these are
// checked again from the provenance, with what the hash cannot see: the dataset's content
// fingerprint and the execution providers ONNX Runtime really attached (CPU vs CUDA numbers
// differ in the last bits). Timing, batch size, creation time and how the images were read (a
// tensor or decoded-image cache hit gives bit-identical inputs) may differ.
const COMPARED: readonly { what: string; of: (p: Provenance) => string | null }[] = [
  { what: 'model sha256', of: (p) => p.modelSha256 },
  { what: 'dataset fingerprint', of: (p) => p.datasetFingerprint },
  { what: 'preprocessing', of: (p) => canonicalJson(p.preprocessing) },
  { what: 'parameters', of: (p) => canonicalJson(computedParameters(p.parameters)) },
  { what: 'execution providers', of: (p) => canonicalJson(p.providers.attached) },
  { what: 'app version', of: (p) => p.appVersion },
]

/** The first way two provenances of one request differ ("dataset fingerprint a… vs b…"), or null. */
export function provenanceDifference(ours: Provenance, theirs: Provenance): string | null {
  for (const { what, of } of COMPARED) {
    const [a, b] = [of(ours), of(theirs)]
    if (a !== b) return `${what} ${short(a)} vs ${short(b)}`
  }
  return null
}
