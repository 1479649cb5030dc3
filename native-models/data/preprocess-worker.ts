// Entry of a preprocessing worker thread: decode + resample + normalise off the engine's JS thread,
// which ORT's synchronous run() blocks (T11).
import { parentPort } from 'node:worker_threads'
import { preprocessItems } from './preprocess-items.ts'
import type { PreprocessReply, PreprocessTask, SerializedError } from './worker-protocol.ts'

function serialize(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { name: 'Error', code: null, message: String(error) }
  const code = (error as { code?: unknown }).code
  return { name: error.name, code: typeof code === 'string' ? code : null, message: error.message }
}

async function handle(task: PreprocessTask): Promise<void> {
  try {
    const { images, shaped } = await preprocessItems(task.items, task.plan, task.keepShaped)
    const reply: PreprocessReply = { id: task.id, images, shaped }
    const buffers = [images.buffer, ...(shaped === null ? [] : [shaped.buffer])]
    parentPort!.postMessage(reply, buffers as ArrayBuffer[])
  } catch (error) {
    const reply: PreprocessReply = { id: task.id, error: serialize(error) }
    parentPort!.postMessage(reply)
  }
}

// One task at a time, in arrival order: the backlog waits here rather than decoding all at once.
let previous = Promise.resolve()
parentPort!.on('message', (task: PreprocessTask) => {
  previous = previous.then(() => handle(task))
})
