import { describe, expect, it } from 'vitest'
import {
  siteLabel,
  siteRowsHeight,
  siteUnion,
} from '../../../renderer/src/charts/options/compression-sites.ts'
import { COMPRESSION_SITES, compressionResult } from '../../fixtures/data/compression-result.ts'

describe('compression site helpers', () => {
  it('list every site once, in depth order, across results', () => {
    const one = compressionResult()
    const other = { ...one, sites: COMPRESSION_SITES.slice(0, 1) }
    expect(siteUnion([other, one]).map((s) => s.depth)).toEqual([0, 1, 2])
  })

  it('label a site by the layer that reads it', () => {
    expect(siteLabel({ id: 'bn-input:layer1.0.bn1' })).toBe('layer1.0.bn1')
  })

  it('give a site-per-row chart at least 420 px and 12 px per site of the longest list', () => {
    const few = { payload: compressionResult() }
    const many = { payload: { ...few.payload, sites: Array(101).fill(COMPRESSION_SITES[0]) } }
    expect(siteRowsHeight([few])).toBe('420px')
    expect(siteRowsHeight([few, many])).toBe(`${140 + 12 * 101}px`)
  })
})
