import { readdir, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'

/** Nodes per execution provider, e.g. { CPUExecutionProvider: 52 }. */
export type NodePlacement = Record<string, number>

interface ProfileEvent {
  cat?: unknown
  name?: unknown
  args?: { provider?: unknown }
}

const KERNEL_SUFFIX = '_kernel_time'

/**
 * Counts each node of an ORT profiling trace once, under the provider that ran its kernel. The
 * nodes are those of the optimized graph (after fusions), so counts differ from the ONNX file's.
 */
export function countNodePlacement(trace: unknown): NodePlacement {
  if (!Array.isArray(trace)) throw new TypeError('An ORT profile is a JSON array of events.')
  const providerByNode = new Map<string, string>()
  for (const event of trace as ProfileEvent[]) {
    const provider = event.args?.provider
    if (event.cat !== 'Node' || typeof event.name !== 'string') continue
    if (!event.name.endsWith(KERNEL_SUFFIX) || typeof provider !== 'string') continue
    providerByNode.set(event.name.slice(0, -KERNEL_SUFFIX.length), provider)
  }
  const placement: NodePlacement = {}
  for (const provider of providerByNode.values()) {
    placement[provider] = (placement[provider] ?? 0) + 1
  }
  return placement
}

/** Reads the trace ORT wrote into `folder` (empty when it wrote none), then deletes the folder. */
export async function readPlacementAndRemove(folder: string): Promise<NodePlacement> {
  try {
    const trace = (await readdir(folder)).find((name) => name.endsWith('.json'))
    if (trace === undefined) return {}
    return countNodePlacement(JSON.parse(await readFile(join(folder, trace), 'utf8')))
  } finally {
    await rm(folder, { recursive: true, force: true })
  }
}
