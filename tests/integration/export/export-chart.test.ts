import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ChartExportRequest, ChartKind } from '../../../electron/api/contract/index.ts'
import { exportChart } from '../../../electron/api/export/index.ts'
import { toIpcError } from '../../../electron/api/errors.ts'
import { galleryChart, SWEEP_CHART } from '../../fixtures/data/robustness-charts.ts'
import {
  addCompressionResults,
  addFeatureSpaceResults,
  addGradientGeometryResults,
  createExportWorkspace,
} from './workspace.ts'
import type { ExportWorkspace } from './workspace.ts'

let ws: ExportWorkspace
let gallery: NonNullable<ChartExportRequest['gallery']>
let featureSpace: { probes: number[]; t3a: number[] }
let gradientGeometry: { gradients: number[]; weightGeometry: number[] }
let compression: number[]

beforeAll(async () => {
  ws = await createExportWorkspace()
  featureSpace = await addFeatureSpaceResults(ws)
  gradientGeometry = await addGradientGeometryResults(ws)
  compression = addCompressionResults(ws)
  gallery = await galleryChart()
})

afterAll(() => ws.dispose())

function resultIdsFor(chart: ChartKind): number[] {
  if (chart === 'metric-curves') return []
  if (['reliability', 'confusion', 'per-class'].includes(chart)) return ws.evaluations
  if (chart === 'probe-accuracy' || chart === 'probe-cka') return featureSpace.probes
  if (chart === 't3a-domains' || chart === 't3a-supports') return featureSpace.t3a
  if (chart === 'gradient-layers' || chart === 'gradient-trajectory')
    return gradientGeometry.gradients
  if (chart.startsWith('compression-')) return compression
  if (chart.startsWith('weight-') && chart !== 'weight-noise')
    return gradientGeometry.weightGeometry
  return chart === 'weight-noise' ? ws.weightNoise : ws.activationStats
}

function request(
  chart: ChartKind,
  overrides: Partial<ChartExportRequest> = {},
): ChartExportRequest {
  if (chart === 'matrix')
    return {
      chart,
      resultIds: [],
      baselineResultId: null,
      runIds: [],
      options: { fileName: 'cka-within-seed0@3' },
      matrix: CKA_MATRIX,
      theme: 'light',
      format: 'svg',
      width: 960,
      height: 540,
      ...overrides,
    }
  if (chart === 'corruption-bars' || chart === 'severity-curves' || chart === 'corruption-gallery')
    return {
      chart,
      resultIds: [],
      baselineResultId: null,
      runIds: [],
      options: {},
      ...(chart === 'corruption-gallery' ? { gallery } : { sweep: SWEEP_CHART }),
      theme: 'light',
      format: 'svg',
      width: 960,
      height: 540,
      ...overrides,
    }
  return {
    chart,
    resultIds: resultIdsFor(chart),
    baselineResultId: null,
    runIds:
      chart === 'metric-curves' ? [ws.runs.baseline.id, ws.runs.seed0.id, ws.runs.seed1.id] : [],
    options: chart === 'metric-curves' ? { group: 'seeds', baselineRun: ws.runs.baseline.id } : {},
    theme: 'light',
    format: 'svg',
    width: 960,
    height: 540,
    ...overrides,
  }
}

const CKA_MATRIX: NonNullable<ChartExportRequest['matrix']> = {
  rowKeys: ['stem', 'layer1.0', 'pooled'],
  columnKeys: ['stem', 'layer1.0', 'pooled'],
  values: [
    [1, 0.912, null],
    [0.912, 1, 0.5],
    [null, 0.5, 1],
  ],
  valueName: 'CKA',
  min: 0,
  max: 1,
  mode: 'absolute',
}

