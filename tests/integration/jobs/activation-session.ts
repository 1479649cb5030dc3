// A session wrapper for tests: runs the statistics graph with the full tap tensors as extra
// outputs and records them, with the draws fed, so the oracle sees exactly what ORT saw.
import type {
  FeedTensor,
  OutputTensor,
  RuntimeSession,
} from '../../../native-models/runtime/index.ts'

export interface RecordedBatch {
  draws: BigInt64Array
  taps: Record<string, OutputTensor>
}

export function recordingSession(
  session: RuntimeSession,
  tapTensors: readonly string[],
  drawsInput: string,
): { session: Pick<RuntimeSession, 'run'>; recorded: RecordedBatch[] } {
  const recorded: RecordedBatch[] = []
  const run = async (
    feeds: Record<string, FeedTensor>,
    outputNames?: readonly string[],
  ): Promise<Record<string, OutputTensor>> => {
    const outputs = await session.run(feeds, [...(outputNames ?? []), ...tapTensors])
    const taps = Object.fromEntries(tapTensors.map((name) => [name, outputs[name]]))
    recorded.push({ draws: feeds[drawsInput]?.data as BigInt64Array, taps })
    return outputs
  }
  return { session: { run }, recorded }
}
