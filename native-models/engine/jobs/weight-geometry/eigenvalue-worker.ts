// Entry of an eigenvalue worker thread: the O(d³) step of weight geometry runs here, beside the
// engine's thread, which forms the next Grams on ORT meanwhile (its run() blocks, T11).
import { parentPort } from 'node:worker_threads'
import { psdEigenvalues } from '../../../analysis/linear-algebra/symmetric-eigenvalues.ts'
import type { EigenvalueReply, EigenvalueTask } from './eigenvalue-protocol.ts'

function solve(task: EigenvalueTask): { reply: EigenvalueReply; transfer: ArrayBuffer[] } {
  try {
    const started = performance.now()
    const eigenvalues = psdEigenvalues(task.gram, task.order)
    const elapsedMs = performance.now() - started
    return {
      reply: { id: task.id, eigenvalues, elapsedMs },
      transfer: [eigenvalues.buffer as ArrayBuffer],
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    return { reply: { id: task.id, error: message }, transfer: [] }
  }
}

parentPort!.on('message', (task: EigenvalueTask) => {
  const { reply, transfer } = solve(task)
  parentPort!.postMessage(reply, transfer)
})