const AXIS_NAMES: Record<ChartKind, string[]> = {
  'metric-curves': ['epoch', 'accuracy'],
  reliability: ['confidence', 'accuracy', 'perfect calibration'],
  confusion: ['true class', 'predicted class', 'Ankle boot'],
  'per-class': ['class', 'accuracy', 'Trouser'],
  'layer-bars': ['layer (tap)', 'fraction of zero activations', 'layer4.1'],
  'tap-histogram': ['|activation| at', 'share of sampled values per bin', 'below'],
  matrix: ['layer1.0', 'pooled', '0.912', 'n/a'],
  'weight-noise': ['σ of the weight noise', 'top-1 accuracy'],
  'corruption-bars': ['corruption (top-1 averaged', 'gaussian_noise', 'plain-seed0@3 (baseline)'],
  'severity-curves': ['severity (averaged over the corruptions)', 'clean', 'damp-seed0@3'],
  'corruption-gallery': ['severity 5', 'fog', 'class 1 (Trouser)', 'data:image/png;base64,'],
  'probe-accuracy': [
    'fraction of the layer’s neurons (log scale)',
    'test top-1 accuracy',
    'full layer',
  ],
  'probe-cka': ['fraction of the layer’s neurons (log scale)', 'linear CKA(subset, full layer)'],
  't3a-domains': ['domain', 'top-1 accuracy', 'T3A M = all', 'baseline · epoch 1 · base'],
  't3a-supports': [
    'test batch of the stream',
    'supports per class',
    'mean entropy of the supports',
  ],
  'gradient-layers': ['layer (depth →)', '‖∂L/∂θ‖ (inference-mode BN)', 'layer1.0', 'fc'],
  'gradient-trajectory': ['layer', 'checkpoint', 'log10 ‖∂L/∂θ‖', 'baseline · epoch 1'],
  'weight-spectra': ['index i (descending σ)', 'singular value σ_i', 'seed0 · epoch 1 · '],
  'weight-orthogonality': [
    'weight (depth →)',
    '‖ŴŴᵀ − I‖²/n² (rows normalised)',
    'seed0 · epoch 1',
  ],
  'weight-geometry-trajectory': ['layer', 'checkpoint', '‖ŴŴᵀ − I‖²/n² (rows normalised)'],
  'compression-sweep': [
    'bits b per stored value (as AC-GC counts them)',
    'top-1 accuracy (quantized activations)',
    'AC-GC (e = 2)',
    'unquantized 90%',
  ],
  'compression-bits': ['site (depth →)', 'AC-GC bits per value', 'zero fraction', 'layer1.0.bn1'],
  'compression-trajectory': ['site', 'checkpoint', 'log10 mean max |x|', 'layer1.0.conv2'],
}

const KINDS = Object.keys(AXIS_NAMES) as ChartKind[]

