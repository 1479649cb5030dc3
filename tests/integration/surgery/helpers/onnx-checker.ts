import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

// Debian's python3-onnx (1.12) validates what the builder emits. CI installs it; torch is not needed.
// ONNX_CHECK_PYTHON points elsewhere, e.g. at a missing interpreter to see the tests skip.
const PYTHON = process.env.ONNX_CHECK_PYTHON ?? '/usr/bin/python3'
const CHECK_SCRIPT = fileURLToPath(new URL('../../../reference/onnx_check.py', import.meta.url))

export interface CheckResult {
  path: string
  opset: number | null
  status: 'ok' | 'failed' | 'skipped'
  reason?: string
  /** Inferred shape of every graph output: sizes, symbols, or null when unknown. */
  outputs?: Record<string, (number | string | null)[] | null>
}

/** Why the checker cannot run here, or null when `/usr/bin/python3 -c "import onnx"` works. */
export function onnxCheckerUnavailableReason(): string | null {
  const probe = spawnSync(PYTHON, ['-c', 'import onnx'], { encoding: 'utf8' })
  if (probe.error !== undefined) return `${PYTHON} cannot run (${probe.error.message})`
  if (probe.status !== 0) return `${PYTHON} has no onnx package (apt install python3-onnx)`
  return null
}

/** Checks every file in one Python process (importing onnx costs more than checking a model). */
export function runOnnxChecker(paths: readonly string[]): Map<string, CheckResult> {
  const run = spawnSync(PYTHON, [CHECK_SCRIPT, ...paths], {
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  })
  if (run.error !== undefined) throw run.error
  const results = run.stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as CheckResult)
  if (results.length !== paths.length) {
    throw new Error(
      `onnx_check.py answered for ${results.length} of ${paths.length} models: ${run.stderr}`,
    )
  }
  return new Map(results.map((result) => [result.path, result]))
}
