import { describe, expect, it } from 'vitest'
import type {
  CompressionResult,
  ResultInfo,
  RunDetail,
} from '../../../electron/api/contract/index.ts'
import {
  BITS_MEANING,
  monotonicityLines,
  printCompression,
  printCompressionRun,
  significant,
} from '../../../electron/cli/commands/compress-print.ts'
import { bitsList } from '../../../electron/cli/commands/compress-options.ts'
import {
  fullCompressionPayload,
  storedCompression,
} from '../../fixtures/data/compression-full-payload.ts'
import { textRecorder } from './text-output.ts'

function stored(payload: CompressionResult, id = 12): ResultInfo<CompressionResult> {
  return storedCompression(payload, { id, checkpointId: 3, modelFile: 'epoch_3.onnx' })
}

const printed = (payload: CompressionResult): string[] => {
  const out = textRecorder()
  printCompression(stored(payload), out)
  return out.lines
}

describe('the compress command printing one checkpoint', () => {
  it('says what was measured and what b means', () => {
    const [first, second, third] = printed(fullCompressionPayload({ isBnFolded: false }))
    expect(first).toBe(
      "epoch_3.onnx: the 3 activations kept for the backward pass (conv inputs: 2, BatchNorm inputs: 1) fake-quantized per channel on 16 images in batches of 8 (scale: each batch's max |x|), BatchNorm kept (result 12)",
    )
    expect(second).toBe(BITS_MEANING)
    expect(second).toContain('2^b grid steps per unit of the scaled value')
    expect(third).toBe('unquantized top-1 90.00% [70.00%, 97.50%]')
    expect(printed(fullCompressionPayload())[0]).toContain('BatchNorm folded into the convolutions')
  })

  it('prints one row per b for every site together, with the paired Δ interval and KL', () => {
    const lines = printed(fullCompressionPayload())
    const at = lines.indexOf(
      'every site quantized together, against the unquantized model on the same images:',
    )
    expect(lines[at + 1]).toMatch(
      /^b\s+top-1\s+Δ top-1 \[95%\]\s+McNemar p\s+KL nats \[95%\]\s+mean max\|Δlogit\|\s+changed top-1$/,
    )
    // b = 2: top-1 0.9 − 0.05, Δ −0.05 ± 0.01, KL 1/12, mean max|Δlogit| 10·KL, changed 0.05/3.
    expect(lines[at + 3].split(/\s{2,}/)).toEqual([
      '2',
      '85.00%',
      '−5.00 [−6.00, −4.00] pp',
      '0.0625',
      '0.0833 [0.0417, 0.167]',
      '0.833',
      '1.67%',
    ])
    expect(lines[at + 4].startsWith('8  ')).toBe(true)
  })

  it('prints a site × b table of KL when each site was quantized alone, and none otherwise', () => {
    const lines = printed(fullCompressionPayload())
    const at = lines.indexOf('each site quantized alone: mean KL(unquantized ‖ quantized) in nats')
    expect(lines[at + 1].split(/\s{2,}/)).toEqual(['site', 'b=2', 'b=8'])
    // site 1 at b = 8: 2 / (64 · 30).
    expect(lines[at + 4].split(/\s{2,}/)).toEqual([
      'conv-input:layer1.0.conv1',
      significant(2 / 120),
      significant(2 / 1920),
    ])
    expect(printed(fullCompressionPayload({ eachAlone: false })).join('\n')).not.toContain(
      'each site quantized alone',
    )
  })

  it("prints AC-GC's bits, both ratios, the CNV/BN split, the forward change and the gradients", () => {
    const lines = printed(fullCompressionPayload({ isBnFolded: true }))
    const text = lines.join('\n')
    expect(text).toContain(
      'all sites: 6.69 bits (4.78×), with zero-value compression 6.02 bits (5.32×); intrinsic 5.50 bits',
    )
    expect(text).toContain('conv inputs (CNV): 9.93 bits (3.22×)')
    expect(text).toContain('BatchNorm inputs (BN): none')
    expect(text).toContain(
      "forward pass at AC-GC's widths: top-1 89.80% (Δ −0.20 [−1.20, +0.80] pp, McNemar p 0.0625)",
    )
    const total = lines.find((line) => line.trimStart().startsWith('total'))
    expect(total?.trim().split(/\s{2,}/)).toEqual([
      'total',
      '2.00 ± 0.125',
      '2.06 ± 0.250',
      '0.0313 ± 1.00e-300',
    ])
    expect(printed(fullCompressionPayload({ hasAcgc: false })).join('\n')).not.toContain(
      'AC-GC bit choice',
    )
  })

  it('prints n/a for a number that JSON stored as null (a NaN), instead of failing', () => {
    const payload = fullCompressionPayload()
    const acgc = { ...payload.acgc!, accounting: { ...payload.acgc!.accounting } }
    acgc.accounting.intrinsicBits = null as unknown as number
    acgc.forward = { ...acgc.forward, kl: { ...acgc.forward.kl, upper: Number.NaN } }
    const text = printed({ ...payload, acgc }).join('\n')
    expect(text).toContain('; intrinsic n/a bits')
    expect(text).toMatch(/KL 2\.50e-4 \[1\.25e-4, n\/a\] nats/)
  })

  it('names each rise of the error with a larger b', () => {
    expect(printed(fullCompressionPayload()).at(-1)).toBe(
      'not monotonic: top-1 error of conv-input:layer1.0.conv1 rose from b=2 to b=8 by 0.0625, from b=8 to b=16 by 1.00e-7',
    )
    expect(
      monotonicityLines([
        { siteId: null, measure: 'kl', isMonotonic: true, violations: [] },
        { siteId: 's', measure: 'top1-error', isMonotonic: true, violations: [] },
      ]),
    ).toEqual(['the error falls with every larger b in all 2 curves checked'])
  })
})

describe('the compress command printing a whole run', () => {
  it('prints one row per checkpoint: top-1, AC-GC ratio and mean bits, Δ top-1 at each b', () => {
    const out = textRecorder()
    const run = { name: 'seed0' } as RunDetail
    const withoutAcgc = fullCompressionPayload({ hasAcgc: false })
    printCompressionRun(
      run,
      [
        { label: 'seed0@1', result: stored(fullCompressionPayload(), 1) },
        { label: 'seed0@2', result: stored(withoutAcgc, 2) },
      ],
      out,
    )
    expect(out.lines[0]).toMatch(/^run 'seed0': AC-GC compression and the top-1 change/)
    expect(out.lines[1].split(/\s{2,}/)).toEqual([
      'checkpoint',
      'top-1',
      'AC-GC ratio',
      'mean bits',
      'b=2',
      'b=8',
    ])
    expect(out.lines[3].split(/\s{2,}/)).toEqual([
      'seed0@1',
      '90.00%',
      '4.78×',
      '6.69',
      '−5.00',
      '−1.25',
    ])
    expect(out.lines[4].split(/\s{2,}/)).toEqual(['seed0@2', '90.00%', '–', '–', '−5.00', '−1.25'])
  })
})

describe('the --bits option', () => {
  it('reads a list split at commas or spaces', () => {
    expect(bitsList('2,4 8')).toEqual([2, 4, 8])
  })

  it('refuses words and fractions', () => {
    expect(() => bitsList('2,four')).toThrow(/Not a list of whole numbers/)
    expect(() => bitsList('2.5')).toThrow(/Not a list of whole numbers/)
    expect(() => bitsList('')).toThrow(/Not a list of whole numbers/)
  })
})
