import { describe, expect, it } from 'vitest'
import { mapInBranchOrder } from '../../../native-models/surgery/branch-order.ts'
import type { GraphProto } from '../../../native-models/onnx/proto.ts'

const graph: GraphProto = {
  input: [{ name: 'input' }],
  node: [
    { opType: 'Conv', input: ['input'], output: ['a'] },
    { opType: 'Relu', input: ['a'], output: ['b'] },
    { opType: 'Conv', input: ['b'], output: ['c'] },
  ],
}

describe('mapInBranchOrder', () => {
  it('adds the branch of the latest tap first and returns results in the taps’ order', () => {
    const added: string[] = []
    const taps = [{ tensor: 'b' }, { tensor: 'input' }, { tensor: 'c' }, { tensor: 'a' }]
    const results = mapInBranchOrder(graph, taps, (tap) => {
      added.push(tap.tensor)
      return `${tap.tensor}!`
    })
    expect(added).toEqual(['c', 'b', 'a', 'input'])
    expect(results).toEqual(['b!', 'input!', 'c!', 'a!'])
  })

  it('keeps two taps of one tensor apart', () => {
    const taps = [
      { key: 'layer4.2', tensor: 'c' },
      { key: '/c', tensor: 'c' },
    ]
    expect(mapInBranchOrder(graph, taps, (tap) => tap.key)).toEqual(['layer4.2', '/c'])
  })
})
