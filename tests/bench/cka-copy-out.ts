// Runs the straightforward (copy-out) approach in a child process: cka-copy-out-child.ts.
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { CkaValue } from '../../native-models/analysis/cka/cka.ts'
import type { CkaFixture } from './cka-fixtures.ts'

export interface CopyOutArgs {
  modelPath: string
  fixture: CkaFixture
  images: number
  n: number
  orderSeed: number
}

export interface CopyOutResult {
  images: number
  n: number
  batches: number
  orderSha256: string
  taps: { key: string; features: number }[]
  /** The activations kept: Σ C·H·W × 4 bytes × N. */
  storedBytes: number
  seconds: { forwardAndCopy: number; grams: number; cka: number; inProcess: number }
  /** VmHWM of the child process at its end (it never reset it: its whole life). */
  peakRssBytes: number | null
  /** Full-batch (N×N) linear and debiased CKA, and minibatch CKA from the Grams' n×n diagonal blocks. */
  matrices: Record<string, CkaValue[][]>
}

export interface CopyOutRun {
  result: CopyOutResult
  /** From spawning the child to its exit (Node start-up and imports included). */
  wallSeconds: number
  pid: number
}

const CHILD = fileURLToPath(new URL('./cka-copy-out-child.ts', import.meta.url))

/** MemAvailable from /proc/meminfo, in bytes (null off Linux). */
export function availableMemoryBytes(): number | null {
  try {
    const kb = /^MemAvailable:\s+(\d+) kB/m.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1]
    return kb === undefined ? null : Number(kb) * 1024
  } catch {
    return null
  }
}

export function runCopyOut(args: CopyOutArgs): Promise<CopyOutRun> {
  const startedAt = performance.now()
  const child = spawn(process.execPath, ['--expose-gc', CHILD, JSON.stringify(args)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  let stdout = ''
  child.stdout.setEncoding('utf8')
  child.stdout.on('data', (chunk: string) => (stdout += chunk))
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('exit', (code, signal) => {
      const wallSeconds = (performance.now() - startedAt) / 1000
      const line = stdout.trim().split('\n').at(-1) ?? ''
      if (code !== 0 || line === '') {
        reject(new Error(`The copy-out process ended with ${signal ?? `code ${code}`}.`))
        return
      }
      resolve({ result: JSON.parse(line) as CopyOutResult, wallSeconds, pid: child.pid ?? -1 })
    })
  })
}