describe('chart export', () => {
  it.each(KINDS)('renders %s as an SVG document that names its axes', async (chart) => {
    const file = await exportChart(ws.service, request(chart), null)
    expect(file.encoding).toBe('utf8')
    expect(file.mimeType).toBe('image/svg+xml')
    expect(file.content.slice(0, 200)).toContain('<svg')
    expect(file.content.length).toBeGreaterThan(2_000)
    for (const name of AXIS_NAMES[chart]) expect(file.content).toContain(name.replace('/', '/'))
  })

  it.each(KINDS.flatMap((chart) => (['light', 'dark'] as const).map((theme) => [chart, theme])))(
    'rasterises %s in the %s theme to a PNG of the asked size',
    async (chart, theme) => {
      const file = await exportChart(
        ws.service,
        request(chart as ChartKind, { format: 'png', theme: theme as 'light' | 'dark' }),
        join(ws.folder, 'figures', `${chart}-${theme}.png`),
      )
      const bytes = Buffer.from(file.content, 'base64')
      expect([...bytes.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47])
      expect(readFileSync(file.path!)).toEqual(bytes)
      const meta = await sharp(bytes).metadata()
      expect([meta.width, meta.height]).toEqual([960, 540])
      expect(bytes.length).toBeGreaterThan(10_000)
      if (process.env['EXPORT_FIGURES'])
        writeFileSync(join(process.env['EXPORT_FIGURES'], `${chart}-${theme}.png`), bytes)
    },
  )

  it('says what a figure shows: as its title, or under the title the app gives it', async () => {
    const texts = (svg: string): string[] =>
      [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1])
    const described = texts((await exportChart(ws.service, request('per-class'), null)).content)
    const what = described.find((t) => / vs .*, n = \d/.test(t))
    expect(what).toMatch(/^.+ vs .+ · .+, n = [\d,]+$/)
    const titled = await exportChart(
      ws.service,
      request('per-class', { options: { title: 'Accuracy per class' } }),
      null,
    )
    expect(texts(titled.content)).toEqual(expect.arrayContaining(['Accuracy per class', what]))
    const bare = await exportChart(
      ws.service,
      request('per-class', { options: { title: '' } }),
      null,
    )
    expect(texts(bare.content)).not.toContain(what)
  })

  it('rasterises a HiDPI copy with the same layout when asked for pixelRatio 2', async () => {
    const file = await exportChart(
      ws.service,
      request('layer-bars', { format: 'png', options: { pixelRatio: 2 } }),
      null,
    )
    const meta = await sharp(Buffer.from(file.content, 'base64')).metadata()
    expect([meta.width, meta.height]).toEqual([1920, 1080])
  })

  it('draws the same file for the same request (what the app, the browser and the CLI get)', async () => {
    const a = await exportChart(ws.service, request('confusion'), null)
    const b = await exportChart(ws.service, request('confusion'), null)
    expect(a.content).toBe(b.content)
  })

  it('marks every run group as mean ± std and the baseline run as such', async () => {
    const file = await exportChart(ws.service, request('metric-curves'), null)
    expect(file.content).toContain('seeds (mean ± std, 2 runs)')
    expect(file.content).toContain('baseline (baseline)')
  })

  it('refuses a chart of the wrong kind of result with an INVALID_ARGUMENT sentence', async () => {
    const error = await exportChart(
      ws.service,
      request('reliability', { resultIds: ws.activationStats }),
      null,
    ).catch((e: unknown) => toIpcError(e))
    expect(error).toMatchObject({ code: 'INVALID_ARGUMENT' })
    expect((error as { message: string }).message).toContain("is a 'activation-stats' result")
  })

  it('refuses a size outside 100 to 8000 pixels', async () => {
    const error = await exportChart(ws.service, request('confusion', { width: 20 }), null).catch(
      (e: unknown) => toIpcError(e),
    )
    expect(error).toMatchObject({ code: 'INVALID_ARGUMENT' })
  })

  it('names a matrix file after options.fileName', async () => {
    const file = await exportChart(ws.service, request('matrix', { format: 'png' }), null)
    expect(file.fileName).toBe('cka-within-seed0@3.png')
  })

  it('refuses a matrix whose values do not fit its keys, naming the expected shape', async () => {
    const ragged = {
      ...CKA_MATRIX,
      values: [
        [1, 2, 3],
        [4, 5],
      ],
    }
    const error = await exportChart(ws.service, request('matrix', { matrix: ragged }), null).catch(
      (e: unknown) => toIpcError(e),
    )
    expect(error).toMatchObject({ code: 'INVALID_ARGUMENT' })
    expect((error as { message: string }).message).toContain('3 rows of 3 numbers or nulls')
  })

  it('draws paired deltas to the sweep’s baseline, the baseline itself left out', async () => {
    const named = {
      'corruption-bars': 'damp-seed0@3 − plain-seed0@3',
      'severity-curves': 'damp-seed0@3 − plain-seed0@3',
    }
    for (const [chart, name] of Object.entries(named)) {
      const file = await exportChart(
        ws.service,
        request(chart as ChartKind, { options: { mode: 'difference' } }),
        null,
      )
      expect(file.content).toContain(name)
      expect(file.content).not.toContain('plain-seed0@3 (baseline)')
    }
  })

  it('embeds every gallery image in the SVG figure and names it after options.fileName', async () => {
    const file = await exportChart(
      ws.service,
      request('corruption-gallery', { options: { fileName: 'gallery-t10k-3' } }),
      null,
    )
    const images = file.content.match(/<image[^>]*data:image\/png;base64,/g) ?? []
    expect(images).toHaveLength(gallery.request.corruptions.length * 6)
    expect(file.fileName).toBe('gallery-t10k-3.svg')
    expect(file.content).toContain('Seed 0; corrupted before the zero padding')
  })

  it('refuses a sweep chart without its sweep, saying where one comes from', async () => {
    const error = await exportChart(
      ws.service,
      request('corruption-bars', { sweep: undefined }),
      null,
    ).catch((e: unknown) => toIpcError(e))
    expect(error).toMatchObject({ code: 'INVALID_ARGUMENT' })
    expect((error as { message: string }).message).toContain('corrupt --json')
  })

  it('answers an unknown result with NOT_IN_WORKSPACE', async () => {
    const error = await exportChart(
      ws.service,
      request('confusion', { resultIds: [999] }),
      null,
    ).catch((e: unknown) => toIpcError(e))
    expect(error).toMatchObject({ code: 'NOT_IN_WORKSPACE' })
  })
})
