import { describe, expect, it } from 'vitest'
import { folderClassOrder, numericClassOrder } from '../../../native-models/data/class-map.ts'
import { compareCodePoints } from '../../../native-models/data/sorting.ts'

describe('folderClassOrder', () => {
  it('uses the sorted folder names by default', () => {
    expect(folderClassOrder('/d', ['ant', 'bee'], null)).toEqual(['ant', 'bee'])
  })

  it('takes an override that names every folder, extra classes included', () => {
    expect(folderClassOrder('/d', ['ant', 'bee'], ['bee', 'cow', 'ant'])).toEqual([
      'bee',
      'cow',
      'ant',
    ])
  })

  it('refuses an override that misses a folder, naming the folder and the fix', () => {
    expect(() => folderClassOrder('/d', ['ant', 'bee', 'cat'], ['ant'])).toThrow(
      expect.objectContaining({
        code: 'INVALID_ARGUMENT',
        message:
          "The classes list does not name the class folder(s) 'bee', 'cat' of '/d': add them to 'classes' (in logit order) or remove the folders.",
      }),
    )
  })

  it('refuses an override that names a class twice', () => {
    expect(() => folderClassOrder('/d', ['a'], ['a', 'b', 'a'])).toThrow("names 'a' more than once")
  })
})

describe('numericClassOrder', () => {
  it("names labels '0'..'K-1' by default, K from the largest label", () => {
    expect(numericClassOrder('l', [2, 0, 4], null)).toEqual(['0', '1', '2', '3', '4'])
  })

  it('refuses an override without a name for the largest label', () => {
    expect(() => numericClassOrder('t10k-labels', [9, 1], ['a', 'b'])).toThrow(
      "'t10k-labels' holds label 9 but the classes list has 2 names",
    )
  })

  it('refuses negative labels as malformed data', () => {
    expect(() => numericClassOrder('labels.npy', [1, -1], null)).toThrow(
      expect.objectContaining({ code: 'DATASET_MALFORMED' }),
    )
  })
})

describe('compareCodePoints', () => {
  it("sorts like Python's sorted(): upper case first, astral characters last", () => {
    const names = ['b', 'B', 'a', '\u{1F600}', '\uFF21', 'a1']
    expect([...names].sort(compareCodePoints)).toEqual(['B', 'a', 'a1', 'b', '\uFF21', '\u{1F600}'])
  })
})
