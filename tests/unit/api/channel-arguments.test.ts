import { describe, expect, it } from 'vitest'
import { checkArguments } from '../../../electron/api/channel-arguments.ts'

function refusal(work: () => unknown): { code: string; message: string } {
  try {
    work()
  } catch (error) {
    return error as { code: string; message: string }
  }
  throw new Error('expected a refusal')
}

describe('checkArguments', () => {
  it('passes arguments of the declared kinds, and a missing nullable one as null', () => {
    expect(checkArguments('run:get', [3])).toEqual([3])
    expect(checkArguments('export:data', [4, 'csv'])).toEqual([4, 'csv', null])
    expect(checkArguments('workspace:example', [])).toEqual([null])
  })

  it.each([
    ['run:get', [], "'run:get' needs runId to be a positive whole number, not nothing."],
    ['run:get', [1e62], "'run:get' needs runId to be a positive whole number, not 1e+62."],
    ['run:get', ['1'], `'run:get' needs runId to be a positive whole number, not "1".`],
    ['run:get', [1, 2], "'run:get' takes 1 argument(s) (runId) but was given 2."],
    ['model:summary', [''], '\'model:summary\' needs path to be an absolute path, not "".'],
    ['run:update', [1, []], "'run:update' needs patch to be an object, not a list."],
    [
      'export:data',
      [1, 'xml'],
      "'export:data' needs format to be a string ('csv' or 'json'), not \"xml\".",
    ],
  ])('refuses %s %j as INVALID_ARGUMENT', (channel, args, message) => {
    const error = refusal(() => checkArguments(channel as 'run:get', args))
    expect(error).toMatchObject({ code: 'INVALID_ARGUMENT', message })
  })
})
