import { describe, expect, it } from 'vitest'
import type { CompressionResult, ResultInfo } from '../../../electron/api/contract/index.ts'
import {
  checkpointColumns,
  checkpointSiteStatistics,
  compressionTrends,
  printSiteTrends,
} from '../../../electron/cli/commands/compress-trends.ts'
import {
  fullCompressionPayload,
  storedCompression,
} from '../../fixtures/data/compression-full-payload.ts'
import { textRecorder } from './text-output.ts'

// Sites of the BN-kept payload: conv1 and layer1.0.conv1 (3 channels of 8 × 8 values each) and
// layer1.0.bn1 (2 channels of 4 × 4). With 15 images a channel holds 960 or 240 values.
const N_CONV = 15 * 64
const N_BN = 15 * 16

/** Per site: max |x| per channel and zero counts per channel, stored as fractions. */
function payload(maxAbs: number[][], zeroCounts: number[][]): CompressionResult {
  const base = fullCompressionPayload({ isBnFolded: false })
  return {
    ...base,
    numImages: 15,
    statistics: base.sites.map((site, i) => ({
      siteId: site.id,
      maxAbs: maxAbs[i],
      zeroFraction: zeroCounts[i].map(
        (count) => count / (site.kind === 'bn-input' ? N_BN : N_CONV),
      ),
      signed: i === 0,
    })),
  }
}

function stored(p: CompressionResult, id: number): ResultInfo<CompressionResult> {
  return storedCompression(p, { id, checkpointId: id, modelFile: `epoch_${id}.bn.onnx` })
}

const EPOCH1 = payload(
  [
    [1, 2, 3],
    [4, 5, 6],
    [0.5, 1.5],
  ],
  [
    [0, 0, 0],
    [7, 96, 480],
    [1, 3],
  ],
)
const EPOCH2 = payload(
  [
    [2, 4, 6],
    [4, 5, 9],
    [0.25, 0.25],
  ],
  [
    [0, 0, 0],
    [96, 96, 96],
    [24, 0],
  ],
)
const RUN = [
  { label: 'seed0@1.bn', result: stored(EPOCH1, 1) },
  { label: 'seed0@2.bn', result: stored(EPOCH2, 2) },
]

describe('the statistics the trends read from a stored compression result', () => {
  it('takes the zero counts back from the fractions over N·H·W values per channel', () => {
    const statistics = checkpointSiteStatistics('seed0@1.bn', EPOCH1)
    expect(statistics.checkpoint).toBe('seed0@1.bn')
    expect(statistics.sites.map((s) => [s.site, s.elementsPerChannel, s.zeroCount])).toEqual([
      ['conv-input:conv1', 960, [0, 0, 0]],
      // 7 / 960 is no binary fraction: the count comes back whole all the same.
      ['conv-input:layer1.0.conv1', 960, [7, 96, 480]],
      ['bn-input:layer1.0.bn1', 240, [1, 3]],
    ])
    expect(statistics.sites[1].maxAbs).toEqual([4, 5, 6])
  })

  it('names a site whose statistics have no site entry', () => {
    const stray = {
      ...EPOCH1,
      statistics: [{ ...EPOCH1.statistics[0], siteId: 'conv-input:fc' }],
    }
    expect(() => checkpointSiteStatistics('seed0@1.bn', stray)).toThrow(
      "Checkpoint 'seed0@1.bn' has statistics of site 'conv-input:fc', which is not among its sites.",
    )
  })
})

describe('the compress command over a run', () => {
  it('gives each site’s channel means and their change since the previous checkpoint', () => {
    const [conv1, layer1, bn] = compressionTrends(RUN)
    expect(conv1).toEqual({
      site: 'conv-input:conv1',
      points: [
        {
          checkpoint: 'seed0@1.bn',
          meanMaxAbs: 2,
          zeroFraction: 0,
          meanMaxAbsChange: null,
          zeroFractionChange: null,
        },
        {
          checkpoint: 'seed0@2.bn',
          meanMaxAbs: 4,
          zeroFraction: 0,
          meanMaxAbsChange: 2,
          zeroFractionChange: 0,
        },
      ],
    })
    // (7 + 96 + 480) / 960 / 3 then 96 / 960; max |x| (4 + 5 + 6) / 3 then (4 + 5 + 9) / 3.
    const [before, after] = layer1.points
    expect(before.zeroFraction).toBeCloseTo(583 / 2880, 15)
    expect(after.zeroFraction).toBeCloseTo(0.1, 15)
    expect(after.zeroFractionChange).toBeCloseTo(0.1 - 583 / 2880, 15)
    expect([before.meanMaxAbs, after.meanMaxAbs, after.meanMaxAbsChange]).toEqual([5, 6, 1])
    expect(bn.points.map((p) => [p.meanMaxAbs, p.zeroFraction])).toEqual([
      [1, 4 / 480],
      [0.25, 24 / 480],
    ])
  })

  it('prints sites down and checkpoints across: the zero fraction, then max |x|', () => {
    const out = textRecorder()
    printSiteTrends(compressionTrends(RUN), out)
    const zeros = out.lines.indexOf(
      'zero fraction per site (mean over channels; what zero-value compression saves):',
    )
    const maxAbs = out.lines.indexOf(
      "max |x| per site (mean over channels; each channel's quantization scale):",
    )
    expect([zeros, maxAbs]).toEqual([0, 6])
    const cells = (line: string) => line.split(/\s{2,}/)
    expect(cells(out.lines[1])).toEqual(['site', '@1.bn', '@2.bn'])
    expect(out.lines.slice(3, 6).map(cells)).toEqual([
      ['conv-input:conv1', '0.0%', '0.0%'],
      ['conv-input:layer1.0.conv1', '20.2%', '10.0%'],
      ['bn-input:layer1.0.bn1', '0.8%', '5.0%'],
    ])
    expect(out.lines.slice(9, 12).map(cells)).toEqual([
      ['conv-input:conv1', '2.00', '4.00'],
      ['conv-input:layer1.0.conv1', '5.00', '6.00'],
      ['bn-input:layer1.0.bn1', '1.00', '0.250'],
    ])
    expect(out.lines).toHaveLength(12)
  })

  it('heads the columns by epoch when every checkpoint is of one run, else by full label', () => {
    expect(checkpointColumns(['example (synthetic)@1', 'example (synthetic)@10.bn'])).toEqual([
      '@1',
      '@10.bn',
    ])
    expect(checkpointColumns(['seed0@1', 'seed1@1'])).toEqual(['seed0@1', 'seed1@1'])
    expect(checkpointColumns(['seed0@1', 'epoch_2.onnx'])).toEqual(['seed0@1', 'epoch_2.onnx'])
  })

  it('prints nothing for a result without sites', () => {
    const out = textRecorder()
    printSiteTrends([], out)
    expect(out.lines).toEqual([])
  })
})
