import type { EChartsOption } from 'echarts'
import type {
  CorruptionGallery,
  GalleryChartData,
} from '../../../../electron/api/contract/index.ts'
import { ChartDataError } from './chart-data.ts'
import type { ChartData, ChartSpec } from './chart-data.ts'
import { frame, palette, topMargin } from './theme.ts'
import type { ChartTheme, FrameOptions } from './theme.ts'

const LABEL_WIDTH = 150
const HEADER_HEIGHT = 20
/** Up to four lines of facts under the images. */
const FOOTER_HEIGHT = 80
const MARGIN = 12
const GAP = 4
/** Clean, then severities 1 to 5. */
const COLUMNS = 6

/** The figure's natural size: cells of `cell` pixels (the UI's export asks for this). */
export function gallerySize(
  rowCount: number,
  frameOptions: FrameOptions,
  cell = 72,
): { width: number; height: number } {
  return {
    width: LABEL_WIDTH + COLUMNS * cell + 2 * MARGIN,
    height: topMargin(frameOptions, false) + HEADER_HEIGHT + rowCount * cell + FOOTER_HEIGHT,
  }
}

/** What the figure shows, under it: the image, its class, the seed and the padding choice. */
export function galleryFacts(data: GalleryChartData & { gallery: CorruptionGallery }): string[] {
  const { gallery, className } = data
  const { seed, padding } = data.request
  const name = className ? ` (${className})` : ''
  const deviation = gallery.rows.find((row) => row.deviation)?.deviation
  const parts = gallery.source.split(/[\\/]/)
  const file = parts.pop() ?? gallery.source
  return [
    `Image ${file}, class ${gallery.label}${name}, as the model sees it (de-normalised).`,
    ...(parts.length > 0 ? [`in ${parts.join('/')}`] : []),
    `Seed ${seed}; corrupted ${padding} the zero padding; columns: clean, severities 1–5.`,
    ...(deviation ? [`* ${deviation}`] : []),
  ]
}

type Graphic = Record<string, unknown>

/**
 * One image under every corruption and severity as a figure: a row per corruption, the clean
 * image and severities 1–5 as columns, the images embedded (PNG data: URLs).
 */
export function corruptionGalleryOption(
  spec: ChartSpec,
  _data: ChartData,
  theme: ChartTheme,
  frameOptions: FrameOptions = {},
): EChartsOption {
  const data = spec.gallery
  const gallery = data?.gallery
  if (!data || !gallery)
    throw new ChartDataError("A 'corruption-gallery' figure needs its gallery.")
  const p = palette(theme)
  const rows = gallery.rows
  const size = frameOptions.size ?? gallerySize(rows.length, frameOptions)
  const top = topMargin(frameOptions, false) + HEADER_HEIGHT
  const cell = Math.floor(
    Math.min(
      (size.width - LABEL_WIDTH - 2 * MARGIN) / COLUMNS,
      (size.height - top - FOOTER_HEIGHT) / rows.length,
    ),
  )
  if (cell < 8) throw new ChartDataError('The figure is too small for its gallery.')
  const text = (x: number, y: number, value: string, extra: Graphic = {}): Graphic => ({
    type: 'text',
    x,
    y,
    silent: true,
    style: { text: value, fill: p.text, fontSize: 12, fontFamily: p.fontFamily, ...extra },
  })
  const image = (x: number, y: number, url: string): Graphic => ({
    type: 'image',
    x,
    y,
    silent: true,
    style: { image: url, width: cell - GAP, height: cell - GAP },
  })
  const columnX = (c: number): number => MARGIN + LABEL_WIDTH + c * cell
  const headers = ['clean', ...[1, 2, 3, 4, 5].map((s) => `severity ${s}`)].map((label, c) =>
    text(columnX(c) + (cell - GAP) / 2, top - HEADER_HEIGHT + 2, label, {
      align: 'center',
      fill: p.muted,
      fontSize: cell < 64 ? 10 : 12,
    }),
  )
  const body = rows.flatMap((row, r) => {
    const y = top + r * cell
    return [
      text(MARGIN, y + (cell - GAP) / 2, `${row.corruption}${row.deviation ? ' *' : ''}`, {
        verticalAlign: 'middle',
      }),
      image(columnX(0), y, gallery.clean),
      ...row.images.map((url, c) => image(columnX(c + 1), y, url)),
    ]
  })
  const footer = galleryFacts({ ...data, gallery }).map((line, i) =>
    text(MARGIN, top + rows.length * cell + 8 + i * 16, line, {
      fill: p.muted,
      width: size.width - 2 * MARGIN,
      overflow: 'truncate',
    }),
  )
  return { ...frame(theme, frameOptions), graphic: [...headers, ...body, ...footer] }
}
