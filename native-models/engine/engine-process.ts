import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { engineEnvironment } from './engine-env.ts'
import type { FromEngine, ToEngine } from './protocol.ts'
import { isFromEngine } from './protocol.ts'

export interface EngineExit {
  code: number | null
  signal: string | null
}

/** The host's handle on one engine process, whichever way it was started. */
export interface EngineProcess {
  readonly pid: number | undefined
  send(message: ToEngine): void
  onMessage(listener: (message: FromEngine) => void): void
  /** Called once, when the process has ended for any reason. */
  onExit(listener: (exit: EngineExit) => void): void
  /** Ends the process at once (SIGKILL): a run() in progress cannot be interrupted otherwise. */
  kill(): void
}

export type SpawnEngine = () => EngineProcess

/** The engine entry when the sources run as TypeScript (web host, CLI, tests). */
export const ENGINE_ENTRY = fileURLToPath(new URL('./main.ts', import.meta.url))

/** A `child_process.fork` engine for the web host and the CLI. */
export function forkNodeEngine(
  options: { entry?: string; env?: NodeJS.ProcessEnv } = {},
): EngineProcess {
  const child = fork(options.entry ?? ENGINE_ENTRY, [], {
    // Typed arrays in job outputs cross as they are; JSON would turn them into objects.
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: engineEnvironment(options.env ?? process.env),
    // The host's flags (a test runner's loaders, an inspector port) are not the engine's.
    execArgv: [],
  })
  let exitListener: ((exit: EngineExit) => void) | null = null
  let exited: EngineExit | null = null
  const reportExit = (exit: EngineExit): void => {
    if (exited !== null) return
    exited = exit
    exitListener?.(exit)
  }
  child.on('exit', (code, signal) => reportExit({ code, signal }))
  child.on('error', (error) => {
    console.error('engine: process error', error)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  })
  return {
    pid: child.pid,
    send: (message) => {
      if (child.connected) child.send(message)
    },
    onMessage: (listener) => child.on('message', (message) => forwardIfValid(message, listener)),
    onExit: (listener) => {
      exitListener = listener
      if (exited !== null) listener(exited)
    },
    kill: () => void child.kill('SIGKILL'),
  }
}

/** What the engine needs of Electron's UtilityProcess (kept structural: no electron import here). */
export interface UtilityProcessLike {
  readonly pid: number | undefined
  postMessage(message: unknown): void
  on(event: 'message', listener: (message: unknown) => void): unknown
  on(event: 'exit', listener: (code: number) => void): unknown
  kill(): boolean
}

/**
 * Electron main: `wrapUtilityProcess(utilityProcess.fork(enginePath, [], { serviceName:
 * 'Analysis engine' }))`. A utilityProcess reports only an exit code, never a signal.
 */
export function wrapUtilityProcess(child: UtilityProcessLike): EngineProcess {
  return {
    pid: child.pid,
    send: (message) => child.postMessage(message),
    onMessage: (listener) => void child.on('message', (m) => forwardIfValid(m, listener)),
    onExit: (listener) => void child.on('exit', (code) => listener({ code, signal: null })),
    kill: () => void child.kill(),
  }
}

function forwardIfValid(message: unknown, listener: (message: FromEngine) => void): void {
  if (isFromEngine(message)) listener(message)
  else console.error('engine: ignored a message outside the protocol', message)
}
