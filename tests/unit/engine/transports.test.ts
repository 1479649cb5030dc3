import { EventEmitter } from 'node:events'
import { afterEach, describe, expect, it } from 'vitest'
import { wrapUtilityProcess } from '../../../native-models/engine/engine-process.ts'
import type { UtilityProcessLike } from '../../../native-models/engine/engine-process.ts'
import { connectToHost } from '../../../native-models/engine/host-channel.ts'
import type { FromEngine } from '../../../native-models/engine/protocol.ts'

class FakeUtilityProcess extends EventEmitter implements UtilityProcessLike {
  readonly pid = 321
  readonly posted: unknown[] = []
  isKilled = false
  postMessage(message: unknown): void {
    this.posted.push(message)
  }
  kill(): boolean {
    this.isKilled = true
    return true
  }
}

const processWithPort = process as { parentPort?: unknown }
afterEach(() => {
  delete processWithPort.parentPort
})

describe('wrapUtilityProcess (Electron host side)', () => {
  it('posts messages, forwards protocol messages and reports the exit code', () => {
    const child = new FakeUtilityProcess()
    const engine = wrapUtilityProcess(child)
    const received: FromEngine[] = []
    const exits: unknown[] = []
    engine.onMessage((message) => received.push(message))
    engine.onExit((exit) => exits.push(exit))
    engine.send({ type: 'cancel', jobId: 4 })
    child.emit('message', { type: 'ready', pid: 321 })
    child.emit('message', { type: 'gossip' })
    child.emit('exit', 9)
    engine.kill()
    expect(engine.pid).toBe(321)
    expect(child.posted).toEqual([{ type: 'cancel', jobId: 4 }])
    expect(received).toEqual([{ type: 'ready', pid: 321 }])
    expect(exits).toEqual([{ code: 9, signal: null }])
    expect(child.isKilled).toBe(true)
  })
})

describe('connectToHost (engine side)', () => {
  it("uses Electron's parentPort inside a utilityProcess", () => {
    const port = new EventEmitter() as EventEmitter & { postMessage(m: unknown): void }
    const posted: unknown[] = []
    port.postMessage = (message) => void posted.push(message)
    processWithPort.parentPort = port
    const host = connectToHost()
    const received: unknown[] = []
    host.onMessage((message) => received.push(message))
    port.emit('message', { data: { type: 'cancel', jobId: 2 } })
    host.post({ type: 'ready', pid: 1 })
    expect(received).toEqual([{ type: 'cancel', jobId: 2 }])
    expect(posted).toEqual([{ type: 'ready', pid: 1 }])
  })
})
