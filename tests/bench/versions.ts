import { readFileSync } from 'node:fs'

/** The installed onnxruntime-node's version, for the benchmark reports. */
export function onnxruntimeVersion(): string {
  const path = new URL('../../node_modules/onnxruntime-node/package.json', import.meta.url)
  return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version
}
