import { DataType } from '../../onnx/proto.ts'
import { createSession } from '../../runtime/index.ts'
import { GraphBuilder } from '../../surgery/graph-builder.ts'
import { tensorTypeProto } from '../../surgery/value-types.ts'
import type { AnyJobHandler } from '../job-registry.ts'

export interface StuckRunRequest {
  kind: 'stuck-run'
  /** MatMuls of size × size in one chain: one run() that lasts seconds and cannot be cancelled. */
  matmuls: number
  size: number
}

function matmulChain(matmuls: number, size: number): GraphBuilder {
  const shape = [size, size]
  const matrix = { type: tensorTypeProto(DataType.FLOAT, shape) }
  // The weight is an input, not an initializer: ORT would prepack it per node, slowly.
  const builder = new GraphBuilder({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: 'stuck',
      input: [
        { name: 'x', ...matrix },
        { name: 'w', ...matrix },
      ],
    },
  })
  let value = 'x'
  for (let i = 0; i < matmuls; i++) {
    ;[value = ''] = builder.addNode({ opType: 'MatMul', inputs: [value, 'w'] })
  }
  builder.addOutput(value, { elemType: DataType.FLOAT, shape })
  return builder
}

export const stuckRun: AnyJobHandler = async (job, { report }) => {
  const request = job.request as unknown as StuckRunRequest
  const session = await createSession(matmulChain(request.matmuls, request.size).toModel())
  report({ stage: 'stuck', done: 0, total: 1 })
  const dims = [request.size, request.size]
  const x = { data: new Float32Array(request.size * request.size).fill(1), dims }
  const w = { data: new Float32Array(request.size * request.size).fill(1 / request.size), dims }
  await session.run({ x, w })
  report({ stage: 'stuck', done: 1, total: 1 })
  await session.release()
  const providers = session.providerReport()
  return { payload: null, providers, datasetFingerprint: 'test-jobs', batchSize: 1, parameters: {} }
}
