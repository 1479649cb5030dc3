import type { FromEngine } from './protocol.ts'

/** How the engine talks to its host; the same for a utilityProcess and a forked Node child. */
export interface HostChannel {
  post(message: FromEngine): void
  onMessage(listener: (message: unknown) => void): void
  /** Called when the host is gone (Node fork only: Electron ends utility processes itself). */
  onHostGone(listener: () => void): void
}

interface ParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): void
  postMessage(message: unknown): void
}

/** Electron's `process.parentPort` inside a utilityProcess; absent under Node. */
function electronParentPort(): ParentPort | undefined {
  return (process as { parentPort?: ParentPort }).parentPort
}

export function connectToHost(): HostChannel {
  const parentPort = electronParentPort()
  if (parentPort !== undefined) {
    return {
      post: (message) => parentPort.postMessage(message),
      onMessage: (listener) => parentPort.on('message', (event) => listener(event.data)),
      onHostGone: () => {},
    }
  }
  const send = process.send?.bind(process)
  if (send === undefined) {
    throw new Error('The engine runs as a child of a host: start it with EngineClient.')
  }
  const gone: (() => void)[] = []
  const hostGone = (): void => gone.forEach((listener) => listener())
  process.on('disconnect', hostGone)
  return {
    // A host that died between two messages makes a send fail (EPIPE): that is its going, not an
    // error of the engine's, so it ends the engine as a disconnect would, without a stack trace.
    post: (message) => {
      if (!process.connected) return hostGone()
      send(message, undefined, {}, (error: Error | null) => error && hostGone())
    },
    onMessage: (listener) => process.on('message', listener),
    onHostGone: (listener) => void gone.push(listener),
  }
}
