import { describe, expect, it } from 'vitest'
import { engineCrashMessage, toJobFailure } from '../../../native-models/engine/job-failure.ts'
import { RuntimeError } from '../../../native-models/runtime/errors.ts'

describe('toJobFailure', () => {
  it('keeps the code and sentence of our own errors', () => {
    const error = new RuntimeError(
      'PROVIDER_UNAVAILABLE',
      'CUDA provider libraries are not installed.',
    )
    expect(toJobFailure(error)).toEqual({
      code: 'PROVIDER_UNAVAILABLE',
      message: 'CUDA provider libraries are not installed.',
    })
  })

  it('reports anything else, including Node errno codes, as INTERNAL', () => {
    const errno = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' })
    expect(toJobFailure(errno)).toEqual({
      code: 'INTERNAL',
      message: 'The job failed unexpectedly: EACCES: permission denied',
    })
    expect(toJobFailure('a string')).toEqual({
      code: 'INTERNAL',
      message: 'The job failed unexpectedly: a string',
    })
  })
})

describe('engineCrashMessage', () => {
  it('names the signal or the exit code and the job', () => {
    expect(engineCrashMessage(7, { code: null, signal: 'SIGKILL' })).toBe(
      'The analysis engine stopped unexpectedly (signal SIGKILL) while running job 7; the job was not saved. Start it again.',
    )
    expect(engineCrashMessage(8, { code: 134, signal: null })).toMatch(
      /\(exit code 134\) while running job 8;/,
    )
  })
})
