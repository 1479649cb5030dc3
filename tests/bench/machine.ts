import { readFileSync } from 'node:fs'
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os'
import { defaultIntraOpThreads } from '../../native-models/runtime/index.ts'
import type { MachineInfo } from './report.ts'

/** The installed onnxruntime-node's version, for the benchmark reports. */
export function onnxruntimeVersion(): string {
  const path = new URL('../../node_modules/onnxruntime-node/package.json', import.meta.url)
  return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version
}

/** The machine a benchmark ran on, with the load before it and now (its end). */
export function machineInfo(loadBefore: number[], training: string): Omit<MachineInfo, 'torch'> {
  return {
    ...{ cores: availableParallelism(), cpu: cpus()[0]?.model ?? 'unknown' },
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    ...{ loadBefore, loadAfter: loadavg(), training, node: process.versions.node },
    ...{ onnxruntime: onnxruntimeVersion(), ortIntraOpThreads: defaultIntraOpThreads() },
  }
}
