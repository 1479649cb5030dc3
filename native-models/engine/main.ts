// The engine process: owns every ORT session, because run() and session creation are synchronous
// native calls that would freeze the host's event loop (onnxruntime#26968). Started by EngineClient
// as an Electron utilityProcess or a child_process.fork with serialization 'advanced'.
import { TEST_JOBS_ENV } from './engine-env.ts'
import { connectToHost } from './host-channel.ts'
import { workbenchJobs } from './job-kinds.ts'
import { EngineJobRunner } from './job-runner.ts'
import { isToEngine } from './protocol.ts'
import { registerTestJobs } from './testing/register-test-jobs.ts'

const host = connectToHost()
const registry = workbenchJobs()
if (process.env[TEST_JOBS_ENV] === '1') registerTestJobs(registry)
const runner = new EngineJobRunner((message) => host.post(message), registry)
// Listen before the first await: a child's IPC messages that arrive with no listener are lost.
host.onMessage((message) => {
  if (isToEngine(message)) runner.handle(message)
  else console.error('engine: ignored a message outside the protocol', message)
})
host.onHostGone(() => process.exit(0))
// Load ORT before saying ready, so the first job does not pay for it.
await import('../runtime/index.ts')
host.post({ type: 'ready', pid: process.pid })
