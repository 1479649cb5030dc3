// `node tests/bench/with-engine-env.ts <script> [args…]`: runs a benchmark script with the engine
// process's environment (engineEnvironment: huge pages for glibc's malloc on Linux), so what the
// bench process times itself (a bare session, the Gram share) runs under the same memory settings
// as the jobs it is compared with.
import { spawn } from 'node:child_process'
import { engineEnvironment } from '../../native-models/engine/engine-env.ts'

const [script, ...args] = process.argv.slice(2)
if (script === undefined) {
  console.error('usage: node tests/bench/with-engine-env.ts <script> [args…]')
  process.exit(2)
}
const child = spawn(process.execPath, [script, ...args], {
  stdio: 'inherit',
  env: engineEnvironment(process.env),
})
// Ctrl-C reaches the child through the terminal; the child resumes a paused trainer itself.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => undefined)
child.on('exit', (code, signal) => process.exit(code ?? (signal === null ? 1 : 128)))
