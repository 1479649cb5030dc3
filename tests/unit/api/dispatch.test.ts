import { describe, expect, it } from 'vitest'
import { INVOKE_CHANNELS } from '../../../electron/api/contract/index.ts'
import { dispatch } from '../../../electron/api/dispatch.ts'
import type { Handlers } from '../../../electron/api/dispatch.ts'
import { ModelError } from '../../../native-models/onnx/errors.ts'

function handlersThat(body: () => Promise<unknown>): Handlers {
  const entries = Object.keys(INVOKE_CHANNELS).map((c): [string, typeof body] => [c, body])
  return Object.fromEntries(entries) as unknown as Handlers
}

describe('dispatch', () => {
  it('wraps a handler value in an ok envelope', async () => {
    const result = await dispatch(
      handlersThat(() => Promise.resolve([1, 2])),
      'run:list',
      [],
    )
    expect(result).toEqual({ ok: true, value: [1, 2] })
  })

  it('turns a ModelError into its code and sentence', async () => {
    const failing = handlersThat(() =>
      Promise.reject(new ModelError('NOT_ONNX', "'a.txt' is not an ONNX model.")),
    )
    const result = await dispatch(failing, 'model:summary', ['a.txt'])
    expect(result).toEqual({
      ok: false,
      error: { code: 'NOT_ONNX', message: "'a.txt' is not an ONNX model." },
    })
  })

  it('refuses a channel that is not in the contract', async () => {
    const result = await dispatch(
      handlersThat(() => Promise.resolve(null)),
      'fs:delete-everything',
      [],
    )
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.error.code).toBe('INVALID_ARGUMENT')
  })

  it('reports a full disk as DISK_FULL', async () => {
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), {
      code: 'ENOSPC',
    })
    const result = await dispatch(
      handlersThat(() => Promise.reject(full)),
      'run:import',
      ['/x'],
    )
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.error.code).toBe('DISK_FULL')
  })
})
