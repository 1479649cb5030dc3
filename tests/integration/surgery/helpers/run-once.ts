import { createSession } from '../../../../native-models/runtime/session.ts'
import type { OutputTensor } from '../../../../native-models/runtime/session.ts'

/** One session, one run, released: single-threaded, as every test on the 2-core CI machine. */
export async function runOnce(
  model: Uint8Array | string,
  input: Float32Array,
  dims: readonly number[],
): Promise<Record<string, OutputTensor>> {
  const session = await createSession(model, { intraOpNumThreads: 1 })
  try {
    return await session.run({ input: { data: input, dims } })
  } finally {
    await session.release()
  }
}
